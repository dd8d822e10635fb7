import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The longest wait a response from the server can impose (a 429's X-Rate-Limit-Reset,
 * Retry-After). Okta's rate-limit windows are 60 s; a reset further away than this is a broken
 * or hostile server, and the receiver asks again after this long rather than sleep for a month.
 */
export const MAX_SERVER_WAIT_MS = 5 * 60_000;

/** The longest any configured interval (poll_interval, retry.*) may be. */
export const MAX_CONFIGURED_WAIT_MS = 60 * 60_000;

/** Node fires a setTimeout longer than 2^31−1 ms after 1 ms: never hand it one. */
const TIMER_LIMIT_MS = 2 ** 31 - 1;

/** Sleeps `ms` (clamped to what a timer can hold), or until `signal` aborts. Never throws. */
export async function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (!(ms > 0) || signal.aborted) return;
  await sleep(Math.min(ms, TIMER_LIMIT_MS), undefined, { signal }).catch(() => undefined);
}

/** A wait a server asked for, within [0, MAX_SERVER_WAIT_MS]; `clamped` says it asked for more. */
export function clampServerWait(ms: number): { ms: number; clamped: boolean } {
  if (!Number.isFinite(ms) || ms > MAX_SERVER_WAIT_MS) return { ms: MAX_SERVER_WAIT_MS, clamped: true };
  return { ms: Math.max(0, Math.round(ms)), clamped: false };
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
