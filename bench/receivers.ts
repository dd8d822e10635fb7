// Records/s into the otlp receiver (OTLP/HTTP proto, proto+gzip, JSON; OTLP/gRPC) from the
// OpenTelemetry JS exporters, and events/s into the okta_event_hook receiver from the simulated
// Okta, each on loopback into a consumer that accepts at once.
import { OTLPLogExporter as GrpcExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { LogBatch } from '@oktel/core';
import { logEventToRecord, oktaResource } from '@oktel/okta-log-event';
import { EventHookDelivery, generateActivity, SCENARIOS } from '@oktel/okta-simulator';
import { otlpReceiverConfigSchema, OtlpReceiver } from '@oktel/receiver-otlp';
import { oktaEventHookConfigSchema, OktaEventHookReceiver } from '@oktel/receiver-okta-event-hook';
import { testHost, testSettings } from '@oktel/testkit';

const BATCH = 500;

function sampleEvents(n: number) {
  const { events } = generateActivity({
    seed: 5,
    start: Date.parse('2026-11-20T00:00:00Z'),
    signIns: Math.ceil(n / 6),
    meanGapMs: 5000,
    scenarios: [...SCENARIOS],
  });
  return events.slice(0, n);
}

interface Sender {
  export(records: ReadableLogRecord[], done: (r: { code: number; error?: Error }) => void): void;
  shutdown(): Promise<void>;
}

async function throughOtlp(
  records: ReadableLogRecord[],
  protocol: 'http' | 'grpc',
  makeSender: (url: string) => Sender,
): Promise<{ records_per_s: number; received: number }> {
  let received = 0;
  const sink = {
    consume: async (batch: LogBatch) => {
      received += batch.length;
    },
  };
  const protocols = protocol === 'http' ? { http: { endpoint: '127.0.0.1:0' } } : { grpc: { endpoint: '127.0.0.1:0', max_request_body_size: '64MiB' } };
  const receiver = new OtlpReceiver(testSettings('receiver', 'otlp'), otlpReceiverConfigSchema.parse({ protocols }), sink);
  await receiver.start(testHost());
  const sender = makeSender(protocol === 'http' ? `${receiver.url}/v1/logs` : `http://${receiver.grpcAddress}`);
  const start = process.hrtime.bigint();
  for (let i = 0; i < records.length; i += BATCH) {
    const result = await new Promise<{ code: number; error?: Error }>((resolve) => sender.export(records.slice(i, i + BATCH), resolve));
    if (result.code !== 0) throw result.error ?? new Error('export failed');
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await sender.shutdown();
  await receiver.shutdown();
  return { records_per_s: Math.round((records.length / ms) * 1000), received };
}

async function throughHook(n: number): Promise<{ events_per_s: number; received: number }> {
  const events = sampleEvents(n * 3);
  const types = [...new Set(events.map((e) => e.eventType))].filter(
    (t) =>
      ![
        'policy.evaluate_sign_on',
        'security.threat.detected',
        'system.push.send_factor_verify_push',
        'user.mfa.okta_verify.deny_push',
        'app.generic.unauth_app_access_attempt',
      ].includes(t),
  );
  let received = 0;
  const secret = 'bench-hook-secret-0123456789';
  const receiver = new OktaEventHookReceiver(
    testSettings('receiver', 'okta_event_hook'),
    oktaEventHookConfigSchema.parse({ endpoint: '127.0.0.1:0', authorization: { value: secret } }),
    {
      consume: async (b) => {
        received += b.length;
      },
    },
  );
  await receiver.start(testHost());
  const okta = new EventHookDelivery({ url: receiver.url, eventTypes: types, auth: { header: 'Authorization', value: secret }, maxEventsPerCall: 50 });
  await okta.verify();
  const start = process.hrtime.bigint();
  const delivered = await okta.deliver(events);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await receiver.shutdown();
  return { events_per_s: Math.round((delivered / ms) * 1000), received };
}

export async function runReceiversBenchmark(options: { records: number }): Promise<Record<string, unknown>> {
  const ctx = { resource: oktaResource({ domain: 'bench.okta.com' }), scope: { name: 'bench' } };
  const records = sampleEvents(options.records).map((e) => logEventToRecord(e, ctx)) as ReadableLogRecord[];
  return {
    records: records.length,
    batch: BATCH,
    otlp_http_proto: await throughOtlp(records, 'http', (url) => new ProtoExporter({ url })),
    otlp_http_proto_gzip: await throughOtlp(records, 'http', (url) => new ProtoExporter({ url, compression: 'gzip' as never })),
    otlp_http_json: await throughOtlp(records, 'http', (url) => new JsonExporter({ url })),
    otlp_grpc: await throughOtlp(records, 'grpc', (url) => new GrpcExporter({ url })),
    okta_event_hook_50_per_call: await throughHook(options.records),
  };
}
