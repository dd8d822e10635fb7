import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { completeLines, fixture, spawnCaptured, tempDir, waitUntil } from '@oktel/testkit';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/cli/bin/oktel.mjs');
const EVENT = fixture('user-session-start.json');
const T0 = Date.parse('2026-11-20T14:00:00Z');

const rule = (id: string, count: number) => `id: ${id}
name: Burst ${id}
description: sign-in burst per user
severity: high
threat:
  - tactic: { id: TA0006, name: Credential Access }
    techniques: [{ id: T1110, name: Brute Force }]
match: { "==": [{ var: eventType }, "user.session.start"] }
group_by: [actor.alternateId]
correlate: { type: threshold, window: 10m, count: ${count} }
tests:
  - name: fires
    events: [${Array.from({ length: count }, () => '{ eventType: user.session.start, actor: { alternateId: a@x } }').join(', ')}]
    expect: alert
  - name: quiet
    events: [{ eventType: user.session.end }]
    expect: no_alert
`;

function event(i: number): string {
  return `${JSON.stringify({ ...EVENT, uuid: `reload-${i}`, published: new Date(T0 + i * 1000).toISOString() })}\n`;
}

describe('detection reload under a running pipeline (real process, SIGHUP)', () => {
  let dir: ReturnType<typeof tempDir>;
  let child: ChildProcess | undefined;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    dir.cleanup();
  });

  it('keeps the state of an unchanged threshold rule across a reload, reports what changed, and rejects an invalid tuning file without stopping', async function () {
    this.timeout(60_000);
    const input = join(dir.path, 'in.jsonl');
    const out = join(dir.path, 'out.jsonl');
    const tuning = join(dir.path, 'tuning.yaml');
    writeFileSync(join(dir.path, 'burst.yaml'), rule('signin-burst', 3));
    writeFileSync(join(dir.path, 'other.yaml'), rule('signin-burst-other', 3));
    writeFileSync(tuning, 'exceptions: []\n');
    writeFileSync(input, event(1) + event(2));
    const config = join(dir.path, 'oktel.yaml');
    writeFileSync(
      config,
      `receivers:
  file: { path: ${input}, follow: true, poll_interval: 50ms }
processors:
  detection: { rules: [${join(dir.path, 'burst.yaml')}, ${join(dir.path, 'other.yaml')}], tuning: ${tuning}, allowed_lateness: 0s, idle_after: 500ms }
exporters:
  file: { path: ${out} }
service:
  pipelines: { logs: { receivers: [file], processors: [detection], exporters: [file] } }
  telemetry: { progress: { interval: 0 }, metrics: { address: "127.0.0.1:0" }, health: { address: "127.0.0.1:0" } }
`,
    );
    const run = spawnCaptured(process.execPath, [CLI, 'run', '--config', config], { cwd: dir.path });
    child = run.child;
    // The file exporter writes one OTLP/JSON request per line; records and alerts are read out of them.
    const records = (): Record<string, unknown>[] =>
      completeLines(out).flatMap((line) => {
        const request = JSON.parse(line) as { resourceLogs: { scopeLogs: { logRecords: Record<string, unknown>[] }[] }[] };
        return request.resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords));
      });
    const ruleOf = (r: Record<string, unknown>): unknown =>
      (r.attributes as { key: string; value: { stringValue?: string } }[]).find((a) => a.key === 'security_rule.uuid')?.value.stringValue;
    const alerts = (): unknown[] =>
      records()
        .filter((r) => r.eventName === 'oktel.detection.alert')
        .map(ruleOf);
    const lines = records;

    await waitUntil(
      () => lines().length >= 2,
      30_000,
      () => `two events through the pipeline (output: ${run.output()})`,
    );
    expect(alerts(), 'two sign-ins are half-way to a count of 3').to.have.length(0);

    // A valid change to the other rule: its state resets, signin-burst keeps its two sign-ins.
    writeFileSync(tuning, 'overrides:\n  signin-burst-other: { correlate: { count: 5 } }\n');
    child.kill('SIGHUP');
    await waitUntil(
      () => run.output().includes('Reloaded:'),
      20_000,
      () => `reload (output: ${run.output()})`,
    );
    expect(run.output()).to.include('state kept for 1 rules, reset for 1').and.include('rule set version 2');

    // An invalid tuning file is refused, naming file and line, and the process keeps running.
    writeFileSync(tuning, 'overrides:\n  signin-burst:\n    severity: urgent\n');
    child.kill('SIGHUP');
    await waitUntil(
      () => run.output().includes('Reload refused'),
      20_000,
      () => `refusal (output: ${run.output()})`,
    );
    expect(run.output()).to.include(`${tuning}:3`).and.include('still running rule set version 2');
    expect(child.exitCode).to.equal(null);

    appendFileSync(input, event(3));
    await waitUntil(
      () => alerts().length >= 1,
      20_000,
      () => `the third sign-in to fire signin-burst (output: ${run.output()}, records: ${lines().length})`,
    );
    const fired = alerts();
    expect(fired).to.deep.equal(['signin-burst']);

    const metricsUrl = /Serving Prometheus metrics on (\S+)/.exec(run.output())![1]!;
    const metrics = await (await fetch(metricsUrl)).text();
    expect(metrics).to.match(/oktel_processor_ruleset_version\{processor="detection[^"]*"\} 2/);
    expect(metrics).to.match(/oktel_processor_ruleset_reloads_total\{result="failed",processor="detection[^"]*"\} 1/);
    expect(metrics).to.match(/oktel_processor_ruleset_reloads_total\{result="ok",processor="detection[^"]*"\} 1/);

    child.kill('SIGTERM');
    expect(await run.exit, run.output()).to.equal(0);
  });
});
