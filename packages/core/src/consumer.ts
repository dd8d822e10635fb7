import type { LogBatch } from './record.js';

/**
 * Downstream of every receiver and processor. `consume` resolves once the batch is accepted:
 * a consumer that cannot take more keeps the promise pending, which is how backpressure
 * reaches the receiver. After the promise settles the caller must not rely on the batch
 * being read again, and consumers must never mutate a batch they were given.
 */
export interface LogsConsumer {
  consume(batch: LogBatch): Promise<void>;
}

export function consumerFromFunction(fn: (batch: LogBatch) => Promise<void>): LogsConsumer {
  return { consume: fn };
}

/**
 * One batch to several consumers. They run concurrently, so a slow exporter delays the
 * receiver only as long as the slowest consumer; every failure is reported, not just the first.
 */
export class FanoutConsumer implements LogsConsumer {
  readonly #consumers: readonly LogsConsumer[];

  constructor(consumers: readonly LogsConsumer[]) {
    this.#consumers = consumers;
  }

  async consume(batch: LogBatch): Promise<void> {
    if (this.#consumers.length === 1) return this.#consumers[0]!.consume(batch);
    const results = await Promise.allSettled(this.#consumers.map((c) => c.consume(batch)));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} of ${results.length} consumers failed`);
  }
}

export function fanout(consumers: readonly LogsConsumer[]): LogsConsumer {
  return consumers.length === 1 ? consumers[0]! : new FanoutConsumer(consumers);
}
