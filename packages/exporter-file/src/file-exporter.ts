import { resolve } from 'node:path';
import { encodeLogsJsonBytes } from '@oktel/otlp-encoding';
import { createQueuedExporter, PermanentError, type ComponentSettings, type Exporter, type LogBatch, type RequestCodec } from '@oktel/core';
import type { FileExporterConfig } from './config.js';
import { RotatingFile } from './rotating-file.js';

const NEWLINE = 0x0a;

/**
 * One OTLP/JSON ExportLogsServiceRequest per line, as the Collector's file exporter writes;
 * written as text straight from the records (byte for byte the OpenTelemetry JsonLogsSerializer's
 * output, which @oktel/otlp-encoding's differential test holds it to).
 */
export function encodeOtlpJsonLine(batch: LogBatch): Buffer {
  return encodeLogsJsonBytes(batch, NEWLINE);
}

interface EncodedLine {
  line: Buffer;
  records: number;
}

const lineCodec: RequestCodec<EncodedLine> = {
  marshal: (request) => ({ line: request.line.toString('utf8') }),
  unmarshal: (stored) => {
    if (typeof stored.line !== 'string' || typeof stored.records !== 'number') throw new PermanentError('not an encoded file-exporter line');
    return { line: Buffer.from(stored.line, 'utf8'), records: stored.records };
  },
};

/**
 * Appends through core's exporterhelper: the same sending_queue / retry_on_failure / timeout
 * keys as otlp_http, so a full disk (ENOSPC) is retried with backoff and, with storage, queued
 * records survive a restart. Appends are serialized whatever num_consumers is: lines never interleave.
 */
export function createFileExporter(settings: ComponentSettings, config: FileExporterConfig): Exporter {
  const file = new RotatingFile(resolve(config.path), {
    maxBytes: config.rotation.max_megabytes * 1024 * 1024,
    maxBackups: config.rotation.max_backups,
  });
  let tail: Promise<void> = Promise.resolve();
  const append = (line: Buffer): Promise<void> => {
    const next = tail.then(() => file.append(line));
    tail = next.catch(() => undefined);
    return next;
  };
  return createQueuedExporter<EncodedLine>(settings, config, {
    encode: (records) => ({ line: encodeOtlpJsonLine(records), records: records.length }),
    records: (request) => request.records,
    codec: lineCodec,
    start: () => file.open(),
    push: (request) => append(request.line),
    shutdown: async () => {
      await tail;
      await file.close();
    },
  });
}
