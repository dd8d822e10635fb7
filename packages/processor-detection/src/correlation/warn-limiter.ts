import type { Logger } from '@oktel/core';

/**
 * Logs a recurring condition (evictions, overflows, future-stamped events) at most once per
 * interval per kind, with how many happened since the last line: visible in the log without
 * flooding it. Counts always go to the metrics as well.
 */
export class WarnLimiter {
  readonly #last = new Map<string, { at: number; suppressed: number }>();
  constructor(
    readonly logger: Logger,
    readonly intervalMs = 60_000,
    readonly now: () => number = Date.now,
  ) {}

  warn(kind: string, message: () => string): void {
    const now = this.now();
    const state = this.#last.get(kind);
    if (state && now - state.at < this.intervalMs) {
      state.suppressed++;
      return;
    }
    const more = state && state.suppressed > 0 ? ` (${state.suppressed} more since the last such warning)` : '';
    this.#last.set(kind, { at: now, suppressed: 0 });
    this.logger.warn(`${message()}${more}`);
  }
}
