// Records/s and MB/s of OTLP encoding and compression: oktel's direct writers beside the
// OpenTelemetry JS serializers, over the same generated Okta records (pnpm bench encoding).
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import type { LogRecord } from '@oktel/core';
import { logEventToRecord, oktaResource } from '@oktel/okta-log-event';
import { generateActivity, SCENARIOS } from '@oktel/okta-simulator';
import { serialize } from 'node:v8';
import { compress, encodeLogsJsonBytes, encodeLogsProto, zstdAvailable } from '@oktel/otlp-encoding';

const BATCH = 1000;

function sample(n: number): LogRecord[] {
  const { events } = generateActivity({
    seed: 11,
    start: Date.parse('2026-11-20T00:00:00Z'),
    signIns: Math.ceil(n / 5),
    meanGapMs: 3000,
    scenarios: [...SCENARIOS],
  });
  const ctx = { resource: oktaResource({ domain: 'bench.okta.com' }), scope: { name: 'bench' } };
  return events.slice(0, n).map((e) => logEventToRecord(e, ctx));
}

function batches(records: LogRecord[]): LogRecord[][] {
  const out: LogRecord[][] = [];
  for (let i = 0; i < records.length; i += BATCH) out.push(records.slice(i, i + BATCH));
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

type Variant = (batch: LogRecord[]) => number;

/**
 * Median over rounds of the time each variant takes over every batch. The variants run
 * interleaved within each round, so load from other processes on a shared machine hits them alike.
 */
function measure(
  parts: LogRecord[][],
  rounds: number,
  variants: Record<string, Variant>,
): Record<string, { records_per_s: number; mb_per_s: number; bytes: number }> {
  const records = parts.reduce((n, p) => n + p.length, 0);
  const times: Record<string, number[]> = {};
  const bytes: Record<string, number> = {};
  for (const [name, fn] of Object.entries(variants)) {
    for (const p of parts.slice(0, 3)) fn(p);
    times[name] = [];
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(variants)) {
      let total = 0;
      const start = process.hrtime.bigint();
      for (const p of parts) total += fn(p);
      times[name]!.push(Number(process.hrtime.bigint() - start) / 1e9);
      bytes[name] = total;
    }
  }
  const out: Record<string, { records_per_s: number; mb_per_s: number; bytes: number }> = {};
  for (const name of Object.keys(variants)) {
    const seconds = median(times[name]!);
    out[name] = { records_per_s: Math.round(records / seconds), mb_per_s: Math.round((bytes[name]! / seconds / 1e6) * 10) / 10, bytes: bytes[name]! };
  }
  return out;
}

async function measureCompression(
  body: Buffer,
  algorithm: 'gzip' | 'zstd',
  level: number,
  rounds: number,
): Promise<{ level: number; ratio: number; mb_per_s: number }> {
  const times: number[] = [];
  let size = 0;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    size = (await compress(body, algorithm, level)).length;
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return { level, ratio: Math.round((size / body.length) * 1000) / 1000, mb_per_s: Math.round(body.length / median(times) / 1e6) };
}

export async function runEncodingBenchmark(options: { records: number; rounds: number }) {
  const parts = batches(sample(options.records));
  const result: Record<string, unknown> = { records: options.records, batch: BATCH };
  Object.assign(
    result,
    measure(parts, options.rounds, {
      proto_opentelemetry: (b) => ProtobufLogsSerializer.serializeRequest(b)!.length,
      proto_oktel: (b) => encodeLogsProto(b).length,
      json_opentelemetry: (b) => JsonLogsSerializer.serializeRequest(b)!.length,
      json_oktel: (b) => encodeLogsJsonBytes(b).length,
      // What handing the batch to a worker would cost the pipeline thread: postMessage writes it
      // with this serializer (the worker then pays as much again to read it back).
      worker_handoff_v8_serialize: (b) => serialize(b).length,
    }),
  );
  const body = encodeLogsProto(parts[0]!);
  const levels: unknown[] = [];
  for (const level of [1, 3, 6, 9]) levels.push({ algorithm: 'gzip', ...(await measureCompression(body, 'gzip', level, options.rounds * 3)) });
  if (zstdAvailable) for (const level of [1, 3, 9]) levels.push({ algorithm: 'zstd', ...(await measureCompression(body, 'zstd', level, options.rounds * 3)) });
  result.compression_of_one_1000_record_batch = levels;
  return result;
}
