import { ExportResultCode } from '@opentelemetry/core';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { ComponentSettings, Exporter } from '../component.js';
import { errorMessage, RetryableError } from '../errors.js';
import type { LogBatch } from '../record.js';
import { exporterHelperConfigSchema, type ExporterHelperConfig } from './config.js';
import { createQueuedExporter } from './queued-exporter.js';

/**
 * Any LogRecordExporter from the OpenTelemetry JS ecosystem as an oktel exporter, with the
 * exporterhelper's queue, retries, per-attempt deadline, metrics and bounded shutdown. The
 * batch is passed as ReadableLogRecords and the callback becomes the push promise. Its queue
 * lives in memory only: SDK records cannot be persisted, so `sending_queue.storage` is refused.
 */
export function fromLogRecordExporter(
  settings: ComponentSettings,
  exporter: LogRecordExporter,
  config: ExporterHelperConfig = exporterHelperConfigSchema.parse({}),
): Exporter {
  return createQueuedExporter<LogBatch>(settings, config, {
    encode: (records) => records,
    records: (batch) => batch.length,
    push: (batch) =>
      new Promise<void>((resolve, reject) => {
        try {
          exporter.export([...batch], (result) => {
            if (result.code === ExportResultCode.SUCCESS) resolve();
            else reject(new RetryableError(`export failed: ${result.error ? errorMessage(result.error) : 'no reason given'}`, { cause: result.error }));
          });
        } catch (err) {
          reject(err);
        }
      }),
    shutdown: () => exporter.shutdown(),
  });
}
