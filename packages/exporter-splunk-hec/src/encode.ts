import { gzipSync } from 'node:zlib';
import { errorMessage, type LogBatch } from '@oktel/core';
import type { EncodedBatch } from '@oktel/exporter-otlp';
import type { SplunkHecConfig } from './config.js';
import { hecEvent } from './hec-event.js';

export interface EncodedRequests {
  requests: EncodedBatch[];
  /** Records that cannot be sent at all (too large for one request, not serialisable), with why. */
  rejected: { index: number; reason: string }[];
}

/**
 * HEC request bodies for the records: events one after another (HEC's batch format), each
 * request at most max_content_length bytes before gzip and batch.max_size events.
 */
export function encodeRequests(batch: LogBatch, config: SplunkHecConfig): EncodedRequests {
  const requests: EncodedBatch[] = [];
  const rejected: EncodedRequests['rejected'] = [];
  let parts: Buffer[] = [];
  let bytes = 0;
  const flush = () => {
    if (parts.length === 0) return;
    const raw = Buffer.concat(parts, bytes);
    requests.push({
      body: config.disable_compression ? raw : gzipSync(raw),
      records: parts.length,
      contentType: 'application/json',
      gzip: !config.disable_compression,
    });
    parts = [];
    bytes = 0;
  };
  batch.forEach((record, index) => {
    let line: Buffer;
    try {
      line = Buffer.from(`${JSON.stringify(hecEvent(record, config))}\n`, 'utf8');
    } catch (err) {
      rejected.push({ index, reason: `cannot be written as JSON: ${errorMessage(err)}` });
      return;
    }
    if (line.length > config.max_content_length) {
      rejected.push({ index, reason: `is ${line.length} bytes, more than max_content_length (${config.max_content_length})` });
      return;
    }
    if (bytes + line.length > config.max_content_length || parts.length >= config.batch.max_size) flush();
    parts.push(line);
    bytes += line.length;
  });
  flush();
  return { requests, rejected };
}
