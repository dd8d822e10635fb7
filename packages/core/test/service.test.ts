import { expect } from 'chai';
import { z } from 'zod';
import {
  ComponentRegistry, createLogger, hrTimeFromMillis, MemoryLogSink, resolveConfig, Service, withAttributes, YamlSource,
  type LogBatch, type LogRecord, type ProcessorFactory,
} from '@oktel/core';
import { batchesReceiverFactory, LogsSink, sinkExporterFactory } from '@oktel/testkit';

const resource = { attributes: { 'service.name': 'test' } } as unknown as LogRecord['resource'];
function record(n: number): LogRecord {
  return { hrTime: hrTimeFromMillis(1_700_000_000_000 + n), hrTimeObserved: hrTimeFromMillis(1_700_000_000_000), body: `record ${n}`, attributes: { n }, resource, instrumentationScope: { name: 'test' }, droppedAttributesCount: 0 };
}
function batches(count: number, size: number): LogBatch[] {
  return Array.from({ length: count }, (_, b) => Array.from({ length: size }, (_, i) => record(b * size + i)));
}

/** A processor that tags records with its pipeline and can be slow; records lifecycle calls. */
function taggingProcessor(events: string[], delayMs = 0): ProcessorFactory<Record<string, never>> {
  return {
    type: 'tag',
    kind: 'processor',
    description: 'test',
    stability: 'development',
    configSchema: z.strictObject({}),
    create: (settings, _config, next) => ({
      async start() {
        events.push(`start ${settings.id} ${settings.pipelineId ?? ''}`.trim());
      },
      async shutdown() {
        events.push(`shutdown ${settings.id}`);
      },
      async consume(batch) {
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        await next.consume(batch.map((r) => withAttributes(r, { pipeline: settings.pipelineId ?? 'only' })));
      },
    }),
  };
}

function build(yaml: string, factories: ConstructorParameters<typeof ComponentRegistry>[0], logs = new MemoryLogSink()): Service {
  const { source } = YamlSource.fromText('test.yaml', yaml);
  const config = resolveConfig([source!], new ComponentRegistry(factories), {});
  return new Service(config, { logger: createLogger({ sink: logs }) });
}

describe('service', () => {
  it('fans one pipeline out to two exporters, each receiving every record', async () => {
    const a = new LogsSink();
    const b = new LogsSink();
    const service = build(
      'receivers: { src: {} }\nexporters: { a: {}, b: {} }\nservice: { pipelines: { logs: { receivers: [src], exporters: [a, b] } } }',
      [batchesReceiverFactory('src', () => batches(5, 10)), sinkExporterFactory('a', a), sinkExporterFactory('b', b)],
    );
    await service.start();
    await service.whenAllDone();
    await service.shutdown();
    expect(a.count).to.equal(50);
    expect(b.count).to.equal(50);
    expect(a.records.map((r) => r.attributes.n)).to.deep.equal(b.records.map((r) => r.attributes.n));
  });

  it('feeds one receiver into several pipelines, with a processor instance per pipeline', async () => {
    const a = new LogsSink();
    const b = new LogsSink();
    const events: string[] = [];
    const service = build(
      `receivers: { src: {} }
processors: { tag: {} }
exporters: { a: {}, b: {} }
service:
  pipelines:
    logs/one: { receivers: [src], processors: [tag], exporters: [a] }
    logs/two: { receivers: [src], processors: [tag], exporters: [b] }`,
      [batchesReceiverFactory('src', () => batches(2, 3)), taggingProcessor(events), sinkExporterFactory('a', a), sinkExporterFactory('b', b)],
    );
    await service.start();
    await service.whenAllDone();
    await service.shutdown();
    expect(a.records.map((r) => r.attributes.pipeline)).to.deep.equal(Array(6).fill('logs/one'));
    expect(b.records.map((r) => r.attributes.pipeline)).to.deep.equal(Array(6).fill('logs/two'));
    expect(events.filter((e) => e.startsWith('start'))).to.deep.equal(['start tag logs/one', 'start tag logs/two']);
    const summary = service.telemetry.snapshot();
    expect(summary.find((c) => c.id === 'src')!.values).to.deep.include({ accepted_log_records: 6 });
    expect(summary.find((c) => c.id === 'tag (logs/one)')!.values).to.deep.equal({ incoming_items: 6, outgoing_items: 6 });
  });

  it('shuts down receivers first and waits for in-flight batches to drain', async () => {
    const sink = new LogsSink();
    sink.delayMs = 30;
    const events: string[] = [];
    const service = build(
      'receivers: { src: {} }\nprocessors: { tag: {} }\nexporters: { a: {} }\nservice: { pipelines: { logs: { receivers: [src], processors: [tag], exporters: [a] } } }',
      [batchesReceiverFactory('src', () => batches(4, 5)), taggingProcessor(events, 10), sinkExporterFactory('a', sink)],
    );
    await service.start();
    await sink.waitFor(5);
    await service.shutdown();
    // Everything the receiver handed over before shutdown completed reached the exporter.
    expect(sink.count).to.equal(20);
    expect(events).to.deep.equal(['start tag', 'shutdown tag']);
    expect(service.state).to.equal('stopped');
  });

  it('serves Prometheus metrics and health on loopback while running', async () => {
    const sink = new LogsSink();
    const service = build(
      `receivers: { src: {} }
exporters: { a: {} }
service:
  pipelines: { logs: { receivers: [src], exporters: [a] } }
  telemetry:
    metrics: { enabled: true, address: "127.0.0.1:0" }
    health: { enabled: true, address: "127.0.0.1:0" }`,
      [batchesReceiverFactory('src', () => batches(1, 7)), sinkExporterFactory('a', sink)],
    );
    await service.start();
    await service.whenAllDone();
    const [metricsAt, healthAt] = service.endpointAddresses();
    expect(metricsAt).to.match(/^127\.0\.0\.1:\d+$/);
    const metrics = await (await fetch(`http://${metricsAt}/metrics`)).text();
    expect(metrics).to.contain('oktel_receiver_accepted_log_records_total{receiver="src"} 7');
    expect(metrics).to.contain('oktel_exporter_sent_log_records_total{exporter="a"} 7');
    const health = await fetch(`http://${healthAt}/health`);
    expect(health.status).to.equal(200);
    expect(await health.json()).to.deep.include({ healthy: true, status: 'running' });
    await service.shutdown();
  });

  it('stops what it started when a component fails to start', async () => {
    const events: string[] = [];
    const failing = { ...sinkExporterFactory('bad', new LogsSink()), create: () => ({ start: async () => { throw new Error('port in use'); }, shutdown: async () => undefined, consume: async () => undefined }) };
    const service = build(
      'receivers: { src: {} }\nprocessors: { tag: {} }\nexporters: { bad: {} }\nservice: { pipelines: { logs: { receivers: [src], processors: [tag], exporters: [bad] } } }',
      [batchesReceiverFactory('src', () => []), taggingProcessor(events), failing],
    );
    let error: unknown;
    await service.start().catch((err: unknown) => (error = err));
    expect(String(error)).to.contain('exporter "bad" failed to start: port in use');
    expect(events).to.deep.equal([]);
    expect(service.state).to.equal('stopped');
  });
});
