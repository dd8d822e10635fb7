/**
 * "Equal jitter": a wait between half and all of `stepMs`, so retries from many collectors
 * spread out but never collapse to a tight loop. The one jitter every retry loop in oktel uses.
 */
export function equalJitter(stepMs: number, random: () => number = Math.random): number {
  return Math.round(stepMs / 2 + (random() * stepMs) / 2);
}

/** Exponential backoff with equal jitter: steps double from `initialMs` up to `maxMs`. */
export class Backoff {
  #attempt = 0;

  constructor(
    readonly initialMs: number,
    readonly maxMs: number,
    readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const step = Math.min(this.maxMs, this.initialMs * 2 ** this.#attempt);
    this.#attempt++;
    return equalJitter(step, this.random);
  }

  reset(): void {
    this.#attempt = 0;
  }

  get attempts(): number {
    return this.#attempt;
  }
}
