import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { compress, contentEncoding, encodeLogsJsonBytes, encodeLogsProto, type Compression } from '@oktel/otlp-encoding';
import type { LogBatch } from '@oktel/core';

export interface EncodedBatch {
  body: Buffer;
  records: number;
  contentType: string;
  /** The body is gzip-compressed (kept beside contentEncoding: splunk_hec and older persistent queues use it). */
  gzip: boolean;
  /** The body's Content-Encoding when not gzip (zstd); undefined otherwise. */
  contentEncoding?: string;
  /** Bytes of the request before compression (for batch.max_bytes; not persisted). */
  encodedBytes?: number;
}

export interface EncodeOptions {
  encoding: 'proto' | 'json';
  compression: Compression;
  /** Compression level; undefined is the codec's fast default (gzip 1, zstd 3). */
  level?: number | undefined;
}

/**
 * An ExportLogsServiceRequest for the batch, written straight from the records by
 * @oktel/otlp-encoding (byte for byte what the OpenTelemetry JS serializers write, a differential
 * test holds it to that), then compressed on libuv's thread pool so the pipeline thread only
 * encodes.
 */
export async function encodeBatch(batch: LogBatch, options: EncodeOptions): Promise<EncodedBatch> {
  const raw = options.encoding === 'proto' ? encodeLogsProto(batch) : encodeLogsJsonBytes(batch);
  const body = await compress(raw, options.compression, options.level);
  const encoding = contentEncoding(options.compression);
  return {
    body,
    records: batch.length,
    encodedBytes: raw.length,
    contentType: options.encoding === 'proto' ? 'application/x-protobuf' : 'application/json',
    gzip: encoding === 'gzip',
    ...(encoding && encoding !== 'gzip' ? { contentEncoding: encoding } : {}),
  };
}

/** OTLP partial success: how many records the backend rejected, and why. */
export function partialSuccess(body: Buffer, encoding: 'proto' | 'json'): { rejected: number; message: string } | undefined {
  if (body.length === 0) return undefined;
  try {
    const response = encoding === 'proto' ? ProtobufLogsSerializer.deserializeResponse(body) : JsonLogsSerializer.deserializeResponse(body);
    const partial = response.partialSuccess;
    const rejected = Number(partial?.rejectedLogRecords ?? 0);
    return rejected > 0 ? { rejected, message: partial?.errorMessage ?? '' } : undefined;
  } catch {
    return undefined;
  }
}
