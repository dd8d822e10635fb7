import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@oktel/testkit';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/cli/bin/oktel.mjs');

function oktel(args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('oktel rules test with a site tuning', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  function tuning(): string {
    writeFileSync(join(dir.path, 'egress.txt'), '# office NAT\n185.220.101.0/24\n');
    const file = join(dir.path, 'tuning.yaml');
    writeFileSync(
      file,
      `lists:
  corporate_egress: { file: egress.txt, kind: cidr }
exceptions:
  - id: office-egress
    rules: [okta-password-spray-from-ip]
    match: { client.ipAddress: { in_list: corporate_egress } }
    comment: office NAT
overrides:
  okta-mfa-factor-reset-by-user: { enabled: false }
  okta-brute-force-user: { correlate: { count: 50 } }
`,
    );
    return file;
  }

  it('reports the shipped tests the tuning turns off as OFF and DISABLED, naming the exception or override, without failing', function () {
    this.timeout(60_000);
    const { status, out } = oktel(['rules', 'test', '--tuning', tuning()], dir.path);
    expect(status, out).to.equal(0);
    expect(out).to.match(/^OFF\s+okta-password-spray-from-ip\s+.*\(exception office-egress\)$/m);
    expect(out).to.match(/^OFF\s+okta-brute-force-user\s+.*\(override\)$/m);
    expect(out).to.match(/^DISABLED\s+okta-mfa-factor-reset-by-user\s/m);
    expect(out).to.match(/\d+ passed, 0 failed, 2 turned off by tuning \(OFF\), 3 in rules the tuning disables/);
  });

  it('reads the rules and tuning of the detection processor from --config', function () {
    this.timeout(60_000);
    const config = join(dir.path, 'oktel.yaml');
    writeFileSync(
      config,
      `receivers:\n  file: { path: in.jsonl }\nprocessors:\n  detection: { tuning: ${tuning()} }\nexporters:\n  debug: {}\nservice:\n  pipelines: { logs: { receivers: [file], processors: [detection], exporters: [debug] } }\n`,
    );
    const { status, out } = oktel(['rules', 'test', '--config', config], dir.path);
    expect(status, out).to.equal(0);
    expect(out).to.include('== processor detection').and.include('2 turned off by tuning');
  });

  it('fails with file and line when the tuning file is invalid', function () {
    this.timeout(60_000);
    const file = join(dir.path, 'tuning.yaml');
    writeFileSync(file, 'overrides:\n  okta-brute-force-user:\n    correlate: { distinct: 3 }\n');
    const { status, out } = oktel(['rules', 'test', '--tuning', file], dir.path);
    expect(status, out).to.equal(1);
    expect(out).to.include(`${file}:3`).and.include('distinct applies to value_count rules');
  });

  it('lints a site rule that uses in_list when given the tuning that defines the list, and refuses it without', function () {
    this.timeout(60_000);
    writeFileSync(join(dir.path, 'egress.txt'), '185.220.101.0/24\n');
    const file = join(dir.path, 'lists-only.yaml');
    writeFileSync(file, 'lists:\n  corporate_egress: { file: egress.txt, kind: cidr }\n');
    const rule = join(dir.path, 'office-admin.yaml');
    writeFileSync(
      rule,
      `id: site-admin-outside-office
name: Admin console outside the office
description: admin console access from outside the corporate egress ranges
references: [https://help.okta.com/en-us/content/topics/security/network/network-zones.htm]
severity: medium
threat:
  - tactic: { id: TA0001, name: Initial Access }
    techniques: [{ id: T1078, name: Valid Accounts }]
match:
  and:
    - { "==": [{ var: eventType }, "user.session.access_admin_app"] }
    - { "!": { in_list: [{ var: client.ipAddress }, "corporate_egress"] } }
tests:
  - name: from home
    events: [{ eventType: user.session.access_admin_app, client: { ipAddress: 192.0.2.1 } }]
    expect: match
  - name: from the office
    events: [{ eventType: user.session.access_admin_app, client: { ipAddress: 185.220.101.9 } }]
    expect: no_match
`,
    );
    const withTuning = oktel(['rules', 'lint', rule, '--tuning', file], dir.path);
    expect(withTuning.status, withTuning.out).to.equal(0);
    const tested = oktel(['rules', 'test', rule, '--tuning', file], dir.path);
    expect(tested.status, tested.out).to.equal(0);
    expect(tested.out).to.include('2 passed, 0 failed');
    const without = oktel(['rules', 'lint', rule], dir.path);
    expect(without.status).to.equal(1);
    expect(without.out).to.include('unknown list "corporate_egress"');
  });
});
