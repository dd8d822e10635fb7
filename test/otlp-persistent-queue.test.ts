import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateActivity } from '@oktel/okta-simulator';
import { OtlpTestServer, tempDir, waitUntil } from '@oktel/testkit';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/cli/bin/oktel.mjs');

describe('otlp_http exporter with a persistent queue, in a real oktel process', () => {
  let dir: ReturnType<typeof tempDir>;
  let sink: OtlpTestServer;
  const children: ChildProcess[] = [];
  beforeEach(async () => {
    dir = tempDir();
    sink = new OtlpTestServer();
    await sink.start();
  });
  afterEach(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await sink.stop();
    dir.cleanup();
  });

  it('delivers every queued record after kill -9 and a restart', async function () {
    this.timeout(120_000);
    const { events } = generateActivity({ seed: 21, start: Date.parse('2026-11-20T00:00:00Z'), signIns: 120, meanGapMs: 10_000 });
    const input = join(dir.path, 'in.jsonl');
    writeFileSync(input, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
    const queueDir = join(dir.path, 'data');
    const config = (path: string) => {
      const file = join(dir.path, `oktel-${readdirSync(dir.path).length}.yaml`);
      writeFileSync(
        file,
        `receivers:
  file: { path: ${path}, follow: true, poll_interval: 100ms, batch_size: 100 }
exporters:
  otlp_http:
    logs_endpoint: ${sink.url}
    encoding: json
    retry_on_failure: { initial_interval: 100ms, max_interval: 200ms }
    sending_queue: { storage: file_storage, queue_size: 100000 }
extensions:
  file_storage: { directory: ${queueDir} }
service:
  extensions: [file_storage]
  pipelines: { logs: { receivers: [file], exporters: [otlp_http] } }
  telemetry: { progress: { interval: 0 }, metrics: { address: "127.0.0.1:0" }, health: { address: "127.0.0.1:0" } }
`,
      );
      return file;
    };
    const queued = (): number => {
      const qdir = join(queueDir, readdirSync(queueDir).find((d) => d.startsWith('exporter_')) ?? 'none');
      if (!existsSync(qdir)) return 0;
      return readdirSync(qdir).reduce(
        (n, f) => (f.includes('.tmp-') ? n : n + (JSON.parse(readFileSync(join(qdir, f), 'utf8')) as { records: number }).records),
        0,
      );
    };

    // The backend refuses everything while the first process runs: all records end up queued on disk.
    sink.respondWith({ status: 503 }, 1_000_000);
    const first = spawn(process.execPath, [CLI, 'run', '--config', config(input)], { cwd: dir.path, stdio: 'ignore' });
    children.push(first);
    await waitUntil(
      () => existsSync(queueDir) && queued() === events.length,
      60_000,
      () => `${events.length} queued records (have ${existsSync(queueDir) ? queued() : 0})`,
    );
    const killed = new Promise((r) => first.once('exit', r));
    first.kill('SIGKILL');
    await killed;

    // Back up; a second process with nothing new to read sends what the first left behind.
    await sink.stop();
    sink = new OtlpTestServer();
    await sink.start();
    const empty = join(dir.path, 'empty.jsonl');
    writeFileSync(empty, '');
    const configFile = config(empty);
    const second = spawn(process.execPath, [CLI, 'run', '--config', configFile], { cwd: dir.path, stdio: 'ignore' });
    children.push(second);
    await waitUntil(
      () => sink.requests.length > 0 && sink.jsonRecords().length >= events.length,
      60_000,
      () => `delivery (have ${sink.jsonRecords().length})`,
    );
    const stopped = new Promise<number | null>((r) => second.once('exit', r));
    second.kill('SIGTERM');
    expect(await stopped).to.equal(0);
    const uuids = sink
      .jsonRecords()
      .map((r) => (r.attributes as { key: string; value: { stringValue: string } }[]).find((a) => a.key === 'log.record.uid')!.value.stringValue);
    expect(new Set(uuids)).to.deep.equal(new Set(events.map((e) => e.uuid)));
    expect(uuids).to.have.length(events.length);
    expect(queued()).to.equal(0);
  });
});
