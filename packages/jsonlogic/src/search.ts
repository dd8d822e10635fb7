import type { CustomOperation } from './okta-operations.js';

/** Nesting deeper than this is not searched (an Okta event is 4–5 levels deep). */
export const MAX_SEARCH_DEPTH = 32;
/** Values visited per search at most: bounds the cost of one keyword on a hostile record. */
export const MAX_SEARCH_VALUES = 10_000;

/**
 * True if any string (or number) anywhere in `value` contains `needle` — case-insensitively
 * unless `cased`. Walks with an explicit stack (no recursion, so no stack overflow on deep
 * input), at most MAX_SEARCH_DEPTH levels and MAX_SEARCH_VALUES values, own properties only.
 */
export function searchValues(value: unknown, needle: string, cased = false): boolean {
  const want = cased ? needle : needle.toLowerCase();
  const stack: [unknown, number][] = [[value, 0]];
  let visited = 0;
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (++visited > MAX_SEARCH_VALUES) return false;
    if (typeof current === 'string' || typeof current === 'number') {
      const text = String(current);
      if ((cased ? text : text.toLowerCase()).includes(want)) return true;
      continue;
    }
    if (typeof current !== 'object' || current === null || depth >= MAX_SEARCH_DEPTH) continue;
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], depth + 1]);
    } else {
      for (const key of Object.keys(current)) stack.push([(current as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return false;
}

export const SEARCH_OPERATION: CustomOperation = {
  description:
    'Whole-event keyword search: {"search":[{"var":""}, "mimikatz"]} is true when any string or number anywhere in the event contains the text, case-insensitively ({"search":[…, "Text", "cased"]} for an exact-case match). Depth ≤ 32, ≤ 10 000 values per search.',
  prepare: () => (value: unknown, needle: unknown, mode: unknown) => {
    const text = typeof needle === 'string' ? needle : typeof needle === 'number' ? String(needle) : undefined;
    return text !== undefined && searchValues(value, text, mode === 'cased');
  },
};
