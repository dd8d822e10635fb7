export { logsUrl, otlpHttpConfigSchema, type OtlpHttpConfig } from './config.js';
export { encodeBatch, partialSuccess, type EncodedBatch } from './encode.js';
export { otlpHttpExporterFactory } from './factory.js';
export { OtlpHttpExporter } from './otlp-http-exporter.js';
export { createSender, retryAfterMs, type Sender, type SendResult } from './send.js';
export { SendingQueue, type QueueItem } from './sending-queue.js';
