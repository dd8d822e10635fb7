import { resolve } from 'node:path';
import { JsonLogsSerializer } from '@opentelemetry/otlp-transformer';
import { PermanentError, pushExporter, type ComponentSettings, type Exporter, type LogBatch } from '@oktel/core';
import type { FileExporterConfig } from './config.js';
import { RotatingFile } from './rotating-file.js';

const NEWLINE = Buffer.from('\n');

/** One OTLP/JSON ExportLogsServiceRequest per line, as the Collector's file exporter writes. */
export function encodeOtlpJsonLine(batch: LogBatch): Buffer {
  const bytes = JsonLogsSerializer.serializeRequest([...batch]);
  if (!bytes) throw new PermanentError('the OTLP/JSON serializer could not encode the batch');
  return Buffer.concat([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), NEWLINE]);
}

export function createFileExporter(settings: ComponentSettings, config: FileExporterConfig): Exporter {
  const file = new RotatingFile(resolve(config.path), {
    maxBytes: config.rotation.max_megabytes * 1024 * 1024,
    maxBackups: config.rotation.max_backups,
  });
  return pushExporter(settings, {
    start: () => file.open(),
    push: (batch) => file.append(encodeOtlpJsonLine(batch)),
    shutdown: () => file.close(),
  });
}
