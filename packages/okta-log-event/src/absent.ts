import type { OktaActor } from './log-event.js';

/**
 * Okta writes placeholders where it has no value: the strings "unknown" (actor of a failed
 * sign-in by an unknown user, `externalSessionId` before a session exists) and "null"
 * (`client.zone`, `client.ipAddress`), empty strings, and JSON null. None of them is a value:
 * promoting one makes backends join unrelated events on "user.id=unknown", and grouping on one
 * makes unrelated failures look like one session or one address. This is the one definition
 * of "no value" oktel uses — for attribute mapping, for `group_by`, for alert entities.
 */
const PLACEHOLDERS: ReadonlySet<string> = new Set(['unknown', 'null']);

/** True when an Okta field carries no value: undefined, null, empty/blank, or a placeholder string (case-insensitive). */
export function isAbsent(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') {
    const n = value.length;
    // Called for every promoted attribute and group_by value: a string longer than the longest
    // placeholder that starts and ends with a printable ASCII character is a value, with no copy.
    if (n > 7 && isPrintableAscii(value.charCodeAt(0)) && isPrintableAscii(value.charCodeAt(n - 1))) return false;
    const trimmed = value.trim();
    return trimmed === '' || PLACEHOLDERS.has(trimmed.toLowerCase());
  }
  if (typeof value === 'number') return Number.isNaN(value);
  return false;
}

function isPrintableAscii(code: number): boolean {
  return code > 0x20 && code < 0x7f;
}

/** The value itself when present, undefined when absent — for mapping code that promotes only real values. */
export function presentOrUndefined<T>(value: T | null | undefined): T | undefined {
  return isAbsent(value) ? undefined : (value as T);
}

/**
 * Okta's system principal with nothing known about it: an actor (or target) whose identifying
 * fields (id, alternateId, displayName) are all absent, e.g. `{"id":"unknown","type":"User",
 * "alternateId":"unknown","displayName":"unknown"}` on a failed sign-in for a login that does
 * not exist, or an all-null actor. Such a principal names nobody.
 */
export function isAbsentPrincipal(principal: OktaActor | null | undefined): boolean {
  if (principal === null || principal === undefined) return true;
  return isAbsent(principal.id) && isAbsent(principal.alternateId) && isAbsent(principal.displayName);
}
