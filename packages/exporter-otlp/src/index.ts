export { logsUrl, otlpHttpConfigSchema, sendsInClearToRemote, type OtlpHttpConfig } from './config.js';
export { encodeBatch, partialSuccess, type EncodedBatch } from './encode.js';
export { otlpHttpExporterFactory } from './factory.js';
export { encodedBatchCodec, OtlpHttpExporter } from './otlp-http-exporter.js';
export { createSender, MAX_RESPONSE_BYTES, retryAfterMs, tlsOptions, type Sender, type SendResult } from './send.js';
