// Would detection on a second thread reach issue 12's "detection keeps >= 0.9 of the
// no-processor throughput"? A spike, not the product: the pipeline thread's own work per batch
// (parse, map, OTLP protobuf encoding) measured three ways over the same events —
//   none:   no detection;
//   inline: the detection processor on the pipeline thread, as oktel runs it today;
//   worker: the raw lines handed to a worker thread (one string copy) that parses them again and
//           runs detection, answering with tags and alerts; the pipeline thread keeps one batch
//           ahead and applies the answer before encoding.
// Prints events/s and the ratio to "none" (pnpm bench detection-offload [events]).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { LogBatch, LogRecord } from '@oktel/core';
import { withAttributes } from '@oktel/core';
import { logEventToRecord, oktaResource } from '@oktel/okta-log-event';
import { encodeLogsProto } from '@oktel/otlp-encoding';
import { detectionConfigSchema, detectionProcessorFactory } from '@oktel/processor-detection';
import { OKTA_RULES_DIR } from '@oktel/rules-okta';
import { testHost, testSettings } from '@oktel/testkit';
import type { Verdict } from './detection-offload-worker.js';
import { eventsFile } from './pipeline.js';

const BATCH = 1000;
const context = { resource: oktaResource({ domain: 'bench.okta.com' }), scope: { name: 'bench' } };

async function batchesOf(path: string): Promise<string[][]> {
  const batches: string[][] = [];
  let batch: string[] = [];
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (!line) continue;
    batch.push(line);
    if (batch.length === BATCH) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

const toRecords = (lines: string[]): LogRecord[] => lines.map((line) => logEventToRecord(JSON.parse(line), context));

async function none(batches: string[][]): Promise<number> {
  let bytes = 0;
  for (const lines of batches) bytes += encodeLogsProto(toRecords(lines)).length;
  return bytes;
}

async function inline(batches: string[][]): Promise<number> {
  let bytes = 0;
  let out: LogRecord[] = [];
  const processor = detectionProcessorFactory.create(
    testSettings('processor', 'detection'),
    detectionConfigSchema.parse({ rules: [OKTA_RULES_DIR], log_alerts: false }),
    { consume: async (batch: LogBatch) => void (out = [...batch]) },
  );
  await processor.start(testHost());
  for (const lines of batches) {
    await processor.consume(toRecords(lines));
    bytes += encodeLogsProto(out).length;
  }
  await processor.shutdown();
  return bytes;
}

async function offloaded(batches: string[][], worker: Worker): Promise<number> {
  const waiting = new Map<number, (verdict: Verdict) => void>();
  const onMessage = (verdict: Verdict) => waiting.get(verdict.id)?.(verdict);
  worker.on('message', onMessage);
  const ask = (id: number): Promise<Verdict> => {
    const answer = new Promise<Verdict>((resolve) => waiting.set(id, resolve));
    worker.postMessage({ id, text: batches[id]!.join('\n') });
    return answer;
  };
  let bytes = 0;
  let next = ask(0);
  for (let id = 0; id < batches.length; id++) {
    const current = next;
    if (id + 1 < batches.length) next = ask(id + 1);
    const records = toRecords(batches[id]!);
    const verdict = await current;
    waiting.delete(id);
    for (const [i, tags] of verdict.tags) records[i] = withAttributes(records[i]!, tags);
    // A structured clone keeps an alert's data but not its resource's class: the pipeline thread
    // gives it back the resource object it holds for the org (one org here).
    const alerts = verdict.alerts.map((alert) => ({ ...alert, resource: context.resource }));
    bytes += encodeLogsProto(alerts.length > 0 ? [...records, ...alerts] : records).length;
  }
  worker.off('message', onMessage);
  return bytes;
}

async function timed(run: () => Promise<number>): Promise<{ seconds: number; bytes: number }> {
  const start = process.hrtime.bigint();
  const bytes = await run();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, bytes };
}

export async function runDetectionOffloadBenchmark(options: { events: number; rounds?: number }) {
  const batches = await batchesOf(await eventsFile(options.events));
  const events = batches.reduce((n, b) => n + b.length, 0);
  // The bench runs under tsx, whose loader hooks a worker does not inherit: register them first.
  const entry = JSON.stringify(new URL('./detection-offload-worker.ts', import.meta.url).href);
  const worker = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}); });`, { eval: true });
  const ready = () => new Promise<void>((resolve) => worker.once('message', () => resolve()));
  await ready();
  const rounds = options.rounds ?? 3;
  const seconds: Record<'none' | 'inline' | 'worker', number[]> = { none: [], inline: [], worker: [] };
  const bytes: Record<string, number> = {};
  // A warm-up round first (not counted), then interleaved rounds, so the machine's load hits the
  // three alike. Each round starts from a fresh engine in the worker, as inline gets a fresh
  // processor: the same events then give the same tags and alerts, which the encoded bytes show.
  for (let r = 0; r <= rounds; r++) {
    worker.postMessage({ reset: true });
    await ready();
    for (const [name, run] of [
      ['none', () => none(batches)],
      ['inline', () => inline(batches)],
      ['worker', () => offloaded(batches, worker)],
    ] as const) {
      const t = await timed(run);
      if (r > 0) seconds[name].push(t.seconds);
      bytes[name] = t.bytes;
    }
  }
  await worker.terminate();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rate = (name: 'none' | 'inline' | 'worker') => Math.round(events / median(seconds[name]));
  return {
    events,
    rounds,
    eventsPerSec: { none: rate('none'), inline: rate('inline'), worker: rate('worker') },
    vsNone: { inline: Number((rate('inline') / rate('none')).toFixed(2)), worker: Number((rate('worker') / rate('none')).toFixed(2)) },
    encodedBytes: bytes,
    // Same tags and alerts both ways (the same bytes encoded): the worker does the same detection.
    sameOutput: bytes.inline === bytes.worker,
  };
}
