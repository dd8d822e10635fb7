import type { ComponentSettings, LogBatch, LogsConsumer, Processor } from '@oktel/core';
import type { AttributesConfig } from './config.js';

/** The `attributes` processor: the configured actions on every record's attributes. */
export class AttributesProcessor implements Processor {
  readonly #next: LogsConsumer;
  readonly #apply: AttributesConfig['apply'];
  readonly #applies: AttributesConfig['applies'];

  constructor(_settings: ComponentSettings, config: AttributesConfig, next: LogsConsumer) {
    this.#next = next;
    this.#apply = config.apply;
    this.#applies = config.applies;
  }

  async start(): Promise<void> {}

  consume(batch: LogBatch): Promise<void> {
    return this.#next.consume(
      batch.map((record) => {
        if (!this.#applies(record)) return record;
        const attributes = this.#apply(record.attributes);
        // Records are shared with other consumers (fan-out): a change makes a new record.
        return attributes === record.attributes ? record : { ...record, attributes };
      }),
    );
  }

  async shutdown(): Promise<void> {}
}
