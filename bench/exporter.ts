// Records/s through the otlp_http exporter to a loopback sink (proto and JSON), and replay →
// detection → OTLP end to end, each beside a plain BatchLogRecordProcessor + OTLPLogExporter.
import { OTLPLogExporter as OtlpJsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { BatchLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { context } from '@opentelemetry/api';
import type { LogRecord } from '@oktel/core';
import { otlpHttpConfigSchema, OtlpHttpExporter } from '@oktel/exporter-otlp';
import { logEventToRecord, oktaResource } from '@oktel/okta-log-event';
import { detectionConfigSchema, detectionProcessorFactory } from '@oktel/processor-detection';
import { generateActivity, SCENARIOS } from '@oktel/okta-simulator';
import { OKTA_RULES_DIR } from '@oktel/rules-okta';
import { OtlpTestServer, testHost, testSettings } from '@oktel/testkit';

const BATCH = 500;

function sample(n: number): LogRecord[] {
  const { events } = generateActivity({
    seed: 5,
    start: Date.parse('2026-11-20T00:00:00Z'),
    signIns: Math.ceil(n / 6),
    meanGapMs: 5000,
    scenarios: [...SCENARIOS],
  });
  const ctx = { resource: oktaResource({ domain: 'bench.okta.com' }), scope: { name: 'bench' } };
  return events.slice(0, n).map((e) => logEventToRecord(e, ctx));
}

async function oktelExporter(records: LogRecord[], sink: OtlpTestServer, encoding: 'proto' | 'json', detection: boolean): Promise<number> {
  const exporter = new OtlpHttpExporter(
    testSettings('exporter', 'otlp_http'),
    otlpHttpConfigSchema.parse({ logs_endpoint: sink.url, encoding, sending_queue: { num_consumers: 4 } }),
  );
  await exporter.start(testHost());
  const head = detection
    ? detectionProcessorFactory.create(
        testSettings('processor', 'detection'),
        detectionConfigSchema.parse({ rules: [OKTA_RULES_DIR], log_alerts: false }),
        exporter,
      )
    : exporter;
  if (detection) await head.start(testHost());
  const start = process.hrtime.bigint();
  for (let i = 0; i < records.length; i += BATCH) await head.consume(records.slice(i, i + BATCH));
  if (detection) await head.shutdown();
  await exporter.shutdown();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The SDK's own path: each record through a BatchLogRecordProcessor into the OTLP exporter. */
async function sdkPipeline(records: LogRecord[], exporter: LogRecordExporter, detection: boolean): Promise<number> {
  const processor = new BatchLogRecordProcessor({ exporter, maxExportBatchSize: BATCH, maxQueueSize: 2048, scheduledDelayMillis: 50 });
  const detector = detection
    ? detectionProcessorFactory.create(testSettings('processor', 'detection'), detectionConfigSchema.parse({ rules: [OKTA_RULES_DIR], log_alerts: false }), {
        consume: async (batch) => {
          for (const r of batch) processor.onEmit(r as never);
        },
      })
    : undefined;
  const start = process.hrtime.bigint();
  for (let i = 0; i < records.length; i += BATCH) {
    const part = records.slice(i, i + BATCH);
    if (detector) await detector.consume(part);
    else for (const r of part) processor.onEmit(r as never);
    // Give the batch processor a turn, as an application emitting steadily would.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await detector?.shutdown();
  await processor.shutdown();
  void context;
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function runExporterBenchmark(options: { records: number }) {
  const records = sample(options.records);
  const sink = new OtlpTestServer();
  await sink.start();
  const perSec = (ms: number) => Math.round(records.length / (ms / 1000));
  const result: Record<string, number> = {};
  for (const encoding of ['proto', 'json'] as const) {
    sink.requests.length = 0;
    result[`oktel_${encoding}_records_per_sec`] = perSec(await oktelExporter(records, sink, encoding, false));
    sink.requests.length = 0;
    const sdkExporter = encoding === 'proto' ? new OtlpProtoExporter({ url: sink.url }) : new OtlpJsonExporter({ url: sink.url });
    result[`sdk_${encoding}_records_per_sec`] = perSec(await sdkPipeline(records, sdkExporter, false));
    result[`sdk_${encoding}_records_delivered`] = sink.requests.length === 0 ? 0 : sink.jsonRecords().length;
  }
  sink.requests.length = 0;
  result.oktel_end_to_end_detection_proto_records_per_sec = perSec(await oktelExporter(records, sink, 'proto', true));
  sink.requests.length = 0;
  result.sdk_end_to_end_detection_proto_records_per_sec = perSec(await sdkPipeline(records, new OtlpProtoExporter({ url: sink.url }), true));
  result.sdk_end_to_end_records_delivered = sink.jsonRecords().length;
  result.records = records.length;
  await sink.stop();
  return result;
}
