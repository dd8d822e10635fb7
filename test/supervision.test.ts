import { expect } from 'chai';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OtlpTestServer, spawnCaptured, tempDir, waitUntil, fixture, type CapturedProcess } from '@oktel/testkit';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/cli/bin/oktel.mjs');
const EVENT = fixture('user-session-start.json') as Record<string, unknown>;
const TELEMETRY = 'telemetry: { progress: { interval: 0 }, metrics: { address: "127.0.0.1:0" }, health: { address: "127.0.0.1:0" } }';

function events(n: number): string {
  return `${Array.from({ length: n }, (_, i) => JSON.stringify({ ...EVENT, uuid: `uuid-${i}` })).join('\n')}\n`;
}

function start(command: string, args: string[], cwd: string, children: ChildProcess[], detached = false): CapturedProcess {
  return spawnCaptured(command, args, { cwd, children, detached });
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('oktel under a supervisor (real processes, real signals)', () => {
  let dir: ReturnType<typeof tempDir>;
  const children: ChildProcess[] = [];
  const servers: Server[] = [];
  beforeEach(() => (dir = tempDir()));
  afterEach(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
    servers.length = 0;
    dir.cleanup();
  });

  function followConfig(extra = ''): string {
    const input = join(dir.path, 'in.jsonl');
    writeFileSync(input, events(3));
    const file = join(dir.path, 'follow.yaml');
    writeFileSync(
      file,
      `receivers:\n  file: { path: ${input}, follow: true, poll_interval: 50ms }\nexporters:\n  file: { path: ${join(dir.path, 'out.jsonl')} }\nservice:\n  pipelines: { logs: { receivers: [file], exporters: [file] } }\n  ${TELEMETRY}\n${extra}`,
    );
    return file;
  }

  it('stops gracefully with exit 0 when SIGTERM is sent to the documented `pnpm oktel run`, leaving no oktel process behind', async function () {
    this.timeout(60_000);
    const run = start('pnpm', ['oktel', 'run', '--config', followConfig()], ROOT, children);
    await waitUntil(
      () => run.output().includes('Started 1 pipeline'),
      30_000,
      () => `start (output: ${run.output()})`,
    );
    const oktel = childPids(run.child.pid!);
    expect(oktel, 'pnpm runs oktel as its direct child').to.have.length(1);
    run.child.kill('SIGTERM');
    expect(await run.exit, run.output()).to.equal(0);
    expect(run.output()).to.contain('Stopping (SIGTERM)');
    expect(run.output()).not.to.contain('ELIFECYCLE');
    await waitUntil(
      () => !alive(oktel[0]!),
      5_000,
      () => `oktel (pid ${oktel[0]}) to be gone`,
    );
  });

  it('treats Ctrl-C (SIGINT to the whole process group, forwarded again by pnpm) as one request to stop: exit 0', async function () {
    this.timeout(60_000);
    const run = start('pnpm', ['oktel', 'run', '--config', followConfig()], ROOT, children, true);
    await waitUntil(
      () => run.output().includes('Started 1 pipeline'),
      30_000,
      () => `start (output: ${run.output()})`,
    );
    process.kill(-run.child.pid!, 'SIGINT');
    expect(await run.exit, run.output()).to.equal(0);
    expect(run.output()).to.contain('Stopping (SIGINT)');
    expect(run.output()).not.to.contain('Second SIGINT');
  });

  /** An OTLP endpoint that accepts connections and never answers; counts the requests it holds. */
  async function hungBackend(): Promise<{ url: string; requests: () => number }> {
    let requests = 0;
    const server = createServer(() => void requests++);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/logs`, requests: () => requests };
  }

  function hungConfig(url: string, drainTimeout: string): string {
    const input = join(dir.path, 'in.jsonl');
    writeFileSync(input, events(3));
    const file = join(dir.path, 'hung.yaml');
    writeFileSync(
      file,
      `receivers:\n  file: { path: ${input}, follow: true, poll_interval: 50ms }
exporters:
  otlp_http: { logs_endpoint: ${url}, encoding: json, timeout: 1h, sending_queue: { enabled: false }, retry_on_failure: { enabled: false } }
service:
  drain_timeout: ${drainTimeout}
  pipelines: { logs: { receivers: [file], exporters: [otlp_http] } }
  ${TELEMETRY}\n`,
    );
    return file;
  }

  it('bounds a graceful stop by drain_timeout when the backend hangs, then exits 0', async function () {
    this.timeout(30_000);
    const backend = await hungBackend();
    const run = start(process.execPath, [CLI, 'run', '--config', hungConfig(backend.url, '1s')], dir.path, children);
    // SIGTERM once a send is in flight: before it, there is nothing to drain and no timeout to hit.
    await waitUntil(
      () => backend.requests() > 0,
      20_000,
      () => `a request held by the backend (output: ${run.output()})`,
    );
    run.child.kill('SIGTERM');
    expect(await run.exit, run.output()).to.equal(0);
    expect(run.output()).to.contain('did not finish shutting down within service.drain_timeout');
  });

  it('exits at once on a second signal while draining', async function () {
    this.timeout(30_000);
    const backend = await hungBackend();
    const run = start(process.execPath, [CLI, 'run', '--config', hungConfig(backend.url, '1h')], dir.path, children);
    // A send in flight, so that the first SIGTERM has something to drain and cannot finish at once.
    await waitUntil(
      () => backend.requests() > 0,
      20_000,
      () => `a request held by the backend (output: ${run.output()})`,
    );
    run.child.kill('SIGTERM');
    await waitUntil(
      () => run.output().includes('Stopping (SIGTERM)'),
      10_000,
      () => 'the first signal to be taken',
    );
    await new Promise((r) => setTimeout(r, 600)); // past the window in which a duplicate delivery counts once
    run.child.kill('SIGTERM');
    expect(await run.exit, run.output()).to.equal(143);
    expect(run.output()).to.contain('Second SIGTERM: exiting at once');
  });

  it('exits 3 from a finite run in which records failed to export, with the count in the summary and the log', async function () {
    this.timeout(30_000);
    const backend = new OtlpTestServer();
    await backend.start();
    backend.respondWith({ status: 400 }, 100);
    const input = join(dir.path, 'in.jsonl');
    writeFileSync(input, events(5));
    const file = join(dir.path, 'fail.yaml');
    writeFileSync(
      file,
      `receivers:\n  file: { path: ${input} }
exporters:
  otlp_http: { logs_endpoint: ${backend.url}, encoding: json, sending_queue: { enabled: false }, retry_on_failure: { enabled: false } }
service:
  pipelines: { logs: { receivers: [file], exporters: [otlp_http] } }
  ${TELEMETRY}\n`,
    );
    const run = start(process.execPath, [CLI, 'run', '--config', file], dir.path, children);
    const code = await run.exit;
    await backend.stop();
    expect(code, run.output()).to.equal(3);
    expect(run.output()).to.contain('Result: exporter otlp_http delivered 0; 5 records lost: 5 failed to export.');
    expect(run.output()).to.contain('Exiting with code 3: Result: exporter otlp_http delivered 0; 5 records lost');
  });

  it('turns an unhandled rejection into a fatal error: drains, prints the summary and exits 1 instead of crashing', async function () {
    this.timeout(30_000);
    const run = start(process.execPath, ['--import', join(ROOT, 'test/fixtures/reject-later.mjs'), CLI, 'run', '--config', followConfig()], dir.path, children);
    expect(await run.exit, run.output()).to.equal(1);
    expect(run.output()).to.contain('Unhandled error (process/unhandled_rejection): boom from a forgotten promise');
    expect(run.output()).to.contain('Stopping (fatal error in process/unhandled_rejection)');
    expect(run.output()).to.match(/exporter file\s+3\s+3\s+0/);
    expect(run.output()).to.contain('Exiting with code 1');
  });

  it('turns /health 503, naming the exporter and why, while an exporter delivers nothing; 200 again once it delivers', async function () {
    this.timeout(30_000);
    const backend = new OtlpTestServer();
    await backend.start();
    backend.respondWith({ status: 503 }, 1);
    const input = join(dir.path, 'in.jsonl');
    writeFileSync(input, events(3));
    const file = join(dir.path, 'down.yaml');
    writeFileSync(
      file,
      `receivers:\n  file: { path: ${input}, follow: true, poll_interval: 50ms }
exporters:
  otlp_http: { logs_endpoint: ${backend.url}, encoding: json, sending_queue: { enabled: false }, retry_on_failure: { enabled: false } }
service:
  pipelines: { logs: { receivers: [file], exporters: [otlp_http] } }
  telemetry: { progress: { interval: 0 }, metrics: { address: "127.0.0.1:0" }, health: { address: "127.0.0.1:0", exporter_failure_timeout: 300ms } }\n`,
    );
    const run = start(process.execPath, [CLI, 'run', '--config', file], dir.path, children);
    try {
      await waitUntil(
        () => /Serving health on (http:\/\/\S+)/.test(run.output()),
        20_000,
        () => `the health endpoint (output: ${run.output()})`,
      );
      const url = /Serving health on (http:\/\/\S+)/.exec(run.output())![1]!;
      const health = async (): Promise<{ status: number; body: { components: Record<string, { status: string; reason?: string }> } }> => {
        const res = await fetch(url);
        return { status: res.status, body: (await res.json()) as never };
      };
      let last = await health();
      const deadline = Date.now() + 10_000;
      while (last.status !== 503 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        last = await health();
      }
      expect(last.status, JSON.stringify(last.body)).to.equal(503);
      expect(last.body.components['exporter/otlp_http']!.status).to.equal('recoverable_error');
      expect(last.body.components['exporter/otlp_http']!.reason).to.match(/^no record delivered for \d+s; 3 failed so far/);
      // The backend answers again: the next records go out and the exporter is ok.
      writeFileSync(input, events(5));
      while (last.status !== 200 && Date.now() < deadline + 10_000) {
        await new Promise((r) => setTimeout(r, 100));
        last = await health();
      }
      expect(last.status, JSON.stringify(last.body)).to.equal(200);
    } finally {
      run.child.kill('SIGTERM');
      await run.exit;
      await backend.stop();
    }
  });
});
