import type { ExporterFactory } from '@oktel/core';
import { debugExporterConfigSchema, type DebugExporterConfig } from './config.js';
import { createDebugExporter } from './debug-exporter.js';

export const debugExporterFactory: ExporterFactory<DebugExporterConfig> = {
  type: 'debug',
  kind: 'exporter',
  description: 'Prints records to the console (basic, normal or detailed), for trying out a pipeline.',
  stability: 'alpha',
  configSchema: debugExporterConfigSchema,
  create: (settings, config) => createDebugExporter(settings, config),
};
