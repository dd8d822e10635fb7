import { JsonLogicCompileError } from './errors.js';
import { OKTA_OPERATIONS, type CustomOperation } from './okta-operations.js';
import { STANDARD_OPERATIONS, type Operation } from './standard-operations.js';
import { truthy } from './truthy.js';
import { pathReader, type PathReader } from './var-path.js';

/** A compiled rule: call it with the data (an Okta event, say). */
export type Evaluator = (data: unknown) => unknown;

/**
 * Lets the top-level data be something other than a plain object (a record with its event,
 * attributes and resource): `var` asks the scope to read a path when `is(data)` says the data is
 * the scope's; inside iterators the data is an element again and read normally.
 */
export interface VarScope {
  is(data: unknown): boolean;
  reader(path: unknown, notFound: unknown): PathReader;
}

export interface CompileOptions {
  /** Extra operations; the Okta set is included unless `okta: false`. */
  operations?: Readonly<Record<string, CustomOperation>>;
  okta?: boolean;
  scope?: VarScope;
}

const ITERATORS = new Set(['filter', 'map', 'reduce', 'all', 'none', 'some']);
const BOOLEAN_OPERATIONS = new Set(['==', '===', '!=', '!==', '>', '>=', '<', '<=', '!', '!!', 'in']);

function isLogic(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && Object.keys(node).length === 1;
}

const constant =
  (value: unknown): Evaluator =>
  () =>
    value;

/** Evaluators known to return true or false, so and/or over them can use plain && and ||. */
const BOOLEAN = new WeakSet<Evaluator>();
function boolean(e: Evaluator): Evaluator {
  BOOLEAN.add(e);
  return e;
}

/** Calls `fn` with evaluated arguments, without allocating an array for the common arities. */
function call(fn: Operation, args: readonly Evaluator[]): Evaluator {
  switch (args.length) {
    case 0:
      return () => fn();
    case 1: {
      const [a] = args as [Evaluator];
      return (d) => fn(a(d));
    }
    case 2: {
      const [a, b] = args as [Evaluator, Evaluator];
      return (d) => fn(a(d), b(d));
    }
    case 3: {
      const [a, b, c] = args as [Evaluator, Evaluator, Evaluator];
      return (d) => fn(a(d), b(d), c(d));
    }
    default:
      return (d) => fn(...args.map((e) => e(d)));
  }
}

/**
 * Compiles a JsonLogic rule once into nested closures: no tree walking, key lookups or path
 * splitting per evaluation. Results are those of json-logic-js 2.0.5's `apply` (checked by a
 * differential test), except that `var` follows own properties only. An unknown operation or
 * a bad literal argument fails here, with its JsonLogic path, not on the first event.
 */
export function compile(logic: unknown, options: CompileOptions = {}): Evaluator {
  const custom: Record<string, CustomOperation> = { ...(options.okta === false ? {} : OKTA_OPERATIONS), ...(options.operations ?? {}) };
  return new Compiler(custom, options.scope).node(logic, '');
}

class Compiler {
  constructor(
    readonly custom: Readonly<Record<string, CustomOperation>>,
    readonly scope: VarScope | undefined,
  ) {}

  /** A path reader that honours the scope, if any. */
  reader(path: unknown, notFound: unknown): PathReader {
    const plain = pathReader(path, notFound);
    const scope = this.scope;
    if (!scope) return plain;
    const scoped = scope.reader(path, notFound);
    return (d) => (scope.is(d) ? scoped(d) : plain(d));
  }

