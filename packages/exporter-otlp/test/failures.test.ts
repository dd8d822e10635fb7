import { expect } from 'chai';
import { otlpHttpConfigSchema, OtlpHttpExporter } from '@oktel/exporter-otlp';
import { fileStorageConfigSchema, fileStorageExtensionFactory } from '@oktel/extension-file-storage';
import { OtlpTestServer, tempDir, testHost, testSettings, waitForCount, waitUntil } from '@oktel/testkit';
import type { StorageExtension } from '@oktel/core';
import { records } from './records.js';

describe('otlp_http failures are visible, and a hostile backend cannot multiply or spin', () => {
  let server: OtlpTestServer;
  beforeEach(async () => {
    server = new OtlpTestServer();
    await server.start();
  });
  afterEach(() => server.stop());

  function exporter(extra: Record<string, unknown> = {}) {
    const settings = testSettings('exporter', 'otlp_http');
    const config = otlpHttpConfigSchema.parse({
      logs_endpoint: server.url,
      encoding: 'json',
      batch: { flush_timeout: '10ms' },
      ...extra,
      retry_on_failure: { initial_interval: '50ms', max_interval: '100ms', ...(extra.retry_on_failure as object | undefined) },
    });
    return { settings, exporter: new OtlpHttpExporter(settings, config) };
  }

  it('reports recoverable_error once sending has failed for unhealthy_after, and ok when it recovers', async () => {
    server.respondWith({ status: 503 }, 15);
    const host = testHost();
    const { exporter: e, settings } = exporter({ retry_on_failure: { unhealthy_after: '300ms' } });
    await e.start(host);
    await e.consume(records(2));
    await waitUntil(
      () => host.health.get('exporter/otlp_http')?.healthy === false,
      5000,
      () => 'the exporter reported unhealthy',
    );
    const reported = host.statuses.get('exporter/otlp_http')!;
    expect(reported[0]!.status).to.equal('recoverable_error');
    expect(reported[0]!.reason).to.contain('503');
    await waitForCount(settings, 'sent_log_records', 2, 10_000);
    expect(host.statuses.get('exporter/otlp_http')!.at(-1)!.status).to.equal('ok');
    expect(host.health.get('exporter/otlp_http')).to.deep.equal({ healthy: true });
    await e.shutdown();
  });

  it('counts a batch rejected with 4xx as send_failed and reports a refused credential as permanent_error at once', async () => {
    server.respondWith({ status: 401, body: '{"code":16,"message":"bad api key"}' }, 20);
    const host = testHost();
    const { exporter: e, settings } = exporter({ retry_on_failure: { unhealthy_after: '0s' } });
    await e.start(host);
    await e.consume(records(3));
    await waitForCount(settings, 'send_failed_log_records', 3);
    await e.shutdown();
    expect(host.statuses.get('exporter/otlp_http')![0]!.status).to.equal('permanent_error');
    expect(host.statuses.get('exporter/otlp_http')![0]!.reason).to.contain('401');
    expect(server.requests).to.have.length(0);
  });

  it('publishes queue_size and queue_capacity gauges from start', async () => {
    const { exporter: e, settings } = exporter({ sending_queue: { queue_size: 1234 } });
    await e.start(testHost());
    expect(settings.telemetry.get('queue_capacity')).to.equal(1234);
    expect(await settings.telemetryRoot.registry.getSingleMetricAsString('oktel_exporter_queue_size')).to.contain(
      'oktel_exporter_queue_size{exporter="otlp_http"} 0',
    );
    await e.shutdown();
  });

  it('never re-sends an accepted batch: a partial success larger than the batch is clamped and counted as rejected', async () => {
    server.respondWith({ status: 200, body: '{"partialSuccess":{"rejectedLogRecords":"99999","errorMessage":"quota"}}' });
    const { exporter: e, settings } = exporter();
    await e.start(testHost());
    await e.consume(records(3));
    await waitForCount(settings, 'rejected_log_records', 3);
    // Give a re-send every chance to happen before the queue is drained and closed.
    await e.consume(records(1, 10));
    await e.shutdown();
    expect(server.requests).to.have.length(2);
    expect(settings.telemetry.get('sent_log_records')).to.equal(1);
    expect(settings.telemetry.get('send_failed_log_records')).to.equal(3);
    expect(settings.logs.text).to.contain('claimed 99999 of a batch of 3');
  });

  it('clamps a huge Retry-After to max_retry_after with a warning instead of retrying in a busy loop', async () => {
    server.respondWith({ status: 503, headers: { 'retry-after': '99999999' } }, 3);
    const { exporter: e, settings } = exporter({ retry_on_failure: { initial_interval: '1ms', max_interval: '1ms', max_retry_after: '300ms' } });
    await e.start(testHost());
    const started = Date.now();
    await e.consume(records(1));
    await waitUntil(
      () => server.requests.length === 1,
      5000,
      () => 'delivery after three clamped waits',
    );
    await e.shutdown();
    // Three waits of 300 ms each: a wait overflowing setTimeout would fire after 1 ms.
    expect(server.requests[0]!.at - started).to.be.at.least(850);
    expect(settings.logs.text).to.contain('waiting retry_on_failure.max_retry_after (300ms) instead');
  });

  describe('with a persistent queue', () => {
    let dir: ReturnType<typeof tempDir>;
    beforeEach(() => (dir = tempDir()));
    afterEach(() => dir.cleanup());

    it('moves a corrupt queue entry aside with a warning naming it, and carries on', async () => {
      const storage = fileStorageExtensionFactory.create(testSettings('extension', 'file_storage'), fileStorageConfigSchema.parse({ directory: dir.path }));
      const host = testHost({ file_storage: storage });
      await storage.start(host);
      const client = await (storage as unknown as StorageExtension).client('exporter', 'otlp_http');
      await client.set('batch/000000000000', '{"records": 2, "body": "trunc');
      await client.set('batch/000000000001', '{"records": 2, "contentType": 5}');
      const { exporter: e, settings } = exporter({ sending_queue: { storage: 'file_storage' } });
      await e.start(host);
      await e.consume(records(2, 100));
      await waitForCount(settings, 'sent_log_records', 2);
      await e.shutdown();
      await storage.shutdown();
      expect(settings.logs.text).to.match(/persistent-queue entry "batch\/000000000000" aside as "corrupt-batch-000000000000" in \S+/);
      expect(settings.logs.text).to.contain('"batch/000000000001"');
      expect(settings.telemetry.get('send_failed_log_records')).to.equal(2);
      expect((await client.list('corrupt-')).sort()).to.deep.equal(['corrupt-batch-000000000000', 'corrupt-batch-000000000001']);
      expect(await client.list('batch/')).to.deep.equal([]);
    });
  });
});
