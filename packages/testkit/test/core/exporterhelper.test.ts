import { expect } from 'chai';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import {
  abortableSleep,
  createQueuedExporter,
  exporterHelperConfigSchema,
  fromLogRecordExporter,
  PermanentError,
  RetryableError,
  type LogRecord,
} from '@oktel/core';
import { OtlpTestServer, testHost, testSettings, waitForCount, waitUntil } from '@oktel/testkit';

const record = (n: number): LogRecord =>
  ({
    hrTime: [1_795_183_407, n],
    hrTimeObserved: [1_795_183_407, n],
    body: `record ${n}`,
    attributes: {},
    droppedAttributesCount: 0,
    resource: { attributes: {} } as never,
    instrumentationScope: { name: 'test' },
  }) as unknown as LogRecord;

const helperConfig = (extra: Record<string, unknown> = {}) =>
  exporterHelperConfigSchema.parse({
    retry_on_failure: { initial_interval: '20ms', max_interval: '50ms' },
    sending_queue: { drain_timeout: '500ms' },
    ...extra,
  });

describe('exporterhelper', () => {
  it('waits longer than 2^31-1 ms instead of firing at once, and can be aborted', async () => {
    const abort = new AbortController();
    let settled: boolean | undefined;
    const wait = abortableSleep(2 ** 31 + 10_000, abort.signal).then((v) => (settled = v));
    // An overflowed timer fires after 1 ms: this bound gives that failure every chance to show.
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
      await waitForCount(settings, 'sent_log_records', 2, 10_000);
      await exporter.shutdown();
      expect(server.jsonRecords()).to.have.length(2);
    } finally {
      await server.stop();
    }
  });

  it('refuses sending_queue.storage for an exporter that cannot persist its requests', async () => {
    const exporter = fromLogRecordExporter(
      testSettings('exporter', 'sdk'),
      { export: () => undefined, shutdown: async () => undefined } as never,
      helperConfig({ sending_queue: { storage: 'file_storage' } }),
    );
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
    await waitUntil(
      () => attempts >= 2,
      5000,
      () => 'a second attempt after the deadline',
    );
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

describe('exporterhelper batching', () => {
  type Request = { ids: number[]; bytes: number };
  const encodeIds =
    (bytesPerRecord: number) =>
    (records: readonly LogRecord[]): Request => ({ ids: records.map((r) => r.hrTime[1]), bytes: records.length * bytesPerRecord });
  const batchOf = (from: number, n: number) => Array.from({ length: n }, (_, i) => record(from + i));

  let encodes = 0;
  async function run(config: Record<string, unknown>, bytesPerRecord: number, batches: LogRecord[][]): Promise<number[][]> {
    const sent: number[][] = [];
    encodes = 0;
    const settings = testSettings('exporter', 'batching');
    const exporter = createQueuedExporter<Request>(settings, helperConfig({ sending_queue: { num_consumers: 1, drain_timeout: '2s' }, ...config }), {
      encode: (records) => {
        encodes++;
        return encodeIds(bytesPerRecord)(records);
      },
      records: (request) => request.ids.length,
      bytes: (request) => request.bytes,
      mergeBatches: true,
      push: async (request) => void sent.push(request.ids),
    });
    await exporter.start(testHost());
    for (const batch of batches) await exporter.consume(batch);
    await exporter.shutdown();
    return sent;
  }

  it('keeps a consumed batch (records plus the alerts they triggered) in one request, sending what was pending first', async () => {
    // Receiver batches of 1000 followed by their 6 alerts, as the detection processor passes them on.
    const sent = await run({ batch: { flush_timeout: '5s' } }, 100, [batchOf(0, 1006), batchOf(2000, 1006), batchOf(4000, 1006)]);
    expect(sent.map((ids) => ids.length)).to.deep.equal([2012, 1006]);
    expect(sent[0]!.slice(1000, 1012)).to.deep.equal([1000, 1001, 1002, 1003, 1004, 1005, 2000, 2001, 2002, 2003, 2004, 2005]);
  });

  it('bounds requests by batch.max_bytes: merging stops short of it once record sizes are known, and an oversized request is split in halves', async () => {
    // 1 KiB per record, max_bytes 600 KiB: the first 1000 records (a full max_size) encode too
    // large and are halved; after that, batches are merged up to 600 records and no further.
    const sent = await run({ batch: { max_size: 1000, max_bytes: '600KiB', flush_timeout: '5s' } }, 1024, [
      batchOf(0, 1000),
      batchOf(2000, 300),
      batchOf(3000, 300),
      batchOf(4000, 300),
    ]);
    for (const ids of sent) expect(ids.length * 1024).to.be.at.most(600 * 1024);
    expect(sent.map((ids) => ids.length)).to.deep.equal([500, 500, 600, 300]);
    expect(sent.flat()).to.have.length(1900);
  });

  it('cuts a large batch to batch.max_bytes before encoding once the bytes per record are known, instead of encoding it twice', async () => {
    const sent = await run({ batch: { max_size: 1000, max_bytes: '600KiB', flush_timeout: '5s' } }, 1024, [batchOf(0, 1000), batchOf(2000, 1000)]);
    expect(sent.map((ids) => ids.length)).to.deep.equal([500, 500, 600, 400]);
    // 1000 (too large) + its two halves, then 600 and 400 directly.
    expect(encodes).to.equal(5);
  });

  it('queues requests in the order of their batches while an asynchronous encode (compression) overlaps the next batch', async () => {
    const sent: number[] = [];
    let encoding = 0;
    let overlapped = false;
    const exporter = createQueuedExporter<number>(
      testSettings('exporter', 'async-encode'),
      helperConfig({ sending_queue: { num_consumers: 1, drain_timeout: '2s' } }),
      {
        // Later batches finish encoding sooner: order must come from the helper, not from timing.
        encode: async (records) => {
          encoding++;
          if (encoding > 1) overlapped = true;
          await new Promise((r) => setTimeout(r, 30 - (records[0]!.hrTime[1] % 30)));
          encoding--;
          return records[0]!.hrTime[1];
        },
        records: () => 1,
        push: async (first) => void sent.push(first),
      },
    );
    await exporter.start(testHost());
    for (let i = 0; i < 10; i++) await exporter.consume([record(i * 7)]);
    await exporter.shutdown();
    expect(sent).to.deep.equal([0, 7, 14, 21, 28, 35, 42, 49, 56, 63]);
    expect(overlapped).to.equal(true);
  });

  it('bounds requests by batch.max_size', async () => {
    const sent = await run({ batch: { max_size: 100, flush_timeout: '5s' } }, 10, [batchOf(0, 250)]);
    expect(sent.map((ids) => ids.length)).to.deep.equal([100, 100, 50]);
  });
});
