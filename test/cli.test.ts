import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { completeLines, spawnCaptured, telemetryOnAnyPort, tempDir, FIXTURES_DIR, waitUntil } from '@oktel/testkit';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/cli/bin/oktel.mjs');

function oktel(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
}

describe('oktel CLI', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('replays the demo config through detection, logs the alerts and exits 0 with a summary', function () {
    this.timeout(60_000);
    writeFileSync(
      join(dir.path, 'demo.yaml'),
      readFileSync(join(ROOT, 'configs/demo.yaml'), 'utf8').replace('./configs/samples', join(ROOT, 'configs/samples')),
    );
    const result = oktel(['run', '--config', 'demo.yaml', '--config', telemetryOnAnyPort(dir.path)], dir.path);
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stderr).to.match(/receiver file\/okta\s+1084\s+1084\s+0/);
    const alerts = result.stderr.split('\n').filter((l) => l.includes('ALERT ['));
    expect(alerts.length).to.be.greaterThan(2);
    expect(result.stderr).to.match(new RegExp(`exporter file\\s+${1084 + alerts.length}\\s+${1084 + alerts.length}\\s+0`));
    const lines = readFileSync(join(dir.path, 'out/okta-logs.otlp.jsonl'), 'utf8').trimEnd().split('\n');
    type Request = { resourceLogs: { scopeLogs: { logRecords: unknown[] }[] }[] };
    const records = lines.reduce(
      (n, line) => n + (JSON.parse(line) as Request).resourceLogs.flatMap((rl) => rl.scopeLogs).reduce((m, sl) => m + sl.logRecords.length, 0),
      0,
    );
    expect(records).to.equal(1084 + alerts.length);
  });

  it('validate names the file, key path and reason of a broken config and exits non-zero', () => {
    const config = join(dir.path, 'broken.yaml');
    writeFileSync(
      config,
      'receivers:\n  file:\n    path: ./x.jsonl\n    folow: true\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    logs: { receivers: [file], exporters: [debug, otlp] }\n',
    );
    const result = oktel(['validate', '--config', config]);
    expect(result.status).to.equal(2);
    expect(result.stderr).to.contain(`oktel: invalid configuration: ${config}:4: receivers::file::folow: unknown key "folow"`);
    expect(result.stderr).to.contain(
      `oktel: invalid configuration: ${config}:9: service::pipelines::logs::exporters[1]: references exporter "otlp" which is not configured`,
    );
  });

  it('validate prints the resolved pipelines of a good config', () => {
    const result = oktel(['validate', '--config', 'configs/demo.yaml']);
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stdout).to.contain('pipeline logs:\n  receivers:  file/okta\n  processors: detection\n  exporters:  debug, file');
  });

  it('lists the built-in components', () => {
    const result = oktel(['components']);
    expect(result.status).to.equal(0);
    expect(result.stdout).to.match(/^receiver\s+file\s+alpha/m);
    expect(result.stdout).to.match(/^extension\s+file_storage\s+alpha/m);
  });

  it('rejects an unknown command with the usage text', () => {
    const result = oktel(['frobnicate']);
    expect(result.status).to.equal(2);
    expect(result.stderr).to.contain('unknown command "frobnicate"');
    expect(result.stderr).to.contain('Usage: oktel');
  });

  it('stops with exit 0 on SIGTERM while following a file, its summary counting what it delivered', async function () {
    this.timeout(60_000);
    const input = join(dir.path, 'in.jsonl');
    const fixture = readFileSync(join(FIXTURES_DIR, 'user-session-start.json'), 'utf8');
    writeFileSync(input, `${JSON.stringify(JSON.parse(fixture))}\n`);
    writeFileSync(
      join(dir.path, 'follow.yaml'),
      `receivers:\n  file:\n    path: ${input}\n    follow: true\n    poll_interval: 50ms\nexporters:\n  file:\n    path: ${join(dir.path, 'out.jsonl')}\nservice:\n  pipelines:\n    logs: { receivers: [file], exporters: [file] }\n`,
    );
    const oktel = spawnCaptured(process.execPath, [CLI, 'run', '--config', join(dir.path, 'follow.yaml'), '--config', telemetryOnAnyPort(dir.path)], {
      cwd: dir.path,
    });
    // SIGTERM while it follows the file, once the event it has read is out.
    const out = join(dir.path, 'out.jsonl');
    await waitUntil(
      () => completeLines(out).length === 1,
      30_000,
      () => `the event in ${out} (output: ${oktel.output()})`,
      20,
    );
    oktel.child.kill('SIGTERM');
    expect(await oktel.exit, oktel.output()).to.equal(0);
    expect(oktel.output()).to.contain('Stopping (SIGTERM)');
    expect(oktel.output()).to.match(/exporter file\s+1\s+1\s+0/);
  });
});

describe('oktel simulate-okta', () => {
  it('serves a fake org with a backlog on loopback until SIGTERM', async function () {
    this.timeout(30_000);
    const simulator = spawnCaptured(process.execPath, [CLI, 'simulate-okta', '--port', '0', '--token', 'tok-cli-test-123456', '--backlog', '1h']);
    await waitUntil(
      () => /serving (http:\/\/127\.0\.0\.1:\d+)/.test(simulator.output()),
      20_000,
      () => `the simulator's address (output: ${simulator.output()})`,
      20,
    );
    const origin = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(simulator.output())![1]!;
    const response = await fetch(`${origin}/api/v1/logs?since=${new Date(Date.now() - 7_200_000).toISOString()}&limit=10`, {
      headers: { authorization: 'SSWS tok-cli-test-123456' },
    });
    expect(response.status).to.equal(200);
    expect(await response.json()).to.have.length(10);
    simulator.child.kill('SIGTERM');
    expect(await simulator.exit).to.equal(0);
  });
});
