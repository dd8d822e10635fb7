import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateActivity, OktaSimulator, RecordingServer } from '@oktel/okta-simulator';
import { completeLines, spawnCaptured, tempDir, waitUntil, type CapturedProcess } from '@oktel/testkit';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/cli/bin/oktel.mjs');
const TOKEN = '00hostile-test-token-0123456789abcdefgh';

function startOktel(config: string, cwd: string, children: ChildProcess[]): CapturedProcess {
  return spawnCaptured(process.execPath, [CLI, 'run', '--config', config], { cwd, env: { ...process.env, OKTA_API_TOKEN: TOKEN }, children });
}

function uuidsIn(file: string): string[] {
  const uuids: string[] = [];
  // The exporter may be mid-line while the test polls: only complete lines are read.
  for (const line of completeLines(file)) {
    const request = JSON.parse(line) as {
      resourceLogs: { scopeLogs: { logRecords: { attributes: { key: string; value: { stringValue?: string } }[] }[] }[] }[];
    };
    for (const rl of request.resourceLogs)
      for (const sl of rl.scopeLogs) for (const r of sl.logRecords) uuids.push(r.attributes.find((a) => a.key === 'log.record.uid')!.value.stringValue!);
  }
  return uuids;
}

describe('okta receiver in a real oktel process, against a hostile org and a broken disk', () => {
  let dir: ReturnType<typeof tempDir>;
  let sim: OktaSimulator;
  let trap: RecordingServer;
  const children: ChildProcess[] = [];
  beforeEach(async () => {
    dir = tempDir();
    sim = new OktaSimulator({ apiTokens: [TOKEN] });
    await sim.start();
    trap = new RecordingServer();
    await trap.start();
  });
  afterEach(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await sim.stop();
    await trap.stop();
    dir.cleanup();
  });

  function writeConfig(): { config: string; out: string; storage: string } {
    const out = join(dir.path, 'out.jsonl');
    const storage = join(dir.path, 'data');
    const config = join(dir.path, 'oktel.yaml');
    writeFileSync(
      config,
      `receivers:
  okta:
    domain: ${sim.origin}
    auth:
      api_token: \${env:OKTA_API_TOKEN}
    since: 24h
    page_size: 20
    poll_interval: 100ms
    retry: { initial_interval: 50ms, max_interval: 200ms }
    storage: file_storage
exporters:
  file: { path: ${out} }
extensions:
  file_storage: { directory: ${storage} }
service:
  extensions: [file_storage]
  pipelines: { logs: { receivers: [okta], exporters: [file] } }
  telemetry: { progress: { interval: 0 }, metrics: { address: "127.0.0.1:0" }, health: { address: "127.0.0.1:0" } }
`,
    );
    return { config, out, storage };
  }

  it('never sends the token to the host a next link names, and delivers every event from the org', async function () {
    this.timeout(60_000);
    const { events } = generateActivity({ seed: 3, start: Date.now() - 3_600_000, signIns: 20, meanGapMs: 2000 });
    const backlog = events.slice(0, 50);
    sim.append(backlog);
    sim.injectFault({ kind: 'next_link', href: (next) => next.replace(new URL(next).origin, trap.origin).replace('http://', 'http://admin:s3cret-pass@') }, 3);
    const { config, out } = writeConfig();
    const oktel = startOktel(config, dir.path, children);
    await waitUntil(
      () => new Set(uuidsIn(out)).size >= backlog.length,
      40_000,
      () => `every event (${new Set(uuidsIn(out)).size})\n${oktel.output().slice(-3000)}`,
    );
    oktel.child.kill('SIGTERM');
    expect(await oktel.exit).to.equal(0);
    expect(trap.requests).to.have.length(0);
    expect(new Set(uuidsIn(out))).to.deep.equal(new Set(backlog.map((e) => e.uuid)));
    expect(oktel.output()).to.contain(`refused to follow the next link ${trap.origin}/api/v1/logs`);
    expect(oktel.output()).to.not.contain('s3cret-pass');
    expect(oktel.output()).to.not.contain(TOKEN);
  });

  it('starts despite a corrupt checkpoint: moves it aside with a warning naming the file, and polls from since', async function () {
    this.timeout(60_000);
    const { events } = generateActivity({ seed: 4, start: Date.now() - 3_600_000, signIns: 10, meanGapMs: 2000 });
    const backlog = events.slice(0, 30);
    sim.append(backlog);
    const { config, out, storage } = writeConfig();
    const receiverDir = join(storage, 'receiver_okta');
    mkdirSync(receiverDir, { recursive: true });
    writeFileSync(join(receiverDir, 'checkpoint'), '{"next":"http://127.0.0.1:1/api/v1/logs?after=1_1","recentIds":[');
    const oktel = startOktel(config, dir.path, children);
    await waitUntil(
      () => new Set(uuidsIn(out)).size >= backlog.length,
      40_000,
      () => `every event (${new Set(uuidsIn(out)).size})\n${oktel.output().slice(-3000)}`,
    );
    oktel.child.kill('SIGTERM');
    expect(await oktel.exit).to.equal(0);
    expect(oktel.output()).to.contain(
      `The checkpoint ${join(receiverDir, 'checkpoint')} is unusable (it is not valid JSON); moved it aside to ${join(receiverDir, 'checkpoint.corrupt-')}`,
    );
    expect(readdirSync(receiverDir).some((name) => name.startsWith('checkpoint.corrupt-'))).to.equal(true);
    expect(sim.logRequests()[0]!.query.since).to.be.a('string');
  });
});
