import { expect } from 'chai';
import { z } from 'zod';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ComponentRegistry,
  createLogger,
  ExporterFailureWatch,
  hrTimeFromMillis,
  MemoryLogSink,
  resolveConfig,
  Service,
  Telemetry,
  withAttributes,
  YamlSource,
  type ComponentTelemetry,
  type Exporter,
  type ExporterFactory,
  type Host,
  type LogBatch,
  type LogRecord,
  type ProcessorFactory,
  type ReceiverFactory,
} from '@oktel/core';
import { batchesReceiverFactory, LogsSink, noTelemetryEndpoints, sinkExporterFactory } from '@oktel/testkit';

const resource = { attributes: { 'service.name': 'test' } } as unknown as LogRecord['resource'];
function record(n: number): LogRecord {
  return {
    hrTime: hrTimeFromMillis(1_700_000_000_000 + n),
    hrTimeObserved: hrTimeFromMillis(1_700_000_000_000),
    body: `record ${n}`,
    attributes: { n },
    resource,
    instrumentationScope: { name: 'test' },
    droppedAttributesCount: 0,
  };
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

function build(yaml: string, factories: ConstructorParameters<typeof ComponentRegistry>[0], logs = new MemoryLogSink(), endpoints = false): Service {
  const { source, issues } = YamlSource.fromText('test.yaml', yaml);
  if (!source) throw new Error(JSON.stringify(issues));
  const config = resolveConfig(endpoints ? [source] : [source, noTelemetryEndpoints()], new ComponentRegistry(factories), {});
  return new Service(config, { logger: createLogger({ sink: logs }) });
}

describe('service', () => {
  it('fans one pipeline out to two exporters, each receiving every record', async () => {
    const a = new LogsSink();
    const b = new LogsSink();
    const service = build('receivers: { src: {} }\nexporters: { a: {}, b: {} }\nservice: { pipelines: { logs: { receivers: [src], exporters: [a, b] } } }', [
      batchesReceiverFactory('src', () => batches(5, 10)),
      sinkExporterFactory('a', a),
      sinkExporterFactory('b', b),
    ]);
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
    const src = batchesReceiverFactory('src', () => batches(4, 5));
    const observed = {
      ...src,
      create: (...args: Parameters<typeof src.create>) => {
        const receiver = src.create(...args);
        return {
          ...receiver,
          whenDone: () => receiver.whenDone?.(),
          shutdown: async () => {
            events.push('shutdown src begins');
            await receiver.shutdown();
            events.push(`shutdown src done, exporter has ${sink.count}`);
          },
        };
      },
    };
    const service = build(
      'receivers: { src: {} }\nprocessors: { tag: {} }\nexporters: { a: {} }\nservice: { pipelines: { logs: { receivers: [src], processors: [tag], exporters: [a] } } }',
      [observed, taggingProcessor(events, 10), sinkExporterFactory('a', sink)],
    );
    await service.start();
    await sink.waitFor(5);
    await service.shutdown();
    // The receiver is stopped before the processor, and the processor only once the in-flight batches reached the exporter.
    expect(events).to.deep.equal(['start tag', 'shutdown src begins', 'shutdown src done, exporter has 20', 'shutdown tag']);
    expect(sink.count).to.equal(20);
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
      new MemoryLogSink(),
      true,
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
    // The receiver starts last, after the processor: its failure must stop the processor already started.
    const failing = {
      ...batchesReceiverFactory('bad', () => []),
      create: () => ({
        start: async () => {
          throw new Error('port in use');
        },
        shutdown: async () => undefined,
      }),
    };
    const service = build(
      'receivers: { bad: {} }\nprocessors: { tag: {} }\nexporters: { a: {} }\nservice: { pipelines: { logs: { receivers: [bad], processors: [tag], exporters: [a] } } }',
      [failing, taggingProcessor(events), sinkExporterFactory('a', new LogsSink())],
    );
    let error: unknown;
    await service.start().catch((err: unknown) => (error = err));
    expect(String(error)).to.contain('receiver "bad" failed to start: port in use');
    expect(events).to.deep.equal(['start tag', 'shutdown tag']);
    expect(service.state).to.equal('stopped');
    expect(service.statuses().get('receiver/bad')).to.deep.include({ status: 'permanent_error', reason: 'failed to start: port in use' });
  });
});

/** An exporter type whose instances are built by `make`, for status and shutdown tests. */
function customExporter(type: string, exporter: Exporter, holder: { current?: Host } = {}): ExporterFactory<Record<string, never>> {
  return {
    type,
    kind: 'exporter',
    description: 'test',
    stability: 'development',
    configSchema: z.strictObject({}),
    create: () => ({
      ...exporter,
      start: async (host) => {
        holder.current = host;
        await exporter.start(host);
      },
    }),
  };
}
const quietExporter = (): Exporter => ({ start: async () => undefined, shutdown: async () => undefined, consume: async () => undefined });

/** A receiver that runs until shut down (a live source). */
const liveReceiver: ReceiverFactory<Record<string, never>> = {
  type: 'live',
  kind: 'receiver',
  description: 'test',
  stability: 'development',
  configSchema: z.strictObject({}),
  create: () => ({ start: async () => undefined, shutdown: async () => undefined }),
};

describe('service status, health and shutdown', () => {
  it('serves each component status in /health: 503 with the reason while one reports an error, 200 once it is ok again', async () => {
    const holder: { current?: Host } = {};
    const service = build(
      `receivers: { live: {} }
exporters: { x: {} }
service:
  pipelines: { logs: { receivers: [live], exporters: [x] } }
  telemetry:
    metrics: { enabled: false }
    health: { address: "127.0.0.1:0" }`,
      [liveReceiver, customExporter('x', quietExporter(), holder)],
      new MemoryLogSink(),
      true,
    );
    await service.start();
    const [healthAt] = service.endpointAddresses();
    const get = async (): Promise<{ status: number; body: { components: Record<string, { status: string; reason?: string }> } }> => {
      const res = await fetch(`http://${healthAt}/health`);
      return { status: res.status, body: (await res.json()) as never };
    };
    expect((await get()).status).to.equal(200);
    holder.current!.reportStatus('exporter/x', { status: 'recoverable_error', reason: 'backend answers 503' });
    const failing = await get();
    expect(failing.status).to.equal(503);
    expect(failing.body.components['exporter/x']).to.deep.include({ status: 'recoverable_error', reason: 'backend answers 503' });
    expect(failing.body.components['receiver/live']).to.deep.include({ status: 'ok' });
    holder.current!.reportStatus('exporter/x', { status: 'permanent_error', reason: 'API key refused' });
    expect((await get()).body.components['exporter/x']).to.deep.include({ status: 'permanent_error', reason: 'API key refused' });
    holder.current!.reportStatus('exporter/x', { status: 'ok' });
    expect((await get()).status).to.equal(200);
    await service.shutdown();
  });

  it('turns a fatal error into a stop request that later reports cannot hide', async () => {
    const holder: { current?: Host } = {};
    const service = build('receivers: { live: {} }\nexporters: { x: {} }\nservice: { pipelines: { logs: { receivers: [live], exporters: [x] } } }', [
      liveReceiver,
      customExporter('x', quietExporter(), holder),
    ]);
    await service.start();
    const stops: string[] = [];
    service.onFatal((id, event) => stops.push(`${id}: ${event.reason}`));
    holder.current!.reportStatus('exporter/x', { status: 'fatal_error', reason: 'storage directory is gone' });
    holder.current!.reportStatus('exporter/x', { status: 'ok' });
    expect(stops).to.deep.equal(['exporter/x: storage directory is gone']);
    expect(service.fatalError).to.deep.include({ componentId: 'exporter/x', reason: 'storage directory is gone' });
    expect(service.healthReport().components['exporter/x']).to.deep.include({ status: 'fatal_error' });
    await service.shutdown();
  });

  it('bounds shutdown by drain_timeout: a component that never finishes is abandoned and the rest still stop', async () => {
    const events: string[] = [];
    const logs = new MemoryLogSink();
    const service = build(
      'receivers: { live: {} }\nprocessors: { tag: {} }\nexporters: { hung: {} }\nservice: { drain_timeout: 200ms, pipelines: { logs: { receivers: [live], processors: [tag], exporters: [hung] } } }',
      [liveReceiver, taggingProcessor(events), customExporter('hung', { ...quietExporter(), shutdown: () => new Promise<void>(() => undefined) })],
      logs,
    );
    await service.start();
    await service.shutdown();
    expect(service.abandoned).to.deep.equal(['exporter/hung']);
    expect(events).to.deep.equal(['start tag', 'shutdown tag']);
    expect(logs.text).to.contain('The exporter hung did not finish shutting down within service.drain_timeout');
    expect(service.state).to.equal('stopped');
  });

  it('closes its endpoints once shut down, so nothing keeps the process alive', async () => {
    const servers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
    const before = servers();
    const service = build(
      `receivers: { live: {} }
exporters: { a: {} }
service:
  pipelines: { logs: { receivers: [live], exporters: [a] } }
  telemetry: { metrics: { address: "127.0.0.1:0" }, health: { address: "127.0.0.1:0", exporter_failure_timeout: 1s } }`,
      [liveReceiver, sinkExporterFactory('a', new LogsSink())],
      new MemoryLogSink(),
      true,
    );
    await service.start();
    expect(servers()).to.equal(before + 2);
    await service.shutdown();
    await new Promise((r) => setImmediate(r));
    expect(servers(), process.getActiveResourcesInfo().join()).to.equal(before);
  });

  it('serves every standard series at 0 from the start, process metrics and component status', async () => {
    const service = build(
      `receivers: { live: {} }
processors: { tag: {} }
exporters: { a: {} }
service:
  pipelines: { logs: { receivers: [live], processors: [tag], exporters: [a] } }
  telemetry: { metrics: { address: "127.0.0.1:0" }, health: { enabled: false } }`,
      [liveReceiver, taggingProcessor([]), sinkExporterFactory('a', new LogsSink())],
      new MemoryLogSink(),
      true,
    );
    await service.start();
    const [metricsAt] = service.endpointAddresses();
    const text = await (await fetch(`http://${metricsAt}/metrics`)).text();
    await service.shutdown();
    for (const series of [
      'oktel_receiver_accepted_log_records_total{receiver="live"} 0',
      'oktel_receiver_refused_log_records_total{receiver="live"} 0',
      'oktel_receiver_failed_log_records_total{receiver="live"} 0',
      'oktel_processor_incoming_items_total{processor="tag"} 0',
      'oktel_processor_outgoing_items_total{processor="tag"} 0',
      'oktel_exporter_sent_log_records_total{exporter="a"} 0',
      'oktel_exporter_send_failed_log_records_total{exporter="a"} 0',
      'oktel_exporter_enqueue_failed_log_records_total{exporter="a"} 0',
      'oktel_component_status{component="exporter/a",status="ok"} 1',
    ])
      expect(text).to.contain(series);
    for (const metric of [
      'oktel_process_cpu_seconds_total',
      'oktel_process_resident_memory_bytes',
      'oktel_nodejs_heap_size_used_bytes',
      'oktel_nodejs_eventloop_lag_seconds',
      'oktel_process_uptime_seconds',
    ]) {
      expect(text).to.match(new RegExp(`^${metric} `, 'm'));
    }
  });

  it('refuses to start with a clear message when the metrics port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const service = build(
      `receivers: { live: {} }\nexporters: { a: {} }\nservice:\n  pipelines: { logs: { receivers: [live], exporters: [a] } }\n  telemetry: { metrics: { address: "127.0.0.1:${port}" }, health: { enabled: false } }`,
      [liveReceiver, sinkExporterFactory('a', new LogsSink())],
      new MemoryLogSink(),
      true,
    );
    const error = await service.start().then(
      () => undefined,
      (err: unknown) => err,
    );
    blocker.close();
    expect(String(error)).to.contain(`cannot serve metrics on 127.0.0.1:${port}: 127.0.0.1:${port} is already in use`);
    expect(String(error)).to.contain('service.telemetry.metrics.address');
  });
});

