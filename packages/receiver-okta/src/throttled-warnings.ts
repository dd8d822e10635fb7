import type { LogFields, Logger } from '@oktel/core';

/**
 * Warnings a hostile or broken server can trigger per event (a page of 1000 bad events, polled
 * again and again) are logged at most once per `intervalMs` for each kind; the next one logged
 * says how many were held back, and counters keep the exact numbers.
 */
export class ThrottledWarnings {
  readonly #last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    readonly logger: Logger,
    readonly intervalMs = 60_000,
    readonly now: () => number = Date.now,
  ) {}

  warn(kind: string, message: string, fields?: LogFields): void {
    const now = this.now();
    const last = this.#last.get(kind);
    if (last && now - last.at < this.intervalMs) {
      last.suppressed++;
      return;
    }
    const held = last?.suppressed ?? 0;
    this.#last.set(kind, { at: now, suppressed: 0 });
    this.logger.warn(held > 0 ? `${message} (${held} similar warnings in the last ${Math.round(this.intervalMs / 1000)}s not logged)` : message, fields);
  }
}
