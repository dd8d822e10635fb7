import type { ExporterFactory } from '@oktel/core';
import { otlpHttpConfigSchema, type OtlpHttpConfig } from './config.js';
import { OtlpHttpExporter } from './otlp-http-exporter.js';

export const otlpHttpExporterFactory: ExporterFactory<OtlpHttpConfig> = {
  type: 'otlp_http',
  aliases: ['otlphttp'],
  kind: 'exporter',
  description: 'Sends records over OTLP/HTTP (protobuf or JSON) with a bounded, optionally persistent queue and retries.',
  stability: 'development',
  configSchema: otlpHttpConfigSchema,
  extensionRefs: (config) =>
    config.sending_queue.storage ? [{ path: ['sending_queue', 'storage'], extensionId: config.sending_queue.storage, capability: 'storage' }] : [],
  create: (settings, config) => new OtlpHttpExporter(settings, config),
};
