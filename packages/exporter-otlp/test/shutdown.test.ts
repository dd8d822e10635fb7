import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { otlpHttpConfigSchema, OtlpHttpExporter } from '@oktel/exporter-otlp';
import { fileStorageConfigSchema, fileStorageExtensionFactory as fileStorageFactory } from '@oktel/extension-file-storage';
import { OtlpTestServer, tempDir, testHost, testSettings, waitForCount, waitUntil } from '@oktel/testkit';
import { MisbehavingServer, type Behaviour } from './misbehaving-server.js';
import { records } from './records.js';

const ROOT = new URL('../../..', import.meta.url).pathname;
const DRAIN_MS = 1000;
/** Generous slack over drain_timeout so a loaded machine does not flake; a hang would take 30 s+. */
const SLACK_MS = 2000;

function exporterFor(url: string, extra: Record<string, unknown> = {}) {
  const settings = testSettings('exporter', 'otlp_http');
  const config = otlpHttpConfigSchema.parse({
    logs_endpoint: url,
    encoding: 'json',
    timeout: '30s',
    retry_on_failure: { initial_interval: '50ms', max_interval: '100ms' },
    batch: { flush_timeout: '10ms' },
    ...extra,
    sending_queue: { drain_timeout: `${DRAIN_MS}ms`, num_consumers: 1, ...(extra.sending_queue as object | undefined) },
  });
  return { settings, exporter: new OtlpHttpExporter(settings, config) };
}

async function timedShutdown(exporter: OtlpHttpExporter): Promise<number> {
  const started = Date.now();
  await exporter.shutdown();
  return Date.now() - started;
}

describe('otlp_http shutdown', () => {
  const servers: MisbehavingServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
  });
  async function serve(behaviour: Behaviour): Promise<MisbehavingServer> {
    const server = await new MisbehavingServer(behaviour).start();
    servers.push(server);
    return server;
  }

  const hostile: Behaviour[] = ['unavailable', 'never-answer', 'hang-mid-body', 'slow-drip', 'endless-body'];
  for (const behaviour of hostile) {
    it(`returns within drain_timeout when the backend is ${behaviour}`, async () => {
      const server = await serve(behaviour);
      const { exporter, settings } = exporterFor(server.url);
      await exporter.start(testHost());
      await exporter.consume(records(5));
      await exporter.consume(records(5, 5));
      await waitUntil(
        () => server.requests > 0,
        5000,
        () => 'a first request',
      );
      expect(await timedShutdown(exporter)).to.be.below(DRAIN_MS + SLACK_MS);
      // Whatever happened, every record is accounted for: sent or failed, none silently gone.
      expect(settings.telemetry.get('sent_log_records') + settings.telemetry.get('send_failed_log_records')).to.equal(10);
    });
  }

  it('returns within drain_timeout when the backend is down (connection refused)', async () => {
    const server = await serve('unavailable');
    const url = server.url;
    await server.stop();
    servers.length = 0;
    const { exporter, settings } = exporterFor(url);
    await exporter.start(testHost());
    await exporter.consume(records(5));
    await waitUntil(
      () => settings.logs.text.includes('ECONNREFUSED'),
      5000,
      () => 'a refused connection',
    );
    expect(await timedShutdown(exporter)).to.be.below(DRAIN_MS + SLACK_MS);
    expect(settings.telemetry.get('send_failed_log_records')).to.equal(5);
    expect(settings.logs.text).to.contain('they are lost');
  });

  it('returns within drain_timeout with the queue disabled and a request in flight', async () => {
    const server = await serve('never-answer');
    const { exporter, settings } = exporterFor(server.url, { sending_queue: { enabled: false } });
    await exporter.start(testHost());
    const consumed = exporter.consume(records(3)).then(
      () => 'resolved',
      (err: unknown) => String(err),
    );
    await waitUntil(
      () => server.requests > 0,
      5000,
      () => 'a first request',
    );
    expect(await timedShutdown(exporter)).to.be.below(DRAIN_MS + SLACK_MS);
    expect(await consumed).to.contain('shut down before 3 records were delivered');
    expect(settings.telemetry.get('send_failed_log_records')).to.equal(3);
  });

  it('keeps what it could not send in the persistent queue, and the next start delivers it', async () => {
    const dir = tempDir();
    try {
      const storage = fileStorageFactory.create(testSettings('extension', 'file_storage'), fileStorageConfigSchema.parse({ directory: dir.path }));
      const host = testHost({ file_storage: storage });
      await storage.start(host);
      const server = await serve('never-answer');
      const first = exporterFor(server.url, { sending_queue: { storage: 'file_storage' } });
      await first.exporter.start(host);
      await first.exporter.consume(records(4));
      await waitUntil(
        () => server.requests > 0,
        5000,
        () => 'a first request',
      );
      expect(await timedShutdown(first.exporter)).to.be.below(DRAIN_MS + SLACK_MS);
      expect(first.settings.telemetry.get('send_failed_log_records')).to.equal(0);
      expect(first.settings.logs.text).to.contain('stay in the persistent queue');

      const sink = new OtlpTestServer();
      await sink.start();
      const second = exporterFor(sink.url, { sending_queue: { storage: 'file_storage' } });
      await second.exporter.start(host);
      await waitForCount(second.settings, 'sent_log_records', 4);
      await second.exporter.shutdown();
      await sink.stop();
      await storage.shutdown();
      const queueDir = readdirSync(dir.path).find((d) => d.startsWith('exporter_'))!;
      expect(readdirSync(join(dir.path, queueDir))).to.deep.equal([]);
    } finally {
      dir.cleanup();
    }
  });

  it('lets the process exit as soon as the last batch is acknowledged (no drain_timeout timer left behind)', async function () {
    this.timeout(40_000);
    const sink = new OtlpTestServer();
    await sink.start();
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'packages/exporter-otlp/test/fixtures/send-one-batch.ts'), sink.url], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      let exitedAt: number | undefined;
      child.once('exit', () => (exitedAt = Date.now()));
      await waitUntil(
        () => out.includes('shut down'),
        20_000,
        () => 'the child to shut its exporter down',
      );
      const shutAt = Date.now();
      // drain_timeout is the default 30 s: a forgotten timer would keep the process alive that long.
      await waitUntil(
        () => exitedAt !== undefined,
        5000,
        () => 'the process to exit after shutdown',
      );
      expect(exitedAt! - shutAt).to.be.below(5000);
      expect(sink.jsonRecords()).to.have.length(3);
    } finally {
      await sink.stop();
    }
  });
});

