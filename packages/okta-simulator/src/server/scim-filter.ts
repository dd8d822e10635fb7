import { PermanentError } from '@oktel/core';

/**
 * The subset of Okta's SCIM filter syntax the simulator understands: comparisons with
 * eq, ne, co, sw, ew (quoted strings), pr, joined by and/or (and binds tighter), and parentheses.
 * Anything else is an invalid filter, as Okta answers with E0000053.
 */
type Predicate = (event: Record<string, unknown>) => boolean;

/** A filter Okta would refuse (E0000053): the caller's mistake, so retrying cannot help. */
export class ScimFilterError extends PermanentError {
  constructor(message: string) {
    super(message, { code: 'ERR_SCIM_FILTER' });
  }
}

const TOKEN = /\s*(\(|\)|"(?:[^"\\]|\\.)*"|[A-Za-z_][\w.]*)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(text);
    if (!match) throw new ScimFilterError(`unexpected text at ${at}: ${text.slice(at, at + 20)}`);
    tokens.push(match[1]!);
    at = TOKEN.lastIndex;
  }
  return tokens;
}

function read(event: Record<string, unknown>, path: string): unknown {
  let node: unknown = event;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export function parseFilter(text: string): Predicate {
  const tokens = tokenize(text);
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const take = (): string => {
    const t = tokens[i++];
    if (t === undefined) throw new ScimFilterError('filter ends too early');
    return t;
  };

  const comparison = (): Predicate => {
    if (peek() === '(') {
      take();
      const inner = or();
      if (take() !== ')') throw new ScimFilterError('missing )');
      return inner;
    }
    const path = take();
    const op = take().toLowerCase();
    if (op === 'pr') return (e) => read(e, path) !== undefined && read(e, path) !== null;
    const literal = take();
    if (!literal.startsWith('"')) throw new ScimFilterError(`expected a quoted value after ${path} ${op}`);
    const value = JSON.parse(literal) as string;
    const str = (e: Record<string, unknown>): string | undefined => {
      const v = read(e, path);
      return v === undefined || v === null ? undefined : String(v);
    };
    switch (op) {
      case 'eq':
        return (e) => str(e) === value;
      case 'ne':
        return (e) => str(e) !== value;
      case 'co':
        return (e) => str(e)?.includes(value) ?? false;
      case 'sw':
        return (e) => str(e)?.startsWith(value) ?? false;
      case 'ew':
        return (e) => str(e)?.endsWith(value) ?? false;
      default:
        throw new ScimFilterError(`unsupported operator ${op}`);
    }
  };
  const and = (): Predicate => {
    let left = comparison();
    while (peek()?.toLowerCase() === 'and') {
      take();
      const l = left;
      const r = comparison();
      left = (e) => l(e) && r(e);
    }
    return left;
  };
  const or = (): Predicate => {
    let left = and();
    while (peek()?.toLowerCase() === 'or') {
      take();
      const l = left;
      const r = and();
      left = (e) => l(e) || r(e);
    }
    return left;
  };
  const predicate = or();
  if (i !== tokens.length) throw new ScimFilterError(`unexpected ${tokens[i]}`);
  return predicate;
}
