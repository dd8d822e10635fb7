/**
 * Exponential backoff with "equal jitter": each wait is between half and all of the current
 * step, so retries from many collectors spread out but never collapse to a tight loop.
 */
export class Backoff {
  #attempt = 0;

  constructor(readonly initialMs: number, readonly maxMs: number, readonly random: () => number = Math.random) {}

  next(): number {
    const step = Math.min(this.maxMs, this.initialMs * 2 ** this.#attempt);
    this.#attempt++;
    return Math.round(step / 2 + (this.random() * step) / 2);
  }

  reset(): void {
    this.#attempt = 0;
  }

  get attempts(): number {
    return this.#attempt;
  }
}
