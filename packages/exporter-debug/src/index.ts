export { debugExporterConfigSchema, type DebugExporterConfig } from './config.js';
export { createDebugExporter, type DebugOutput } from './debug-exporter.js';
export { debugExporterFactory } from './factory.js';
export { formatBasic, formatDetailed, formatNormal } from './format.js';
