import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { generateActivity } from '@oktel/okta-simulator';
import { OtlpTestServer, tempDir, waitUntil } from '@oktel/testkit';
import { MisbehavingServer } from '../packages/exporter-otlp/test/misbehaving-server.js';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/cli/bin/oktel.mjs');

describe('oktel run with an otlp_http exporter stops promptly', () => {
  let dir: ReturnType<typeof tempDir>;
  const children: ChildProcess[] = [];
  beforeEach(() => (dir = tempDir()));
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    dir.cleanup();
  });

  function run(
    endpoint: string,
    options: { follow: boolean; drainTimeout: string; healthPort?: number },
  ): { child: ChildProcess; exited: () => boolean; startedAt: number } {
    const { events } = generateActivity({ seed: 3, start: Date.parse('2026-11-20T00:00:00Z'), signIns: 30, meanGapMs: 10_000 });
    const input = join(dir.path, 'in.jsonl');
    writeFileSync(input, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
    const config = join(dir.path, 'oktel.yaml');
    writeFileSync(
      config,
      `receivers:
  file: { path: ${input}, follow: ${options.follow}, poll_interval: 100ms }
exporters:
  otlp_http:
    logs_endpoint: ${endpoint}
    encoding: json
    sending_queue: { drain_timeout: ${options.drainTimeout} }
    retry_on_failure: { initial_interval: 100ms, max_interval: 200ms, unhealthy_after: 500ms }
service:
  pipelines: { logs: { receivers: [file], exporters: [otlp_http] } }
  telemetry: { progress: { interval: 0 }, metrics: { address: "127.0.0.1:0" }, health: { enabled: true, address: "127.0.0.1:${options.healthPort ?? 0}" } }
`,
    );
    const child = spawn(process.execPath, [CLI, 'run', '--config', config], { cwd: dir.path, stdio: 'ignore' });
    children.push(child);
    let done = false;
    child.once('exit', () => (done = true));
    return { child, exited: () => done, startedAt: Date.now() };
  }

  it('exits as soon as a finished replay is acknowledged, not after drain_timeout', async function () {
    this.timeout(60_000);
    const sink = new OtlpTestServer();
    await sink.start();
    try {
      // drain_timeout is 30 s: before the fix every such run lingered that long after its summary.
      const { exited } = run(sink.url, { follow: false, drainTimeout: '30s' });
      await waitUntil(exited, 20_000, () => `the run to exit (delivered ${sink.requests.length} requests so far)`);
      expect(sink.jsonRecords().length).to.be.greaterThan(0);
    } finally {
      await sink.stop();
    }
  });

  for (const behaviour of ['unavailable', 'never-answer', 'hang-mid-body'] as const) {
    it(`stops within drain_timeout on SIGTERM while the backend is ${behaviour}`, async function () {
      this.timeout(60_000);
      const backend = await new MisbehavingServer(behaviour).start();
      try {
        const { child, exited } = run(backend.url, { follow: true, drainTimeout: '2s' });
        await waitUntil(
          () => backend.requests > 0,
          30_000,
          () => 'a first export attempt',
        );
        const signalledAt = Date.now();
        child.kill('SIGTERM');
        await waitUntil(exited, 2000 + 5000, () => 'the process to exit after SIGTERM');
        expect(Date.now() - signalledAt).to.be.below(2000 + 5000);
      } finally {
        await backend.stop();
      }
    });
  }

  it('turns /health to 503 naming the exporter once every send has failed for unhealthy_after', async function () {
    this.timeout(60_000);
    const backend = await new MisbehavingServer('unavailable').start();
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    try {
      run(backend.url, { follow: true, drainTimeout: '1s', healthPort: port });
      // Bounded polling: at most 100 requests, 300 ms apart.
      let last: { status: number; body: string } | undefined;
      for (let i = 0; i < 100 && last?.status !== 503; i++) {
        await new Promise((r) => setTimeout(r, 300));
        last = await fetch(`http://127.0.0.1:${port}/health`).then(
          async (r) => ({ status: r.status, body: await r.text() }),
          () => undefined,
        );
      }
      expect(last?.status).to.equal(503);
      expect(last!.body).to.contain('exporter/otlp_http').and.to.contain('recoverable_error');
    } finally {
      await backend.stop();
    }
  });
});
