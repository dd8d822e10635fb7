import type { ExporterFactory } from '@oktel/core';
import { fileExporterConfigSchema, type FileExporterConfig } from './config.js';
import { createFileExporter } from './file-exporter.js';

export const fileExporterFactory: ExporterFactory<FileExporterConfig> = {
  type: 'file',
  kind: 'exporter',
  description: 'Writes OTLP/JSON to a file, one ExportLogsServiceRequest per line, rotated by size.',
  stability: 'alpha',
  configSchema: fileExporterConfigSchema,
  extensionRefs: (config) =>
    config.sending_queue.storage ? [{ path: ['sending_queue', 'storage'], extensionId: config.sending_queue.storage, capability: 'storage' }] : [],
  create: createFileExporter,
};