  node(node: unknown, path: string): Evaluator {
    if (Array.isArray(node)) {
      const items = node.map((item, i) => this.node(item, `${path}[${i}]`));
      return (d) => items.map((e) => e(d));
    }
    if (!isLogic(node)) return constant(node);
    const op = Object.keys(node)[0]!;
    const raw = node[op];
    const values: unknown[] = Array.isArray(raw) ? raw : [raw];
    const at = path ? `${path}.${op}` : op;
    const arg = (i: number): Evaluator => this.node(values[i], `${at}[${i}]`);
    const args = (): Evaluator[] => values.map((_, i) => arg(i));

    switch (op) {
      case 'if':
      case '?:':
        return this.#if(args());
      case 'and':
        return this.#andOr(args(), true);
      case 'or':
        return this.#andOr(args(), false);
      case 'var':
        return this.#var(values, at);
      case 'missing':
        return this.#missing(args());
      case 'missing_some': {
        const [need, options] = [arg(0), arg(1)];
        const missing = this.#missing([options]);
        return (d) => {
          const list = options(d) as unknown[];
          const absent = missing(d) as unknown[];
          return list.length - absent.length >= (need(d) as number) ? [] : absent;
        };
      }
    }
    if (ITERATORS.has(op)) return this.#iterator(op, values, at);
    if (Object.hasOwn(STANDARD_OPERATIONS, op)) return this.#standard(op, values, at);
    if (Object.hasOwn(this.custom, op)) {
      return call(this.custom[op]!.prepare(values, at), args());
    }
    throw new JsonLogicCompileError(path, `unrecognized operation "${op}"`);
  }

