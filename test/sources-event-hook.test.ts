import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventHookDelivery, generateActivity, SCENARIOS } from '@oktel/okta-simulator';
import { spawnCaptured, tempDir, waitUntil } from '@oktel/testkit';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/cli/bin/oktel.mjs');
const SECRET = 'hook-secret-0123456789abcdef';

describe('okta event hooks end to end', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('oktel verifies with the simulated Okta, takes its deliveries (a retry included) once each, and exits 0 on SIGTERM', async function () {
    this.timeout(90_000);
    const out = join(dir.path, 'out.jsonl');
    writeFileSync(
      join(dir.path, 'hook.yaml'),
      `receivers:
  okta_event_hook:
    endpoint: 127.0.0.1:0
    authorization: { value: "\${env:HOOK_SECRET}" }
    domain: acme.okta.com
processors:
  detection: {}
exporters:
  file: { path: ${out} }
service:
  pipelines:
    logs: { receivers: [okta_event_hook], processors: [detection], exporters: [file] }
`,
    );
    const eventTypes = ['user.session.start', 'user.authentication.sso', 'user.authentication.auth_via_mfa', 'user.account.lock'];
    const { events } = generateActivity({ start: Date.parse('2026-11-20T08:00:00Z'), signIns: 60, seed: 5, scenarios: [...SCENARIOS] });
    const eligible = events.filter((e) => eventTypes.includes(e.eventType));
    const oktel = spawnCaptured(process.execPath, [CLI, 'run', '--config', join(dir.path, 'hook.yaml')], {
      cwd: dir.path,
      env: { ...process.env, HOOK_SECRET: SECRET },
    });
    const { child } = oktel;
    try {
      await waitUntil(
        () => /Listening for Okta Event Hook calls on (\S+)/.test(oktel.output()) || child.exitCode !== null,
        30_000,
        () => `the hook endpoint:\n${oktel.output()}`,
      );
      const url = /Listening for Okta Event Hook calls on (\S+)/.exec(oktel.output())![1]!;
      const okta = new EventHookDelivery({ url, eventTypes, auth: { header: 'Authorization', value: SECRET }, maxEventsPerCall: 20 });
      expect(await okta.verify()).to.equal(true);
      expect(await okta.deliver(events)).to.equal(eligible.length);
      // Okta delivers at least once: the same calls again must not reach the exporters twice.
      await okta.deliver(eligible.slice(0, 20));
      child.kill('SIGTERM');
      expect(await oktel.exit, oktel.output()).to.equal(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const uuids = readFileSync(out, 'utf8')
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => {
        const request = JSON.parse(line) as {
          resourceLogs: {
            resource: { attributes: { key: string; value: { stringValue?: string } }[] };
            scopeLogs: { logRecords: { attributes: { key: string; value: { stringValue?: string } }[] }[] }[];
          }[];
        };
        return request.resourceLogs.flatMap((rl) =>
          rl.scopeLogs.flatMap((sl) =>
            sl.logRecords.map((r) => r.attributes.find((a) => a.key === 'log.record.uid')?.value.stringValue).filter((u): u is string => u !== undefined),
          ),
        );
      });
    expect(uuids.sort()).to.deep.equal(eligible.map((e) => e.uuid).sort());
    expect(oktel.output()).not.to.contain(SECRET);
  });
});
