export {
  batchConfig,
  exporterHelperConfigSchema,
  exporterHelperShape,
  retryOnFailureConfig,
  sendingQueueConfig,
  timeoutConfig,
  type ExporterHelperConfig,
  type SendingQueueDefaults,
} from './config.js';
export { fromLogRecordExporter } from './from-log-record-exporter.js';
export { SendingQueue, type QueueItem, type RequestCodec } from './queue.js';
export { createQueuedExporter, type PushResult, type QueuedExporterOptions } from './queued-exporter.js';
export { abortableSleep, MAX_TIMER_MS } from './wait.js';
