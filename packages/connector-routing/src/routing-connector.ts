import { errorMessage, fanout, PermanentError, type ComponentSettings, type Connector, type LogBatch, type LogRecord, type LogsConsumer } from '@oktel/core';
import { truthy } from '@oktel/jsonlogic';
import type { RoutingConfig } from './config.js';
import { RecordView } from './record-view.js';

/** Splits each batch by route and hands every part to its pipelines; parts go out concurrently. */
export class RoutingConnector implements Connector {
  readonly #settings: ComponentSettings;
  readonly #config: RoutingConfig;
  readonly #routes: LogsConsumer[];
  readonly #default: LogsConsumer | undefined;

  constructor(settings: ComponentSettings, config: RoutingConfig, pipelines: ReadonlyMap<string, LogsConsumer>) {
    this.#settings = settings;
    this.#config = config;
    const target = (ids: readonly string[]): LogsConsumer =>
      fanout(
        ids.map((id) => {
          const consumer = pipelines.get(id);
          if (!consumer)
            throw new PermanentError(`routing connector ${settings.id}: pipeline "${id}" does not list it as a receiver`, {
              code: 'ERR_CONFIG',
              context: { pipeline: id },
            });
          return consumer;
        }),
      );
    this.#routes = config.table.map((r) => target(r.pipelines));
    this.#default = config.default_pipelines.length > 0 ? target(config.default_pipelines) : undefined;
  }

  async start(): Promise<void> {}
  async shutdown(): Promise<void> {}

  async consume(batch: LogBatch): Promise<void> {
    const parts: LogRecord[][] = this.#routes.map(() => []);
    const unrouted: LogRecord[] = [];
    for (const record of batch) {
      const view = new RecordView(record);
      let routed = false;
      for (let i = 0; i < this.#config.conditions.length; i++) {
        let hit: boolean;
        try {
          hit = truthy(this.#config.conditions[i]!(view));
        } catch (err) {
          this.#settings.telemetry.add('condition_errors', 1, 'Route conditions that threw');
          if (this.#config.error_mode === 'propagate') throw err;
          this.#settings.logger.debug(`A route condition failed: ${errorMessage(err)}`);
          break;
        }
        if (hit) {
          parts[i]!.push(record);
          routed = true;
          break;
        }
      }
      if (!routed) unrouted.push(record);
    }
    const sends: Promise<void>[] = parts.flatMap((part, i) => (part.length > 0 ? [this.#routes[i]!.consume(part)] : []));
    if (unrouted.length > 0) {
      if (this.#default) sends.push(this.#default.consume(unrouted));
      else this.#settings.telemetry.add('unrouted_records', unrouted.length, 'Records no route took, with no default pipelines');
    }
    await Promise.all(sends);
  }
}
