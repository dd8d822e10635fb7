import { SigmaUnsupported } from './errors.js';

/** A parsed Sigma condition. */
export type ConditionNode =
  | { kind: 'id'; name: string }
  | { kind: 'not'; arg: ConditionNode }
  | { kind: 'and' | 'or'; args: ConditionNode[] }
  | { kind: 'of'; quantifier: 'one' | 'all'; pattern: string };

type Tok = { t: 'word'; v: string } | { t: '(' } | { t: ')' };

function tokenize(text: string, at: readonly (string | number)[]): Tok[] {
  if (text.includes('|'))
    throw new SigmaUnsupported('the pipe aggregation syntax in conditions (count(), near) is obsolete in Sigma v2: write a correlation rule', at);
  const out: Tok[] = [];
  for (const m of text.matchAll(/\s*(\(|\)|[^\s()]+)/g)) {
    const v = m[1]!;
    out.push(v === '(' ? { t: '(' } : v === ')' ? { t: ')' } : { t: 'word', v });
  }
  return out;
}

/**
 * Recursive descent over Sigma's grammar, least to most binding: or, and, not, `x of`,
 * parentheses. Keywords are case-insensitive; `any of` is accepted as `1 of`.
 */
export function parseCondition(text: string, at: readonly (string | number)[]): ConditionNode {
  const toks = tokenize(text, at);
  let i = 0;
  const peekWord = (): string | undefined => {
    const t = toks[i];
    return t?.t === 'word' ? t.v.toLowerCase() : undefined;
  };
  const fail = (why: string): never => {
    throw new SigmaUnsupported(`condition "${text}": ${why}`, at);
  };
  const or = (): ConditionNode => {
    const args = [and()];
    while (peekWord() === 'or') {
      i++;
      args.push(and());
    }
    return args.length === 1 ? args[0]! : { kind: 'or', args };
  };
  const and = (): ConditionNode => {
    const args = [not()];
    while (peekWord() === 'and') {
      i++;
      args.push(not());
    }
    return args.length === 1 ? args[0]! : { kind: 'and', args };
  };
  const not = (): ConditionNode => {
    if (peekWord() === 'not') {
      i++;
      return { kind: 'not', arg: not() };
    }
    return primary();
  };
  const primary = (): ConditionNode => {
    const t = toks[i];
    if (!t) return fail('ends where an identifier was expected');
    if (t.t === '(') {
      i++;
      const inner = or();
      if (toks[i]?.t !== ')') fail('a parenthesis is not closed');
      i++;
      return inner;
    }
    if (t.t === ')') return fail('unexpected ")"');
    const word = t.v.toLowerCase();
    if (['and', 'or'].includes(word)) return fail(`"${t.v}" where an identifier was expected`);
    const next = toks[i + 1];
    if ((word === '1' || word === 'any' || word === 'all') && next?.t === 'word' && next.v.toLowerCase() === 'of') {
      const target = toks[i + 2];
      if (target?.t !== 'word') return fail(`"${t.v} of" needs an identifier pattern or "them"`);
      i += 3;
      return { kind: 'of', quantifier: word === 'all' ? 'all' : 'one', pattern: target.v };
    }
    if (/^\d+$/.test(word) && next?.t === 'word' && next.v.toLowerCase() === 'of') return fail(`"${t.v} of" is not Sigma: only "1 of" and "all of"`);
    i++;
    return { kind: 'id', name: t.v };
  };
  const tree = or();
  if (i < toks.length) fail(`unexpected "${(toks[i] as { v?: string }).v ?? toks[i]!.t}"`);
  return tree;
}

/** Identifiers an `x of` pattern names: `them` is every identifier not starting with `_`. */
export function expandPattern(pattern: string, identifiers: readonly string[]): string[] {
  if (pattern.toLowerCase() === 'them') return identifiers.filter((id) => !id.startsWith('_'));
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return identifiers.filter((id) => re.test(id));
}