  #if(parts: Evaluator[]): Evaluator {
    if (parts.length === 0) return constant(null);
    return (d) => {
      let i = 0;
      for (; i < parts.length - 1; i += 2) if (truthy(parts[i]!(d))) return parts[i + 1]!(d);
      return i === parts.length - 1 ? parts[i]!(d) : null;
    };
  }

  /** Short-circuit and/or returning the deciding operand, as JsonLogic does. */
  #andOr(parts: Evaluator[], isAnd: boolean): Evaluator {
    if (parts.length > 0 && parts.every((p) => BOOLEAN.has(p))) {
      // Over true/false the deciding operand is the plain &&/|| result.
      const [a, b, c, e] = parts as [Evaluator, Evaluator, Evaluator, Evaluator];
      switch (parts.length) {
        case 1:
          return a;
        case 2:
          return boolean(isAnd ? (d) => a(d) && b(d) : (d) => a(d) || b(d));
        case 3:
          return boolean(isAnd ? (d) => a(d) && b(d) && c(d) : (d) => a(d) || b(d) || c(d));
        case 4:
          return boolean(isAnd ? (d) => a(d) && b(d) && c(d) && e(d) : (d) => a(d) || b(d) || c(d) || e(d));
        default:
          return boolean(isAnd ? (d) => parts.every((p) => p(d)) : (d) => parts.some((p) => p(d)));
      }
    }
    if (parts.length === 2) {
      const [a, b] = parts as [Evaluator, Evaluator];
      return isAnd
        ? (d) => {
            const x = a(d);
            return truthy(x) ? b(d) : x;
          }
        : (d) => {
            const x = a(d);
            return truthy(x) ? x : b(d);
          };
    }
    return (d) => {
      let current: unknown;
      for (const part of parts) {
        current = part(d);
        if (truthy(current) !== isAnd) return current;
      }
      return current;
    };
  }

  #var(values: unknown[], at: string): Evaluator {
    const [pathArg, defaultArg] = values;
    if (!isLogic(pathArg) && !isLogic(defaultArg) && !Array.isArray(pathArg)) {
      return this.reader(pathArg, defaultArg === undefined ? null : defaultArg);
    }
    const pathEval = this.node(pathArg, `${at}[0]`);
    const defaultEval = this.node(defaultArg, `${at}[1]`);
    const cache = new Map<string, PathReader>();
    return (d) => {
      const p = pathEval(d);
      const fallback = defaultEval(d);
      const key = `${String(p)}\u0000`;
      let read = fallback === undefined || fallback === null ? cache.get(key) : undefined;
      if (!read) {
        read = this.reader(p, fallback === undefined ? null : fallback);
        if (fallback === undefined || fallback === null) cache.set(key, read);
      }
      return read(d);
    };
  }

  #missing(args: Evaluator[]): Evaluator {
    const cache = new Map<string, PathReader>();
    return (d) => {
      const evaluated = args.map((a) => a(d));
      const keys = Array.isArray(evaluated[0]) ? (evaluated[0] as unknown[]) : evaluated;
      const missing: unknown[] = [];
      for (const key of keys) {
        const id = String(key);
        let read = cache.get(id);
        if (!read) {
          read = this.reader(key, null);
          cache.set(id, read);
        }
        const value = read(d);
        if (value === null || value === '') missing.push(key);
      }
      return missing;
    };
  }

  #iterator(op: string, values: unknown[], at: string): Evaluator {
    const source = this.node(values[0], `${at}[0]`);
    const body = this.node(values[1], `${at}[1]`);
    switch (op) {
      case 'filter':
        return (d) => {
          const items = source(d);
          return Array.isArray(items) ? items.filter((item) => truthy(body(item))) : [];
        };
      case 'map':
        return (d) => {
          const items = source(d);
          return Array.isArray(items) ? items.map((item) => body(item)) : [];
        };
      case 'reduce': {
        const initial = values[2] === undefined ? constant(null) : this.node(values[2], `${at}[2]`);
        return (d) => {
          const items = source(d);
          const start = initial(d);
          return Array.isArray(items) ? items.reduce((accumulator: unknown, current: unknown) => body({ current, accumulator }), start) : start;
        };
      }
      case 'all':
        return boolean((d) => {
          const items = source(d) as unknown[] | null | undefined;
          // Like json-logic-js: anything that is not a non-empty array is "all of nothing", false.
          if (!Array.isArray(items) || !items.length) return false;
          for (const item of items) if (!truthy(body(item))) return false;
          return true;
        });
      case 'none':
        return boolean((d) => {
          const items = source(d);
          return !Array.isArray(items) || !items.some((item) => truthy(body(item)));
        });
      default: // some
        return boolean((d) => {
          const items = source(d);
          return Array.isArray(items) && items.some((item) => truthy(body(item)));
        });
    }
  }

  #standard(op: string, values: unknown[], at: string): Evaluator {
    const fn = STANDARD_OPERATIONS[op]!;
    const args = values.map((v, i) => this.node(v, `${at}[${i}]`));
    // `in` against a literal list of strings: a Set lookup, same answer as indexOf.
    if (op === 'in' && Array.isArray(values[1]) && values[1].length > 8 && values[1].every((v) => typeof v === 'string')) {
      const set = new Set(values[1] as string[]);
      const needle = args[0]!;
      return boolean((d) => set.has(needle(d) as string));
    }
    // A comparison with a literal: one closure, no argument array.
    const literal = (v: unknown): boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null;
    if ((op === '==' || op === '===' || op === '!=' || op === '!==') && values.length === 2 && literal(values[1]) && !literal(values[0])) {
      const left = args[0]!;
      const right = values[1];
      switch (op) {
        case '==':
          // biome-ignore lint/suspicious/noDoubleEquals: JsonLogic's == is JavaScript's loose equality, by specification
          return boolean((d) => left(d) == right);
        case '===':
          return boolean((d) => left(d) === right);
        case '!=':
          // biome-ignore lint/suspicious/noDoubleEquals: JsonLogic's != is JavaScript's loose inequality, by specification
          return boolean((d) => left(d) != right);
        default:
          return boolean((d) => left(d) !== right);
      }
    }
    if ((op === '!' || op === '!!') && values.length === 1) {
      const inner = args[0]!;
      return boolean(op === '!' ? (d) => !truthy(inner(d)) : (d) => truthy(inner(d)));
    }
    if (op === 'in' && values.length === 2 && Array.isArray(values[1]) && values[1].every(literal)) {
      const list = values[1] as unknown[];
      const needle = args[0]!;
      return boolean((d) => list.indexOf(needle(d)) !== -1);
    }
    const evaluator = call(fn, args);
    return BOOLEAN_OPERATIONS.has(op) ? boolean(evaluator) : evaluator;
  }
}
