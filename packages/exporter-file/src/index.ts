export { fileExporterConfigSchema, type FileExporterConfig } from './config.js';
export { fileExporterFactory } from './factory.js';
export { createFileExporter, encodeOtlpJsonLine } from './file-exporter.js';
export { RotatingFile, type RotationPolicy } from './rotating-file.js';
