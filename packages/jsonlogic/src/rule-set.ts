import { compile, type CompileOptions, type Evaluator } from './compile.js';
import { truthy } from './truthy.js';

export interface RuleSetOptions extends CompileOptions {
  /**
   * A field most rules pin with an equality (`eventType` for Okta): rules are indexed by the
   * values they require, so an event is only tested against rules that could match it.
   */
  index?: { path: string; read: (data: unknown) => unknown };
}

/** Many rules compiled together: `matching(data)` gives the indexes of the rules that hold, in order. */
export interface RuleSet {
  readonly size: number;
  matching(data: unknown): number[];
  /** How many rules carry an index guard (the rest are tested on every event). */
  readonly guarded: number;
}

function isVar(node: unknown, path: string): boolean {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const keys = Object.keys(node);
  if (keys.length !== 1 || keys[0] !== 'var') return false;
  const arg = (node as { var: unknown }).var;
  return arg === path || (Array.isArray(arg) && arg.length === 1 && arg[0] === path);
}

/**
 * The values of `path` a rule cannot match without, or undefined when it has no such guard.
 * Only exact cases count: a top-level `==`/`===` of the path with a string, an `in` of the path
 * in a list of strings, or one of those as a clause of a top-level `and`.
 */
export function guardValues(rule: unknown, path: string): Set<string> | undefined {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) return undefined;
  const [op] = Object.keys(rule);
  if (Object.keys(rule).length !== 1) return undefined;
  const args = (rule as Record<string, unknown>)[op!];
  if ((op === '==' || op === '===') && Array.isArray(args) && args.length === 2) {
    const [a, b] = args;
    if (isVar(a, path) && typeof b === 'string') return new Set([b]);
    if (isVar(b, path) && typeof a === 'string') return new Set([a]);
  }
  if (
    op === 'in' &&
    Array.isArray(args) &&
    args.length === 2 &&
    isVar(args[0], path) &&
    Array.isArray(args[1]) &&
    args[1].every((v) => typeof v === 'string')
  ) {
    return new Set(args[1] as string[]);
  }
  if (op === 'and' && Array.isArray(args)) {
    for (const clause of args) {
      const found = guardValues(clause, path);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Compiles a set of rules and indexes them by a guard field. Results are exactly those of
 * evaluating every rule: a rule is skipped only when its guard cannot hold — and only for string
 * field values, since `==` with a non-string may still be loosely equal.
 */
export function compileRuleSet(rules: readonly unknown[], options: RuleSetOptions = {}): RuleSet {
  const evaluators: Evaluator[] = rules.map((rule) => compile(rule, options));
  const all = evaluators.map((_, i) => i);
  if (!options.index) return { size: rules.length, guarded: 0, matching: (data) => all.filter((i) => truthy(evaluators[i]!(data))) };

  const byValue = new Map<string, number[]>();
  const unguarded: number[] = [];
  rules.forEach((rule, i) => {
    const values = guardValues(rule, options.index!.path);
    if (!values) unguarded.push(i);
    else for (const v of values) byValue.set(v, [...(byValue.get(v) ?? []), i]);
  });
  // Candidates per value, merged with the unguarded rules once, in rule order.
  const candidates = new Map<string, number[]>();
  for (const [value, indexes] of byValue)
    candidates.set(
      value,
      [...new Set([...indexes, ...unguarded])].sort((a, b) => a - b),
    );
  const read = options.index.read;
  return {
    size: rules.length,
    guarded: rules.length - unguarded.length,
    matching(data) {
      const key = read(data);
      const list = typeof key === 'string' ? (candidates.get(key) ?? unguarded) : all;
      const out: number[] = [];
      for (const i of list) if (truthy(evaluators[i]!(data))) out.push(i);
      return out;
    },
  };
}
