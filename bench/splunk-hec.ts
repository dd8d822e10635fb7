// Records/s through the splunk_hec exporter next to otlp_http, both to a discard server on
// 127.0.0.1 that reads each request and answers as the backend would (HEC: {"code":0}).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Exporter, LogRecord } from '@oktel/core';
import { otlpHttpConfigSchema, OtlpHttpExporter } from '@oktel/exporter-otlp';
import { splunkHecConfigSchema, SplunkHecExporter } from '@oktel/exporter-splunk-hec';
import { logEventToRecord, oktaResource } from '@oktel/okta-log-event';
import { generateActivity, SCENARIOS } from '@oktel/okta-simulator';
import { testHost, testSettings } from '@oktel/testkit';

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

async function discardServer() {
  let bytes = 0;
  let requests = 0;
  const server = createServer((req, res) => {
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      requests++;
      const hec = req.url?.startsWith('/services/collector');
      res.writeHead(200, { 'content-type': hec ? 'application/json' : 'application/x-protobuf' });
      res.end(hec ? '{"text":"Success","code":0}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    stats: () => ({ bytes, requests }),
    reset: () => {
      bytes = 0;
      requests = 0;
    },
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function timed(exporter: Exporter, records: LogRecord[]): Promise<number> {
  await exporter.start(testHost());
  const start = process.hrtime.bigint();
  for (let i = 0; i < records.length; i += BATCH) await exporter.consume(records.slice(i, i + BATCH));
  await exporter.shutdown();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function runSplunkHecBenchmark(options: { records: number; rounds: number }) {
  const records = sample(options.records);
  const server = await discardServer();
  const perSec = (ms: number) => Math.round(records.length / (ms / 1000));
  const cases: Record<string, () => Exporter> = {
    splunk_hec_gzip: () =>
      new SplunkHecExporter(testSettings('exporter', 'splunk_hec'), splunkHecConfigSchema.parse({ endpoint: server.url, token: 'bench-token' })),
    splunk_hec_uncompressed: () =>
      new SplunkHecExporter(
        testSettings('exporter', 'splunk_hec'),
        splunkHecConfigSchema.parse({ endpoint: server.url, token: 'bench-token', disable_compression: true }),
      ),
    otlp_http_proto_gzip: () =>
      new OtlpHttpExporter(
        testSettings('exporter', 'otlp_http'),
        otlpHttpConfigSchema.parse({ endpoint: server.url, encoding: 'proto', sending_queue: { num_consumers: 4 } }),
      ),
  };
  const result: Record<string, number> = { records: records.length };
  for (const [name, make] of Object.entries(cases)) {
    const runs: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      server.reset();
      runs.push(perSec(await timed(make(), records)));
    }
    runs.sort((a, b) => a - b);
    result[`${name}_records_per_sec_median`] = runs[Math.floor(runs.length / 2)]!;
    result[`${name}_bytes_per_record`] = Math.round(server.stats().bytes / records.length);
    result[`${name}_requests`] = server.stats().requests;
  }
  await server.stop();
  return result;
}
