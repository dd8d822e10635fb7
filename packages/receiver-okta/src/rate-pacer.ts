export interface RateLimitHeaders {
  limit: number | undefined;
  remaining: number | undefined;
  resetEpochSeconds: number | undefined;
}

export function readRateLimitHeaders(headers: Headers): RateLimitHeaders {
  const num = (name: string): number | undefined => {
    const value = headers.get(name);
    // Several values (comma-joined) mean several buckets answered; trust none of them.
    if (value === null || value.includes(',')) return undefined;
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  };
  return { limit: num('x-rate-limit-limit'), remaining: num('x-rate-limit-remaining'), resetEpochSeconds: num('x-rate-limit-reset') };
}

/**
 * Keeps this receiver within `maxShare` of the org's /api/v1/logs bucket, which other
 * integrations share. The reset time is an epoch second on Okta's clock, so the wait is
 * computed against the response's Date header, never the local clock.
 */
export class RatePacer {
  #limit: number | undefined;
  #remaining: number | undefined;
  /** Local-clock time at which the current window resets. */
  #resetAt: number | undefined;

  constructor(
    readonly maxShare: number,
    readonly now: () => number = Date.now,
    readonly random: () => number = Math.random,
  ) {}

  /** Records the budget a response reported. Missing headers leave the pacer unconstrained. */
  observe(rate: RateLimitHeaders, serverDate: string | null): void {
    this.#limit = rate.limit;
    this.#remaining = rate.remaining;
    this.#resetAt = this.#localResetTime(rate.resetEpochSeconds, serverDate);
  }

  /** How long to wait before the next request may be sent without eating into others' share. */
  delayBeforeNextRequest(): number {
    if (this.#limit === undefined || this.#remaining === undefined || this.#resetAt === undefined) return 0;
    const floor = this.#limit * (1 - this.maxShare);
    if (this.#remaining - 1 >= floor) return 0;
    return this.#untilReset();
  }

  /** After a 429: wait for the reset the response announced, or `fallbackMs` if it announced none. */
  delayAfterRateLimited(rate: RateLimitHeaders, serverDate: string | null, fallbackMs: number): number {
    const resetAt = this.#localResetTime(rate.resetEpochSeconds, serverDate);
    if (resetAt === undefined) return fallbackMs;
    this.#resetAt = resetAt;
    this.#remaining = 0;
    this.#limit = rate.limit ?? this.#limit;
    return this.#untilReset();
  }

  /** Drops what the last response said about the window (after a reset too far away to believe). */
  forgetWindow(): void {
    this.#limit = undefined;
    this.#remaining = undefined;
    this.#resetAt = undefined;
  }

  #untilReset(): number {
    // A little jitter after the reset, so collectors sharing an org do not all fire at once.
    return Math.max(0, this.#resetAt! - this.now()) + Math.round(this.random() * 250);
  }

  #localResetTime(resetEpochSeconds: number | undefined, serverDate: string | null): number | undefined {
    if (resetEpochSeconds === undefined) return undefined;
    const server = serverDate ? Date.parse(serverDate) : Number.NaN;
    // Date has whole seconds (truncated), so this errs on the side of waiting a bit longer.
    const untilReset = resetEpochSeconds * 1000 - (Number.isNaN(server) ? this.now() : server);
    return this.now() + Math.max(0, untilReset);
  }
}