describe('otlp_http timeout', () => {
  it('is a total deadline: a 200 whose body drips one byte every 2 s counts as delivered once and does not block the next batch', async () => {
    const server = await new MisbehavingServer('slow-drip').start();
    try {
      const { exporter, settings } = exporterFor(server.url, { timeout: '300ms', batch: { max_size: 2, flush_timeout: '10ms' } });
      await exporter.start(testHost());
      await exporter.consume(records(2));
      await exporter.consume(records(2, 2));
      await waitForCount(settings, 'sent_log_records', 4);
      await exporter.shutdown();
      expect(server.requests).to.equal(2);
    } finally {
      await server.stop();
    }
  });

  it('reads at most 64 KiB of a response: an endless 200 body is delivery, read no further', async () => {
    const server = await new MisbehavingServer('endless-body').start();
    try {
      const { exporter, settings } = exporterFor(server.url, { timeout: '20s' });
      await exporter.start(testHost());
      await exporter.consume(records(3));
      await waitForCount(settings, 'sent_log_records', 3);
      await exporter.shutdown();
      expect(server.requests).to.equal(1);
    } finally {
      await server.stop();
    }
  });

  it('aborts a request whose backend never answers, and retries it', async () => {
    const server = await new MisbehavingServer('never-answer').start();
    try {
      const { exporter, settings } = exporterFor(server.url, { timeout: '200ms' });
      await exporter.start(testHost());
      await exporter.consume(records(1));
      await waitUntil(
        () => server.requests >= 2,
        5000,
        () => `a retry after the timeout (have ${server.requests} requests)`,
      );
      await exporter.shutdown();
      expect(settings.logs.text).to.contain('timeout');
    } finally {
      await server.stop();
    }
  });
});
