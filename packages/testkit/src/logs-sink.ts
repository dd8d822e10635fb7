import { OktelError, type LogBatch, type LogRecord, type LogsConsumer } from '@oktel/core';

/** Records every batch it is given; can be told to be slow or to fail. */
export class LogsSink implements LogsConsumer {
  readonly batches: LogBatch[] = [];
  delayMs = 0;
  failWith: Error | undefined;
  #waiters: { count: number; resolve: () => void }[] = [];
  #inFlight = 0;
  maxInFlight = 0;

  get records(): LogRecord[] {
    return this.batches.flat();
  }

  get count(): number {
    return this.batches.reduce((n, b) => n + b.length, 0);
  }

  async consume(batch: LogBatch): Promise<void> {
    this.#inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
    try {
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      if (this.failWith) throw this.failWith;
      this.batches.push(batch);
    } finally {
      this.#inFlight--;
    }
    const total = this.count;
    this.#waiters = this.#waiters.filter((w) => {
      if (total >= w.count) w.resolve();
      return total < w.count;
    });
  }

  /** Resolves once at least `count` records arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.count >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new OktelError('ERR_TEST_TIMEOUT', `timed out waiting for ${count} records (got ${this.count})`)), timeoutMs);
      this.#waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  reset(): void {
    this.batches.length = 0;
  }
}