describe('exporter failure watch', () => {
  function counters(): { telemetry: ComponentTelemetry; root: Telemetry } {
    const root = new Telemetry();
    return { root, telemetry: root.forComponent('exporter', 'otlp') };
  }

  it('reports an exporter unhealthy exactly when its sends have all failed for exporter_failure_timeout, and ok on its next success', () => {
    const { telemetry } = counters();
    let now = 1_000_000;
    const reports: string[] = [];
    let current = 'ok';
    const watch = new ExporterFailureWatch(
      new Map([['otlp', telemetry]]),
      60_000,
      (id, e) => {
        reports.push(`${id} ${e.status}`);
        current = e.status;
      },
      () => current as never,
      () => now,
    );
    watch.stop();
    telemetry.add('send_failed_log_records', 10);
    watch.check(); // first failure seen at t0
    now += 59_999;
    telemetry.add('send_failed_log_records', 10);
    watch.check();
    expect(reports).to.deep.equal([]);
    now += 1;
    watch.check();
    expect(reports).to.deep.equal(['exporter/otlp recoverable_error']);
    now += 5_000;
    watch.check();
    expect(reports).to.have.length(1);
    telemetry.add('sent_log_records', 5);
    watch.check();
    expect(reports).to.deep.equal(['exporter/otlp recoverable_error', 'exporter/otlp ok']);
  });

  it('also reports an exporter that retries forever: records wait in its queue and nothing is delivered', () => {
    const { telemetry } = counters();
    let now = 0;
    const reports: string[] = [];
    const watch = new ExporterFailureWatch(
      new Map([['otlp', telemetry]]),
      1_000,
      (id, e) => reports.push(`${id} ${e.status}: ${e.reason}`),
      () => 'ok',
      () => now,
    );
    watch.stop();
    telemetry.set('queue_size', 300);
    watch.check();
    now = 1_000;
    watch.check();
    expect(reports).to.deep.equal([
      'exporter/otlp recoverable_error: no record delivered for 1s; 0 failed so far, 300 waiting in the queue (service.telemetry.health.exporter_failure_timeout)',
    ]);
  });

  it('does not count a failure that a success followed', () => {
    const { telemetry } = counters();
    let now = 0;
    const reports: string[] = [];
    const watch = new ExporterFailureWatch(
      new Map([['otlp', telemetry]]),
      1_000,
      (id, e) => reports.push(`${id} ${e.status}`),
      () => 'ok',
      () => now,
    );
    watch.stop();
    for (let i = 0; i < 10; i++) {
      telemetry.add('send_failed_log_records', 1);
      telemetry.add('sent_log_records', 1);
      watch.check();
      now += 500;
    }
    expect(reports).to.deep.equal([]);
  });
});
