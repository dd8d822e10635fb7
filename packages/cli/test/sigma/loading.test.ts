import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadConfig, type LogRecord } from '@oktel/core';
import { builtinComponents } from '../../src/components.js';
import { DetectionEngine, loadDetectionSet, loadRules, runRuleTests, type CompiledRule } from '@oktel/processor-detection';
import { logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import { compileSigmaFiles, toNativeYaml } from '@oktel/sigma';
import { ATTACK, okta, sigma } from './helpers.js';

const ROOT = join(import.meta.dirname, '../../../..');
const SIGMA_DIR = join(ROOT, 'configs/sigma');
const PLACEHOLDERS = { okta_admin_accounts: ['admin@example.com', 'breakglass-*@example.com'] };
const context = { resource: oktaResource({ domain: 'acme.okta.com' }), scope: { name: 'test' } };
let n = 0;
const record = (event: Record<string, unknown>, atMs: number): LogRecord =>
  logEventToRecord({ uuid: `u-${++n}`, published: new Date(atMs).toISOString(), severity: 'INFO', ...event } as unknown as OktaLogEvent, context);

function engine(rules: CompiledRule[]): DetectionEngine {
  return new DetectionEngine({ rules, suppressionWindowMs: 0, maxAlertEventUuids: 20, maxSuppressionEntries: 1000, errorMode: 'propagate' });
}

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'oktel-sigma-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

const T0 = Date.parse('2026-11-20T10:00:00Z');

/** Runs events through the rules (one a second unless given) and returns the alerts' rule names. */
function alerts(rules: CompiledRule[], events: Record<string, unknown>[], stepMs = 1000): LogRecord[] {
  const e = engine(rules);
  const out = events.flatMap((ev, i) => e.evaluate(record(ev, T0 + i * stepMs)).alerts);
  return [...out, ...e.flush()];
}

const fail = (user: string, ip = '10.0.0.1') => ({
  eventType: 'user.session.start',
  actor: { alternateId: user },
  client: { ipAddress: ip },
  outcome: { result: 'FAILURE' },
});
const success = (user: string) => ({ eventType: 'user.session.start', actor: { alternateId: user }, outcome: { result: 'SUCCESS' } });

const BASE = `title: Failed login
id: 11111111-1111-4111-8111-111111111111
name: failed_login
logsource: { product: okta, service: okta }
detection:
  sel: { eventType: user.session.start, outcome.result: FAILURE }
  condition: sel
level: low
---
title: Successful login
id: 22222222-2222-4222-8222-222222222222
name: success_login
logsource: { product: okta, service: okta }
detection:
  sel: { eventType: user.session.start, outcome.result: SUCCESS }
  condition: sel
---
title: Admin role granted
id: 33333333-3333-4333-8333-333333333333
name: admin_grant
logsource: { product: okta, service: okta }
detection:
  sel: { eventType: user.account.privilege.grant }
  condition: sel
`;

const correlation = (body: string): string => `${BASE}---
title: The correlation
id: 44444444-4444-4444-8444-444444444444
level: high
tags: [attack.credential-access, attack.t1110]
correlation:
${body}`;

function load(text: string): CompiledRule[] {
  const { loaded, issues } = loadRules([dir({ 'rules.yml': text })]);
  expect(issues).to.deep.equal([]);
  const refused = loaded!.sigma!.filter((o) => o.outcome === 'refused');
  expect(refused, JSON.stringify(refused)).to.deep.equal([]);
  return loaded!.rules;
}

describe('Sigma rules in the detection processor', () => {
  describe('correlations on event time', () => {
    it('event_count (gte) fires at the count per group and not one below, and hides its base rule', () => {
      const rules = load(
        correlation('  type: event_count\n  rules: [failed_login]\n  group-by: [actor.alternateId]\n  timespan: 5m\n  condition: { gte: 3 }\n'),
      );
      expect(rules.map((r) => r.definition.name)).to.not.include('Failed login');
      expect(alerts(rules, [fail('a'), fail('a'), fail('a')]).length).to.equal(1);
      expect(alerts(rules, [fail('a'), fail('a'), fail('b')]).length).to.equal(0);
      // Outside the timespan: three failures 3 minutes apart are not within 5 minutes.
      expect(alerts(rules, [fail('a'), fail('a'), fail('a')], 180_000).length).to.equal(0);
    });
    it('event_count with lt is judged per window (aggregate)', () => {
      const rules = load(
        correlation('  type: event_count\n  rules: [failed_login]\n  group-by: [actor.alternateId]\n  timespan: 5m\n  condition: { lt: 2 }\n'),
      );
      expect(alerts(rules, [fail('a')]).length).to.equal(1);
      expect(alerts(rules, [fail('a'), fail('a')]).length).to.equal(0);
    });
    it('event_count with a range (gt and lte, ANDed as the specification says) is judged per window', () => {
      const rules = load(
        correlation('  type: event_count\n  rules: [failed_login]\n  group-by: [actor.alternateId]\n  timespan: 5m\n  condition: { gt: 1, lte: 2 }\n'),
      );
      expect(alerts(rules, [fail('a')]).length).to.equal(0);
      expect(alerts(rules, [fail('a'), fail('a')]).length).to.equal(1);
      expect(alerts(rules, [fail('a'), fail('a'), fail('a')]).length).to.equal(0);
    });
    it('temporal with a condition counts how many of the rules were seen', () => {
      const rules = load(
        correlation(
          '  type: temporal\n  rules: [admin_grant, failed_login, success_login]\n  group-by: [actor.alternateId]\n  timespan: 10m\n  condition: { gte: 2 }\n',
        ),
      );
      const grant = { eventType: 'user.account.privilege.grant', actor: { alternateId: 'a' } };
      expect(alerts(rules, [grant, success('a')]).length).to.equal(1);
      expect(alerts(rules, [grant, grant]).length).to.equal(0);
    });
    it('value_count counts distinct values of the field per group', () => {
      const rules = load(
        correlation(
          '  type: value_count\n  rules: [failed_login]\n  group-by: [client.ipAddress]\n  timespan: 10m\n  condition: { field: actor.alternateId, gte: 3 }\n',
        ),
      );
      expect(alerts(rules, [fail('a'), fail('b'), fail('c')]).length).to.equal(1);
      expect(alerts(rules, [fail('a'), fail('b'), fail('a'), fail('b')]).length).to.equal(0);
    });
    it('temporal needs every rule within the timespan, in any order', () => {
      const rules = load(correlation('  type: temporal\n  rules: [admin_grant, failed_login]\n  group-by: [actor.alternateId]\n  timespan: 10m\n'));
      const grant = { eventType: 'user.account.privilege.grant', actor: { alternateId: 'a' } };
      expect(alerts(rules, [fail('a'), grant]).length).to.equal(1);
      expect(alerts(rules, [grant, fail('a')]).length).to.equal(1);
      expect(alerts(rules, [grant, fail('b')]).length).to.equal(0);
    });
    it('temporal_ordered needs the rules in order', () => {
      const rules = load(correlation('  type: temporal_ordered\n  rules: [failed_login, success_login]\n  group-by: [actor.alternateId]\n  timespan: 10m\n'));
      expect(alerts(rules, [fail('a'), success('a')]).length).to.equal(1);
      expect(alerts(rules, [success('a'), fail('a')]).length).to.equal(0);
    });
    it('aliases group events of different rules by different fields', () => {
      const rules = load(
        correlation(
          '  type: temporal_ordered\n  rules: [admin_grant, failed_login]\n  group-by: [user]\n  timespan: 10m\n  aliases:\n    user:\n      admin_grant: target.alternateId\n      failed_login: actor.alternateId\n',
        ),
      );
      const grant = (to: string) => ({ eventType: 'user.account.privilege.grant', actor: { alternateId: 'boss' }, target: [{ alternateId: to }] });
      const fired = alerts(rules, [grant('dana'), fail('dana')]);
      expect(fired.length).to.equal(1);
      expect(fired[0]!.attributes['security_rule.name']).to.equal('The correlation');
      expect(alerts(rules, [grant('dana'), fail('sam')]).length).to.equal(0);
    });
    it("reads aliased group-by values with the correlation's own fields, also when another rule groups the same event by the same name", () => {
      // Rules grouped by the same paths share an event's values; an aliased key must not.
      const rules = load(`${BASE}---
title: Grants per actor
id: 55555555-5555-4555-8555-555555555555
level: low
correlation:
  type: event_count
  rules: [admin_grant]
  group-by: [actor.alternateId]
  timespan: 10m
  condition: { gte: 100 }
---
title: The correlation
id: 44444444-4444-4444-8444-444444444444
level: high
tags: [attack.credential-access, attack.t1110]
correlation:
  type: temporal_ordered
  rules: [admin_grant, failed_login]
  group-by: [actor.alternateId]
  timespan: 10m
  aliases:
    actor.alternateId:
      admin_grant: target.alternateId
      failed_login: actor.alternateId
`);
      const grant = (to: string) => ({ eventType: 'user.account.privilege.grant', actor: { alternateId: 'boss' }, target: [{ alternateId: to }] });
      const fired = alerts(rules, [grant('dana'), fail('dana')]);
      expect(fired.map((a) => a.attributes['security_rule.name'])).to.deep.equal(['The correlation']);
      expect(alerts(rules, [grant('dana'), fail('boss')]).length).to.equal(0);
    });
    it('keeps an aliased correlation firing, with its Sigma attributes, when a tuning override changes its severity', () => {
      const rulesDir = dir({
        'rules.yml': correlation(
          '  type: temporal_ordered\n  rules: [admin_grant, failed_login]\n  group-by: [user]\n  timespan: 10m\n  aliases:\n    user:\n      admin_grant: target.alternateId\n      failed_login: actor.alternateId\n',
        ),
      });
      const id = loadRules([rulesDir]).loaded!.rules.find((r) => r.definition.name === 'The correlation')!.definition.id;
      const tuning = join(dir({ 'tuning.yaml': `overrides:\n  ${id}: { severity: critical }\n` }), 'tuning.yaml');
      const { set, issues } = loadDetectionSet({ rules: [rulesDir], tuning });
      expect(issues).to.deep.equal([]);
      const grant = (to: string) => ({ eventType: 'user.account.privilege.grant', actor: { alternateId: 'boss' }, target: [{ alternateId: to }] });
      const fired = alerts(set!.rules, [grant('dana'), fail('dana')]);
      expect(
        fired.map((a) => [a.attributes['security_rule.name'], a.attributes['security_rule.severity'], a.attributes['security_rule.ruleset']]),
      ).to.deep.equal([['The correlation', 'critical', 'sigma']]);
    });
    it('refuses a correlation naming a rule that is not loaded, and still loads the rest', () => {
      const { loaded } = loadRules([
        dir({ 'rules.yml': correlation('  type: event_count\n  rules: [nope]\n  group-by: [actor.alternateId]\n  timespan: 5m\n  condition: { gte: 3 }\n') }),
      ]);
      const corr = loaded!.sigma!.find((o) => o.title === 'The correlation')!;
      expect(corr.outcome).to.equal('refused');
      expect(corr.reason).to.match(/"nope"/);
      expect(loaded!.rules.map((r) => r.definition.name)).to.include('Failed login');
    });
  });

  describe('metadata', () => {
    it('carries level, ATT&CK tags (v19 names), id, author, references and false positives onto the rule and its alerts', () => {
      const rules = load(`title: Admin console through proxy
id: 5f0c1a2e-8d4b-4c1e-9a57-0b3e6f1d2aff
status: test
description: d
author: Someone
references: [https://example.com/ref]
falsepositives: [VPN users]
tags: [attack.defense-evasion, attack.defense-impairment, attack.t1078.004, attack.g0001]
logsource: { product: okta, service: okta }
detection: { sel: { eventtype: user.session.start }, condition: sel }
level: critical
`);
      const def = rules[0]!.definition;
      expect(def.severity).to.equal('critical');
      expect(def.threat.map((t) => [t.tactic.id, t.tactic.name])).to.deep.equal([
        ['TA0005', 'Stealth'],
        ['TA0112', 'Defense Impairment'],
      ]);
      const fired = alerts(rules, [{ eventType: 'user.session.start' }]);
      const a = fired[0]!.attributes;
      expect(a['security_rule.uuid']).to.equal('5f0c1a2e-8d4b-4c1e-9a57-0b3e6f1d2aff');
      expect(a['security_rule.author']).to.equal('Someone');
      expect(a['security_rule.reference']).to.equal('https://example.com/ref');
      expect(a['security_rule.false_positives']).to.deep.equal(['VPN users']);
      expect(a['threat.technique.id']).to.deep.equal(['T1078', 'T1078.004']);
    });
    it('warns about an unknown field, naming it (not a silent never-match)', () => {
      const out = sigma(okta({ sel: { 'debugContext.debugData.requestUri': '/x', 'actr.alternateId': 'x' }, condition: 'sel' })).outcomes[0]!;
      expect(out.outcome).to.equal('loaded');
      expect(out.warnings.join('\n')).to.match(/"actr\.alternateId" is not an Okta System Log field/);
    });
  });

  describe('a directory of rules', () => {
    it('reports each Sigma document as loaded, skipped (why) or refused (file, line, why), and runs the loaded ones', () => {
      const d = dir({
        'good.yml': okta({ sel: { eventType: 'user.session.start' }, condition: 'sel' }),
        'old.yml': okta({ sel: { eventType: 'x' }, condition: 'sel' }, { id: 'a0b1c2d3-0000-4000-8000-000000000002', status: 'deprecated' }),
        'win.yml': okta({ sel: { EventID: 4625 }, condition: 'sel' }, { id: 'a0b1c2d3-0000-4000-8000-000000000003', logsource: { product: 'windows' } }),
        'bad.yml': okta({ sel: { 'published|week': 3 }, condition: 'sel' }, { id: 'a0b1c2d3-0000-4000-8000-000000000004' }),
        'unsafe.yml': okta({ sel: { 'displayMessage|re': '^(?!admin)x' }, condition: 'sel' }, { id: 'a0b1c2d3-0000-4000-8000-000000000005' }),
      });
      writeFileSync(join(d, 'native.yaml'), readFileSync(join(ROOT, 'packages/rules-okta/rules/okta-user-created.yaml')));
      const { loaded, issues } = loadRules([d]);
      expect(issues).to.deep.equal([]);
      const by = Object.fromEntries(loaded!.sigma!.map((o) => [o.file.split('/').pop(), o]));
      expect(by['good.yml']!.outcome).to.equal('loaded');
      expect(by['old.yml']).to.include({ outcome: 'skipped', reason: 'status deprecated' });
      expect(by['win.yml']!.outcome).to.equal('skipped');
      expect(by['win.yml']!.reason).to.match(/logsource product=windows/);
      expect(by['bad.yml']!.outcome).to.equal('refused');
      expect(by['bad.yml']!.reason).to.match(/week/);
      expect(by['bad.yml']!.line).to.be.greaterThan(1);
      expect(by['unsafe.yml']!.outcome).to.equal('refused');
      expect(by['unsafe.yml']!.reason).to.match(/lookaround|linear|RE2/i);
      expect(loaded!.rules.map((r) => r.definition.id).sort()).to.deep.equal(['a0b1c2d3-0000-4000-8000-000000000001', 'okta-user-created']);
    });
    it('reports a Sigma file with a YAML fault as refused with file and line, and loads the others', () => {
      const d = dir({
        'broken.yml': 'title: x\nlogsource: { product: okta }\ndetection:\n  sel: { eventType: [a, b }\n  condition: sel\n',
        'good.yml': okta({ sel: { eventType: 'user.session.start' }, condition: 'sel' }),
      });
      const { loaded, issues } = loadRules([d]);
      expect(issues).to.deep.equal([]);
      const broken = loaded!.sigma!.find((o) => o.file.endsWith('broken.yml'))!;
      expect(broken).to.include({ outcome: 'refused', line: 4 });
      expect(broken.reason).to.match(/YAML syntax error/);
      expect(loaded!.rules.length).to.equal(1);
    });
    it('oktel rules lint prints the same per-rule report and fails on a refused rule', () => {
      const d = dir({
        'good.yml': okta(
          { sel: { eventType: 'user.session.start' }, condition: 'sel' },
          { tags: ['attack.initial-access'], references: ['https://example.com'] },
        ),
        'bad.yml': okta({ sel: { 'actor.alternateId|expand': '%admins%' }, condition: 'sel' }, { id: 'a0b1c2d3-0000-4000-8000-000000000009' }),
      });
      const lint = (...extra: string[]) =>
        spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['packages/cli/src/main.ts', 'rules', 'lint', d, ...extra], {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 60_000,
        });
      const refused = lint();
      expect(refused.status).to.equal(1);
      expect(refused.stdout).to.match(/REFUSED\s+\S+bad\.yml:\d+\s+Test rule \(placeholder %admins% has no value/);
      expect(refused.stdout).to.match(/Sigma: 1 loaded, 0 skipped, 1 refused/);
      const filled = lint('--placeholder', 'admins=root@example.com');
      expect(filled.stdout).to.match(/Sigma: 2 loaded, 0 skipped, 0 refused/);
    });
    it('applies a Sigma meta-filter to the rules it names, and says so in the report', () => {
      const d = dir({
        'rule.yml': okta({ sel: { eventType: 'user.session.start' }, condition: 'sel' }, { name: 'session_start' }),
        'mf_service_accounts.yml':
          'title: Service accounts\nlogsource: { product: okta, service: okta }\nfilter:\n  rules: [session_start]\n  selection: { actor.alternateId|startswith: svc_ }\n  condition: not selection\n',
      });
      const { loaded } = loadRules([d]);
      const filter = loaded!.sigma!.find((o) => o.file.endsWith('mf_service_accounts.yml'))!;
      expect(filter).to.include({ outcome: 'loaded', reason: 'filter applied to "Test rule"' });
      expect(alerts(loaded!.rules, [{ eventType: 'user.session.start', actor: { alternateId: 'dana@x.com' } }]).length).to.equal(1);
      expect(alerts(loaded!.rules, [{ eventType: 'user.session.start', actor: { alternateId: 'SVC_backup@x.com' } }]).length).to.equal(0);
    });
    it('lets the status filter be configured', () => {
      const d = dir({ 'old.yml': okta({ sel: { eventType: 'x' }, condition: 'sel' }, { status: 'deprecated' }) });
      expect(loadRules([d], { placeholders: {}, skip_statuses: [] }).loaded!.rules.length).to.equal(1);
    });
  });

  describe('the example Sigma directory (configs/sigma)', () => {
    it('loads directly and its embedded tests pass (fire on matches, silent on near misses)', () => {
      const { loaded, issues } = loadRules([SIGMA_DIR], { placeholders: PLACEHOLDERS, skip_statuses: ['deprecated', 'unsupported'] });
      expect(issues).to.deep.equal([]);
      const results = runRuleTests(loaded!.rules);
      expect(results.length).to.be.greaterThan(8);
      expect(results.filter((r) => !r.passed)).to.deep.equal([]);
    });
    it('converts to native rules that load with the native loader and pass the same tests', () => {
      const out = mkdtempSync(join(tmpdir(), 'oktel-converted-'));
      mkdirSync(out, { recursive: true });
      const args = [
        'packages/cli/src/main.ts',
        'rules',
        'convert',
        '--from',
        'sigma',
        SIGMA_DIR,
        '--output',
        out,
        '--placeholder',
        'okta_admin_accounts=admin@example.com',
        '--placeholder',
        'okta_admin_accounts=breakglass-*@example.com',
      ];
      const run = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), args, { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(run.status, run.stderr).to.equal(0);
      expect(run.stderr).to.match(/Sigma: 11 loaded, 1 skipped, 0 refused/);
      const { loaded, issues } = loadRules([out]);
      expect(issues).to.deep.equal([]);
      expect(loaded!.sigma).to.deep.equal([]);
      const results = runRuleTests(loaded!.rules);
      expect(results.length).to.be.greaterThan(8);
      expect(results.filter((r) => !r.passed)).to.deep.equal([]);
    });
    it('configs/sigma-demo.yaml validates with the shipped pack and the Sigma directory side by side', () => {
      const cwd = process.cwd();
      process.chdir(ROOT);
      try {
        const config = loadConfig([join(ROOT, 'configs/sigma-demo.yaml')], builtinComponents(), {});
        const detection = config.components.get('processor')!.get('detection')!.config as { loaded: { rules: CompiledRule[]; sigma: { outcome: string }[] } };
        expect(detection.loaded.sigma.filter((o) => o.outcome === 'loaded').length).to.equal(11);
        expect(detection.loaded.rules.length).to.be.greaterThan(40);
      } finally {
        process.chdir(cwd);
      }
    });
  });
});

describe('Okta-style Sigma rules covering every modifier, condition form and correlation type (test/rules)', () => {
  const RULES_DIR = join(import.meta.dirname, 'rules');
  it('load directly, and their tests (matches and near misses) pass', () => {
    const { loaded, issues } = loadRules([RULES_DIR]);
    expect(issues).to.deep.equal([]);
    expect(loaded!.sigma!.filter((o) => o.outcome !== 'loaded')).to.deep.equal([]);
    const results = runRuleTests(loaded!.rules);
    expect(results.length).to.equal(15);
    expect(results.filter((r) => !r.passed)).to.deep.equal([]);
  });
  it('pass the same tests after conversion to native rules', () => {
    const { rules } = compileSigmaFiles(
      [...readdirSync(RULES_DIR)].map((f) => ({ file: join(RULES_DIR, f) })),
      { attack: ATTACK },
    );
    const out = mkdtempSync(join(tmpdir(), 'oktel-converted-'));
    for (const rule of rules) writeFileSync(join(out, `${rule.definition.id}.yaml`), toNativeYaml(rule)!);
    const { loaded, issues } = loadRules([out]);
    expect(issues).to.deep.equal([]);
    expect(loaded!.sigma).to.deep.equal([]);
    const results = runRuleTests(loaded!.rules);
    expect(results.length).to.equal(15);
    expect(results.filter((r) => !r.passed)).to.deep.equal([]);
  });
});
