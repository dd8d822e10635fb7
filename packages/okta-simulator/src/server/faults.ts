/**
 * Failures, and hostile answers, the simulator can be told to produce on the next requests to
 * /api/v1/logs. The hostile ones stand in for a compromised or broken Okta (or a proxy in front
 * of it): a `next` link that points elsewhere, a redirect, an absurd wait, a page that never
 * advances, events no parser should trust.
 */
export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  | { kind: 'html' }
  | { kind: 'truncated' }
  | { kind: 'invalid_json' }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  /** The real page, with its rel="next" link replaced (the real next link is passed in). */
  | { kind: 'next_link'; href: string | ((realNext: string) => string) }
  /** A redirect instead of a page. */
  | { kind: 'redirect'; location: string; status?: number }
  /** A 429 announcing these headers instead of the real window. */
  | { kind: 'rate_limited'; resetEpochSeconds?: number; retryAfter?: string }
  /** The real page with these raw JSON texts added as extra array items (events nobody should trust). */
  | { kind: 'raw_events'; raw: string[] }
  /** A 200 whose body is exactly this text, with a next link to a fresh cursor (or `next`). */
  | { kind: 'page'; body: string; next?: string }
  /** A 200 whose body is exactly this text and whose next link is the request itself (no progress). */
  | { kind: 'stuck_page'; body: string };

export class FaultQueue {
  readonly #queue: { fault: Fault; remaining: number }[] = [];

  /** `times` may be Infinity: the fault then answers every request until `clear()`. */
  add(fault: Fault, times = 1): void {
    if (times > 0) this.#queue.push({ fault, remaining: times });
  }

  next(): Fault | undefined {
    const head = this.#queue[0];
    if (!head) return undefined;
    if (--head.remaining <= 0) this.#queue.shift();
    return head.fault;
  }

  clear(): void {
    this.#queue.length = 0;
  }

  get pending(): number {
    return this.#queue.reduce((sum, entry) => sum + entry.remaining, 0);
  }
}
