import { gzipSync } from 'node:zlib';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { PermanentError, type LogBatch } from '@oktel/core';

export interface EncodedBatch {
  body: Buffer;
  records: number;
  contentType: string;
  gzip: boolean;
}

/** An ExportLogsServiceRequest for the batch, by the OpenTelemetry JS serializers (not a hand-written encoder). */
export function encodeBatch(batch: LogBatch, encoding: 'proto' | 'json', gzip: boolean): EncodedBatch {
  const serializer = encoding === 'proto' ? ProtobufLogsSerializer : JsonLogsSerializer;
  const bytes = serializer.serializeRequest([...batch]);
  if (!bytes) throw new PermanentError(`the OTLP ${encoding} serializer could not encode a batch of ${batch.length} records`);
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    body: gzip ? gzipSync(raw) : raw,
    records: batch.length,
    contentType: encoding === 'proto' ? 'application/x-protobuf' : 'application/json',
    gzip,
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
