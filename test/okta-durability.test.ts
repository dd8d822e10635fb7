import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateActivity, OktaSimulator } from '@oktel/okta-simulator';
import { spawnCaptured, tempDir, waitUntil, type CapturedProcess } from '@oktel/testkit';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/cli/bin/oktel.mjs');
const TOKEN = '00durability-test-token-0123456789abcdef';
const PAGE = 500;

function startOktel(config: string, cwd: string, children: ChildProcess[]): CapturedProcess {
  return spawnCaptured(process.execPath, [CLI, 'run', '--config', config], { cwd, env: { ...process.env, OKTA_API_TOKEN: TOKEN }, children });
}

/**
 * Reads the OTLP/JSON output incrementally (it grows to tens of MB; re-parsing it while the
 * simulator shares this process would starve the simulator). A line torn by kill -9 is skipped:
 * its page was never checkpointed, so it is sent again.
 */
class OutputReader {
  readonly uuids: string[] = [];
  #offset = 0;
  constructor(readonly file: string) {}

  read(): string[] {
    if (!existsSync(this.file)) return this.uuids;
    const data = readFileSync(this.file);
    const end = data.lastIndexOf(0x0a) + 1;
    if (end <= this.#offset) return this.uuids;
    const text = data.subarray(this.#offset, end).toString('utf8');
    this.#offset = end;
    for (const line of text.split('\n')) {
      let request: { resourceLogs: { scopeLogs: { logRecords: { attributes: { key: string; value: { stringValue?: string } }[] }[] }[] }[] };
      try {
        request = JSON.parse(line);
      } catch {
        continue;
      }
      for (const rl of request.resourceLogs)
        for (const sl of rl.scopeLogs) for (const r of sl.logRecords) this.uuids.push(r.attributes.find((a) => a.key === 'log.record.uid')!.value.stringValue!);
    }
    return this.uuids;
  }
}

describe('okta receiver in a real oktel process', () => {
  let dir: ReturnType<typeof tempDir>;
  let sim: OktaSimulator;
  beforeEach(async () => {
    dir = tempDir();
    sim = new OktaSimulator({ apiTokens: [TOKEN], rateLimit: 100_000 });
    await sim.start();
  });
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await sim.stop();
    dir.cleanup();
  });

  it('resumes from the saved cursor after kill -9 without losing events, repeating at most the page in flight', async function () {
    this.timeout(120_000);
    const { events } = generateActivity({ seed: 7, start: Date.now() - 10 * 3_600_000, signIns: 3500, meanGapMs: 2000 });
    const backlog = events.slice(0, 20_000);
    sim.append(backlog);
    // Slow each page a little so the kill lands in the middle of the backfill.
    sim.injectFault({ kind: 'delay', ms: 40 }, 10_000);
    const out = join(dir.path, 'out.jsonl');
    const config = join(dir.path, 'oktel.yaml');
    writeFileSync(
      config,
      `receivers:
  okta:
    domain: ${sim.origin}
    auth:
      api_token: \${env:OKTA_API_TOKEN}
    since: 24h
    page_size: ${PAGE}
    poll_interval: 100ms
    storage: file_storage
exporters:
  file: { path: ${out}, rotation: { max_megabytes: 1000 } }
extensions:
  file_storage: { directory: ${join(dir.path, 'data')} }
service:
  extensions: [file_storage]
  pipelines: { logs: { receivers: [okta], exporters: [file] } }
  telemetry: { progress: { interval: 0 }, metrics: { address: "127.0.0.1:0" }, health: { address: "127.0.0.1:0" } }
`,
    );
    const output = new OutputReader(out);
    const first = startOktel(config, dir.path, children);
    await waitUntil(
      () => output.read().length >= 4000,
      60_000,
      () => `the first 4000 events; output so far:\n${first.output().slice(-3000)}`,
    );
    first.child.kill('SIGKILL');
    await first.exit;
    const beforeRestart = output.read().length;
    expect(beforeRestart).to.be.below(backlog.length);

    const second = startOktel(config, dir.path, children);
    await waitUntil(
      () => new Set(output.read()).size >= backlog.length,
      90_000,
      () =>
        `every event after the restart (${new Set(output.read()).size} so far, ${sim.logRequests().length} requests, last ${JSON.stringify(sim.logRequests().at(-1))}):\n${second.output().slice(-3000)}`,
    );
    second.child.kill('SIGTERM');
    expect(await second.exit).to.equal(0);

    const uuids = output.read();
    expect(new Set(uuids)).to.deep.equal(new Set(backlog.map((e) => e.uuid)));
    const duplicates = uuids.length - new Set(uuids).size;
    expect(duplicates, 'duplicates beyond the one page in flight').to.be.at.most(PAGE);
    expect(second.output()).to.contain('Resuming from the checkpoint.');
    expect(first.output() + second.output()).to.not.contain(TOKEN);
  });
});
