import { RecordView } from '@oktel/connector-routing';
import { truthy } from '@oktel/jsonlogic';
import { errorMessage, PermanentError, type ComponentSettings, type LogBatch, type LogRecord, type LogsConsumer, type Processor } from '@oktel/core';
import type { FilterConfig } from './config.js';

/**
 * Counted apart from failures: a record dropped on purpose is neither sent nor lost, so
 * whatever judges a run by failed or dropped counts must not count these.
 */
export const FILTERED_LOG_RECORDS = 'filtered_log_records';

/** The `filter` processor: drops every record that meets one of the conditions. */
export class FilterProcessor implements Processor {
  readonly #settings: ComponentSettings;
  readonly #config: FilterConfig;
  readonly #next: LogsConsumer;
  #reportedErrors = 0;

  constructor(settings: ComponentSettings, config: FilterConfig, next: LogsConsumer) {
    this.#settings = settings;
    this.#config = config;
    this.#next = next;
  }

  async start(): Promise<void> {}

  #drops(record: LogRecord): boolean {
    const view = new RecordView(record);
    for (const [i, condition] of this.#config.conditions.entries()) {
      try {
        if (truthy(condition(view))) return true;
      } catch (err) {
        if (this.#config.error_mode === 'propagate')
          throw new PermanentError(`filter condition ${i} failed on a record: ${errorMessage(err)}`, { code: 'ERR_FILTER_CONDITION', cause: err });
        this.#settings.telemetry.add('condition_errors', 1, 'Filter conditions that threw on a record (the record was kept)');
        if (this.#reportedErrors++ < 20) this.#settings.logger.warn(`Filter condition ${i} failed on a record; keeping it: ${errorMessage(err)}`);
      }
    }
    return false;
  }

  async consume(batch: LogBatch): Promise<void> {
    const kept = batch.filter((record) => !this.#drops(record));
    this.#settings.telemetry.add(FILTERED_LOG_RECORDS, batch.length - kept.length, 'Records dropped on purpose by a filter condition');
    if (kept.length > 0) await this.#next.consume(kept);
  }

  async shutdown(): Promise<void> {}
}
