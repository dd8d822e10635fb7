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

/** What a rule requires of a string field: one of `values`, or a value that starts with one of `prefixes`. */
export interface FieldGuard {
  readonly values: ReadonlySet<string>;
  readonly prefixes: readonly string[];
}

/**
 * What a rule requires of `path` to match at all, or undefined when it requires nothing that can
 * be told without evaluating it. Only exact cases count: a top-level `==`/`===` of the path with
 * a string, an `in` of the path in a list of strings, a `startsWith` of the path with a string
 * (the Okta operation), one of those as a clause of a top-level `and`, or an `or` whose every
 * branch has one (their union). Exact for string values of `path` only: `==` is loose, and
 * `startsWith` turns numbers and booleans into text, so callers skip rules only for strings.
 */
export function fieldGuard(rule: unknown, path: string): FieldGuard | undefined {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) return undefined;
  const [op] = Object.keys(rule);
  if (Object.keys(rule).length !== 1) return undefined;
  const args = (rule as Record<string, unknown>)[op!];
  if ((op === '==' || op === '===') && Array.isArray(args) && args.length === 2) {
    const [a, b] = args;
    if (isVar(a, path) && typeof b === 'string') return { values: new Set([b]), prefixes: [] };
    if (isVar(b, path) && typeof a === 'string') return { values: new Set([a]), prefixes: [] };
  }
  if (
    op === 'in' &&
    Array.isArray(args) &&
    args.length === 2 &&
    isVar(args[0], path) &&
    Array.isArray(args[1]) &&
    args[1].every((v) => typeof v === 'string')
  ) {
    return { values: new Set(args[1] as string[]), prefixes: [] };
  }
  if (op === 'startsWith' && Array.isArray(args) && args.length === 2 && isVar(args[0], path) && typeof args[1] === 'string') {
    return { values: new Set(), prefixes: [args[1]] };
  }
  if (op === 'and' && Array.isArray(args)) {
    for (const clause of args) {
      const found = fieldGuard(clause, path);
      if (found) return found;
    }
  }
  if (op === 'or' && Array.isArray(args) && args.length > 0) {
    const values = new Set<string>();
    const prefixes: string[] = [];
    for (const branch of args) {
      const found = fieldGuard(branch, path);
      // One branch that can hold for any value makes the whole `or` unguarded.
      if (!found) return undefined;
      for (const v of found.values) values.add(v);
      prefixes.push(...found.prefixes);
    }
    return { values, prefixes };
  }
  return undefined;
}

/** Whether a field value can satisfy a guard. */
export function guardAdmits(guard: FieldGuard, value: string): boolean {
  return guard.values.has(value) || guard.prefixes.some((p) => value.startsWith(p));
}

/**
 * The values of `path` a rule cannot match without, or undefined when it has no such guard or
 * its guard includes a prefix (`fieldGuard` gives those).
 */
export function guardValues(rule: unknown, path: string): Set<string> | undefined {
  const guard = fieldGuard(rule, path);
  return guard && guard.prefixes.length === 0 ? new Set(guard.values) : undefined;
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
