import { expect } from 'chai';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { abortableSleep, createQueuedExporter, exporterHelperConfigSchema, fromLogRecordExporter, PermanentError, RetryableError, type LogRecord } from '@oktel/core';
import { OtlpTestServer, testHost, testSettings, waitUntil } from '@oktel/testkit';

const record = (n: number): LogRecord => ({
  hrTime: [1_795_183_407, n], hrTimeObserved: [1_795_183_407, n], body: `record ${n}`, attributes: {}, droppedAttributesCount: 0,
  resource: { attributes: {} } as never, instrumentationScope: { name: 'test' },
} as unknown as LogRecord);

const helperConfig = (extra: Record<string, unknown> = {}) => exporterHelperConfigSchema.parse({
  retry_on_failure: { initial_interval: '20ms', max_interval: '50ms' }, sending_queue: { drain_timeout: '500ms' }, ...extra,
});

describe('exporterhelper', () => {
  it('waits longer than 2^31-1 ms instead of firing at once, and can be aborted', async () => {
    const abort = new AbortController();
    let settled: boolean | undefined;
    const wait = abortableSleep(2 ** 31 + 10_000, abort.signal).then((v) => (settled = v));
    await new Promise((r) => setTimeout(r, 100));
    expect(settled).to.equal(undefined);
    abort.abort();
    await wait;
    expect(settled).to.equal(false);
  });

  it('gives a wrapped OpenTelemetry JS exporter a queue and retries: a batch its exporter failed is sent again', async () => {
    const server = new OtlpTestServer();
    await server.start();
    try {
      server.respondWith({ status: 400 }, 2); // the SDK exporter gives up on a 400 at once; the helper retries
      const settings = testSettings('exporter', 'sdk');
      const exporter = fromLogRecordExporter(settings, new OTLPLogExporter({ url: server.url }), helperConfig());
      await exporter.start(testHost());
      await exporter.consume([record(1), record(2)]);
      await waitUntil(() => settings.telemetry.get('sent_log_records') === 2, 10_000, () => 'delivery after two failures');
      await exporter.shutdown();
      expect(server.jsonRecords()).to.have.length(2);
    } finally {
      await server.stop();
    }
  });

  it('refuses sending_queue.storage for an exporter that cannot persist its requests', async () => {
    const exporter = fromLogRecordExporter(testSettings('exporter', 'sdk'), { export: () => undefined, shutdown: async () => undefined } as never, helperConfig({ sending_queue: { storage: 'file_storage' } }));
    let error: unknown;
    await exporter.start(testHost()).catch((err: unknown) => (error = err));
    expect(String(error)).to.contain('sending_queue.storage is not supported');
  });

  it('stops a push that ignores its deadline, retries it, and still shuts down within drain_timeout', async () => {
    let attempts = 0;
    const settings = testSettings('exporter', 'stuck');
    const exporter = createQueuedExporter<number>(settings, helperConfig({ timeout: '100ms' }), {
      encode: (records) => records.length,
      records: (n) => n,
      push: () => {
        attempts++;
        return new Promise(() => undefined); // never settles, ignores the signal
      },
    });
    await exporter.start(testHost());
    await exporter.consume([record(1)]);
    await waitUntil(() => attempts >= 2, 5000, () => 'a second attempt after the deadline');
    const started = Date.now();
    await exporter.shutdown();
    expect(Date.now() - started).to.be.below(500 + 2000);
    expect(settings.telemetry.get('send_failed_log_records')).to.equal(1);
  });

  it('does not retry a permanent error, and counts the records as send_failed', async () => {
    let attempts = 0;
    const settings = testSettings('exporter', 'permanent');
    const exporter = createQueuedExporter<number>(settings, helperConfig({ sending_queue: { enabled: false } }), {
      encode: (records) => records.length,
      records: (n) => n,
      push: async () => {
        attempts++;
        throw attempts === 1 ? new RetryableError('busy') : new PermanentError('bad request');
      },
    });
    await exporter.start(testHost());
    let error: unknown;
    await exporter.consume([record(1), record(2)]).catch((err: unknown) => (error = err));
    await exporter.shutdown();
    expect(error).to.be.instanceOf(PermanentError);
    expect(attempts).to.equal(2);
    expect(settings.telemetry.get('send_failed_log_records')).to.equal(2);
  });
});
