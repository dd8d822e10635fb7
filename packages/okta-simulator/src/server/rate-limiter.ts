import { OktelError } from '@oktel/core';

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** UTC epoch seconds at which the window resets, as X-Rate-Limit-Reset carries it. */
  resetEpochSeconds: number;
}

/**
 * Okta's per-minute bucket for /api/v1/logs: a window that starts with its first request
 * (not aligned to wall-clock minutes), `limit` requests per window. `windowMs` is shortened in
 * tests so a 429 storm does not take minutes.
 */
export class RateLimiter {
  limit: number;
  readonly windowMs: number;
  #windowStart = 0;
  #used = 0;

  constructor(limit: number, windowMs = 60_000) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  #roll(now: number): void {
    if (now >= this.#windowStart + this.windowMs) {
      this.#windowStart = now;
      this.#used = 0;
    }
  }

  /** Counts one request; allowed is false when the bucket is empty (a 429). */
  take(now: number): { allowed: boolean; state: RateLimitState } {
    this.#roll(now);
    const allowed = this.#used < this.limit;
    if (allowed) this.#used++;
    return { allowed, state: this.state(now) };
  }

  /** Requests by other integrations sharing the bucket. */
  consumeExternal(count: number, now = Date.now()): void {
    this.#roll(now);
    this.#used = Math.min(this.limit, this.#used + count);
  }

  state(now: number): RateLimitState {
    this.#roll(now);
    return { limit: this.limit, remaining: Math.max(0, this.limit - this.#used), resetEpochSeconds: Math.ceil((this.#windowStart + this.windowMs) / 1000) };
  }

  readonly #announced: { at: number; resetMs: number }[] = [];

  /** The reset announced (X-Rate-Limit-Reset, in ms) in the response to a request made at `at`. */
  resetAtMsFor(at: number): number {
    const found = this.#announced.findLast((a) => a.at <= at);
    if (!found) throw new OktelError('ERR_NOT_FOUND', `no request was answered at ${at}`, { context: { at } });
    return found.resetMs;
  }

  /** Remembers what a response announced, for tests that check clients honour it. */
  announce(at: number, state: RateLimitState): void {
    this.#announced.push({ at, resetMs: state.resetEpochSeconds * 1000 });
    if (this.#announced.length > 10_000) this.#announced.shift();
  }
}
