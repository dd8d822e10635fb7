import { expect } from 'chai';
import { otlpHttpConfigSchema, OtlpHttpExporter } from '@oktel/exporter-otlp';
import { logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import { OtlpTestServer, testHost, testSettings, fixture as loadFixture, waitUntil } from '@oktel/testkit';
import { zstdAvailable } from '@oktel/otlp-encoding';

const fixture = loadFixture('user-session-start.json') as OktaLogEvent;
const context = { resource: oktaResource({ domain: 'acme.okta.com' }), scope: { name: 'test' } };
const records = (n: number, from = 0) => Array.from({ length: n }, (_, i) => logEventToRecord({ ...fixture, uuid: `u-${from + i}` }, context));
const uuidsOf = (server: OtlpTestServer) =>
  server
    .jsonRecords()
    .map((r) => (r.attributes as { key: string; value: { stringValue: string } }[]).find((a) => a.key === 'log.record.uid')!.value.stringValue);

describe('otlp_http exporter', () => {
  let server: OtlpTestServer;
  beforeEach(async () => {
    server = new OtlpTestServer();
    await server.start();
  });
  afterEach(() => server.stop());

  function exporter(extra: Record<string, unknown> = {}, base: Record<string, unknown> = { encoding: 'json' }) {
    const settings = testSettings('exporter', 'otlp_http');
    const config = otlpHttpConfigSchema.parse({
      logs_endpoint: server.url,
      ...base,
      headers: { 'dd-api-key': 'secret-api-key-123' },
      retry_on_failure: { initial_interval: '50ms', max_interval: '200ms' },
      batch: { flush_timeout: '20ms' },
      ...extra,
    });
    return { settings, exporter: new OtlpHttpExporter(settings, config) };
  }

  it('sends OTLP/JSON with gzip and the configured headers; body, attributes, timestamps and severity round-trip', async () => {
    const { exporter: e, settings } = exporter();
    await e.start(testHost());
    await e.consume(records(3));
    await e.shutdown();
    expect(server.requests).to.have.length(1);
    const request = server.requests[0]!;
    expect(request.headers['content-type']).to.equal('application/json');
    expect(request.headers['content-encoding']).to.equal('gzip');
    expect(request.headers['dd-api-key']).to.equal('secret-api-key-123');
    const [first] = server.jsonRecords() as {
      timeUnixNano: string;
      severityNumber: number;
      severityText: string;
      eventName: string;
      body: { kvlistValue: { values: { key: string }[] } };
    }[];
    expect(first!.timeUnixNano).to.equal('1795183407481000000');
    expect(first!.severityNumber).to.equal(9);
    expect(first!.severityText).to.equal('INFO');
    expect(first!.eventName).to.equal('user.session.start');
    expect(first!.body.kvlistValue.values.map((v) => v.key)).to.include.members(['uuid', 'published', 'debugContext', 'target']);
    expect(uuidsOf(server)).to.deep.equal(['u-0', 'u-1', 'u-2']);
    expect(settings.telemetry.get('sent_log_records')).to.equal(3);
  });

  it('sends protobuf by default, decoding with the official OTLP schema to the same records as JSON', async () => {
    // No encoding key at all: the default must be protobuf.
    const { exporter: e } = exporter({}, {});
    await e.start(testHost());
    await e.consume(records(2));
    await e.shutdown();
    expect(server.requests[0]!.headers['content-type']).to.equal('application/x-protobuf');
    const protoRecords = server.jsonRecords();
    const jsonServer = new OtlpTestServer();
    await jsonServer.start();
    const json = new OtlpHttpExporter(testSettings('exporter', 'json'), otlpHttpConfigSchema.parse({ logs_endpoint: jsonServer.url, encoding: 'json' }));
    await json.start(testHost());
    await json.consume(records(2));
    await json.shutdown();
    await jsonServer.stop();
    const jsonRecords = jsonServer.jsonRecords();
    // Same timestamps, severity, attributes and body whichever the encoding (64-bit ints decode as
    // strings, JSON sends numbers; zero values are left out by protobuf). The generated schema
    // predates the LogRecord event_name field (number 12), so that one is checked on the wire below.
    const norm = (r: Record<string, unknown>) =>
      JSON.parse(
        JSON.stringify({ ...r, eventName: undefined, observedTimeUnixNano: undefined, droppedAttributesCount: undefined, flags: undefined }, (k, v: unknown) =>
          v === 0 || v === '0' ? undefined : k === 'intValue' ? Number(v) : v,
        ),
      ) as unknown;
    expect(protoRecords.map(norm)).to.deep.equal(jsonRecords.map(norm));
    expect(protoRecords[0]!.timeUnixNano).to.equal('1795183407481000000');
    // event_name = field 12, wire type 2 (tag 0x62), then the length and the text.
    const eventName = Buffer.from('user.session.start');
    expect(server.requests[0]!.body.includes(Buffer.concat([Buffer.from([0x62, eventName.length]), eventName]))).to.equal(true);
  });

  it('sends the body uncompressed and without Content-Encoding when compression is none', async () => {
    const { exporter: e } = exporter({ compression: 'none' });
    await e.start(testHost());
    await e.consume(records(2));
    await e.shutdown();
    expect(server.requests[0]!.headers['content-encoding']).to.equal(undefined);
    expect(uuidsOf(server)).to.deep.equal(['u-0', 'u-1']);
  });

  it('gzips at the configured compression_level: level 9 is smaller than the default fast level for the same records', async () => {
    const sizes: number[] = [];
    for (const level of [undefined, 9]) {
      const raw: Buffer[] = [];
      const sink = new OtlpTestServer();
      await sink.start();
      const e = new OtlpHttpExporter(
        testSettings('exporter', 'otlp_http'),
        otlpHttpConfigSchema.parse({ logs_endpoint: sink.url, ...(level ? { compression_level: level } : {}) }),
        Object.assign(
          async (batch: { body: Buffer }) => {
            raw.push(batch.body);
            return { status: 200, body: Buffer.alloc(0) };
          },
          { close: () => undefined },
        ),
      );
      await e.start(testHost());
      await e.consume(records(200));
      await e.shutdown();
      await sink.stop();
      expect(raw).to.have.length(1);
      sizes.push(raw[0]!.length);
    }
    expect(sizes[1]).to.be.lessThan(sizes[0]!);
  });

  it("refuses compression levels outside the codec's range and a level with compression none, at load", () => {
    const parse = (extra: Record<string, unknown>) => otlpHttpConfigSchema.safeParse({ logs_endpoint: 'http://127.0.0.1:4318/v1/logs', ...extra });
    expect(parse({ compression_level: 10 }).error?.issues[0])
      .to.include({ message: 'gzip levels are 1 to 9' })
      .and.have.deep.property('path', ['compression_level']);
    expect(parse({ compression: 'none', compression_level: 1 }).success).to.equal(false);
    expect(parse({ compression_level: 9 }).success).to.equal(true);
  });

  it(`${zstdAvailable ? 'accepts' : 'refuses at load, naming the Node version,'} zstd compression on Node ${process.version}`, () => {
    const result = otlpHttpConfigSchema.safeParse({ logs_endpoint: 'http://127.0.0.1:4318/v1/logs', compression: 'zstd' });
    if (zstdAvailable) expect(result.success).to.equal(true);
    else {
      expect(result.error?.issues[0]?.path).to.deep.equal(['compression']);
      expect(result.error?.issues[0]?.message).to.include('zstd needs Node 22.15').and.include(process.version);
    }
  });

  it('honours Retry-After on 503, then delivers', async () => {
    server.respondWith({ status: 503, headers: { 'retry-after': '1' } });
    const { exporter: e } = exporter();
    await e.start(testHost());
    const started = Date.now();
    await e.consume(records(2));
    await e.shutdown();
    expect(uuidsOf(server)).to.deep.equal(['u-0', 'u-1']);
    expect(server.requests[0]!.at - started).to.be.at.least(1000);
  });

  it('drops a batch the backend rejects with 400, says why once, and carries on', async () => {
    server.respondWith({ status: 400, body: '{"code":3,"message":"invalid log record: body too large"}' });
    const { exporter: e, settings } = exporter({ sending_queue: { enabled: false } });
    await e.start(testHost());
    let error: unknown;
    await e.consume(records(2)).catch((err: unknown) => (error = err));
    await e.consume(records(1, 10));
    await e.shutdown();
    expect(String(error)).to.contain('rejected the batch with 400');
    expect(settings.logs.text).to.contain('invalid log record: body too large');
    expect(settings.telemetry.get('send_failed_log_records')).to.equal(2);
    expect(uuidsOf(server)).to.deep.equal(['u-10']);
    expect(settings.logs.text).to.not.contain('secret-api-key-123');
  });

  it('delivers everything once a sink that was down comes back', async () => {
    const host = testHost();
    const { exporter: e } = exporter({ retry_on_failure: { initial_interval: '50ms', max_interval: '200ms', unhealthy_after: '0s' } });
    await e.start(host);
    await server.stop();
    await e.consume(records(5));
    // The sink comes back only once a send to it has failed.
    await waitUntil(
      () => host.health.get('exporter/otlp_http')?.healthy === false,
      5000,
      () => 'a failed send while the sink was down',
      10,
    );
    await server.start();
    await e.consume(records(5, 5));
    await e.shutdown();
    expect(new Set(uuidsOf(server))).to.deep.equal(new Set(Array.from({ length: 10 }, (_, i) => `u-${i}`)));
  });

  it('makes the pipeline wait when the queue is full, keeping memory bounded and dropping nothing', async () => {
    server.delayMs = 50;
    const { exporter: e, settings } = exporter({ sending_queue: { queue_size: 20, num_consumers: 1 }, batch: { max_size: 10, flush_timeout: '5ms' } });
    await e.start(testHost());
    let maxQueued = 0;
    for (let i = 0; i < 10; i++) {
      await e.consume(records(10, i * 10));
      maxQueued = Math.max(maxQueued, settings.telemetry.get('queue_size'));
    }
    await e.shutdown();
    expect(maxQueued).to.be.at.most(20);
    expect(uuidsOf(server)).to.have.length(100);
    expect(settings.telemetry.get('enqueue_failed_log_records')).to.equal(0);
  });

  it('drops with a counter instead when block_on_overflow is false', async () => {
    server.delayMs = 100;
    const { exporter: e, settings } = exporter({
      sending_queue: { queue_size: 10, num_consumers: 1, block_on_overflow: false },
      batch: { max_size: 10, flush_timeout: '5ms' },
    });
    await e.start(testHost());
    for (let i = 0; i < 5; i++) await e.consume(records(10, i * 10));
    await e.shutdown();
    expect(settings.telemetry.get('enqueue_failed_log_records')).to.be.greaterThan(0);
    expect(uuidsOf(server).length + settings.telemetry.get('enqueue_failed_log_records')).to.equal(50);
  });
});
