import { JsonLogicCompileError, type CustomOperation } from '@oktel/jsonlogic';
import type { SharedList } from './lists.js';

/**
 * The lists `in_list` resolves against while rules compile. Compilation is synchronous, so a
 * load (or a reload, building its new rule set beside the running one) sets the lists in scope
 * for exactly the duration of its compile: each compiled rule keeps the list object it was
 * compiled with, and a reload swaps rules and lists together.
 */
let inScope: ReadonlyMap<string, SharedList> | undefined;

export function withLists<T>(lists: ReadonlyMap<string, SharedList> | undefined, fn: () => T): T {
  const previous = inScope;
  inScope = lists;
  try {
    return fn();
  } finally {
    inScope = previous;
  }
}

/**
 * `{ in_list: [value, "list_name"] }`: true when the value (or, for an array, any element) is in
 * the named shared list. The name must be a literal, resolved at load: an unknown list fails the
 * load with the JsonLogic path, never silently matches nothing.
 */
export const IN_LIST: CustomOperation = {
  description: 'in_list: [value, "name"]: the value (or any element of an array) is in the named shared list (strings, CIDR ranges or globs)',
  prepare(raw, logicPath) {
    const name = raw[1];
    if (raw.length !== 2 || typeof name !== 'string')
      throw new JsonLogicCompileError(`${logicPath}[1]`, 'in_list takes [value, "list name"] with the name as a literal string');
    const list = inScope?.get(name);
    if (!list) {
      const known =
        inScope && inScope.size > 0 ? `known lists: ${[...inScope.keys()].join(', ')}` : 'no lists are configured (lists: in the detection tuning file)';
      throw new JsonLogicCompileError(`${logicPath}[1]`, `unknown list "${name}" (${known})`);
    }
    return (value: unknown) => (Array.isArray(value) ? value.some((v) => list.has(v)) : list.has(value));
  },
};

/** Operations every detection expression compiles with (rules, correlation steps, exceptions). */
export const TUNING_OPERATIONS: Readonly<Record<string, CustomOperation>> = { in_list: IN_LIST };
