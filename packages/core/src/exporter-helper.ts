import type { ComponentSettings, Exporter, Host } from './component.js';
import { RetryableError } from './errors.js';
import type { LogBatch } from './record.js';
import { Counters } from './service/telemetry.js';

export interface PushExporterOptions {
  start?(host: Host): Promise<void>;
  /** Sends one batch; resolves when it is written, rejects when it is not. */
  push(batch: LogBatch): Promise<void>;
  shutdown?(): Promise<void>;
}

/**
 * An exporter whose push is synchronous with consume (no queue of its own): counts sent and
 * send_failed, and refuses data after shutdown rather than writing to a closed sink.
 */
export function pushExporter(settings: ComponentSettings, options: PushExporterOptions): Exporter {
  let stopped = false;
  return {
    start: async (host) => options.start?.(host),
    async consume(batch) {
      if (stopped) throw new RetryableError(`exporter ${settings.id} is shut down`);
      try {
        await options.push(batch);
      } catch (err) {
        settings.telemetry.add(Counters.exporterSendFailed, batch.length);
        throw err;
      }
      settings.telemetry.add(Counters.exporterSent, batch.length);
    },
    async shutdown() {
      if (stopped) return;
      stopped = true;
      await options.shutdown?.();
    },
  };
}
