import type { ExporterFactory } from '@oktel/core';
import { fileExporterConfigSchema, type FileExporterConfig } from './config.js';
import { createFileExporter } from './file-exporter.js';

export const fileExporterFactory: ExporterFactory<FileExporterConfig> = {
  type: 'file',
  kind: 'exporter',
  description: 'Writes OTLP/JSON to a file, one ExportLogsServiceRequest per line, rotated by size.',
  stability: 'alpha',
  configSchema: fileExporterConfigSchema,
  create: createFileExporter,
};
