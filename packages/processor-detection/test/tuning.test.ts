import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectionConfigSchema, detectionProcessorFactory, DetectionProcessor } from '@oktel/processor-detection';
import type { LogRecord } from '@oktel/core';
import { LogsSink, tempDir, testHost, testSettings, waitUntil } from '@oktel/testkit';
import { buildList } from '../src/tuning/lists.js';
import { record, SIMPLE_RULE, writeRule } from './helpers.js';

const THRESHOLD_RULE = (id: string, count: number) =>
  SIMPLE_RULE(id)
    .replace('group_by: [actor.alternateId]', `group_by: [actor.alternateId]\ncorrelate: { type: threshold, window: 10m, count: ${count} }`)
    .replace(
      /tests:[\s\S]*$/,
      `tests:\n  - name: fires\n    events: [${Array.from({ length: count }, () => '{ eventType: user.session.start, actor: { alternateId: a@x } }').join(', ')}]\n    expect: alert\n  - name: quiet\n    events: [{ eventType: user.session.end }]\n    expect: no_alert\n`,
    );

function session(user: string, ip = '198.51.100.7', atMs?: number): LogRecord {
  return record(
    { eventType: 'user.session.start', actor: { id: user, type: 'User', alternateId: user, displayName: user }, client: { ipAddress: ip } as never },
    atMs,
  );
}

async function run(config: Record<string, unknown>, batches: LogRecord[][], now?: () => number) {
  const sink = new LogsSink();
  const settings = testSettings('processor', 'detection');
  const processor = new DetectionProcessor(settings, detectionConfigSchema.parse(config), sink, now ? { now } : {});
  await processor.start(testHost());
  for (const batch of batches) await processor.consume(batch);
  await processor.shutdown();
  const alerts = sink.records.filter((r) => r.attributes['event.kind'] === 'alert');
  const metrics = await settings.telemetryRoot.registry.metrics();
  return { alerts, settings, metrics, logs: settings.logs.lines.join('\n') };
}

function parseError(config: Record<string, unknown>): string {
  try {
    detectionConfigSchema.parse(config);
  } catch (err) {
    const issues = (err as { issues?: { message: string }[] }).issues;
    return issues ? issues.map((i) => i.message).join('\n') : String(err);
  }
  throw new Error('expected the config to be refused');
}

describe('detection tuning: shared lists', () => {
  it('answers CIDR membership for IPv4, IPv6 and IPv4-mapped addresses from merged ranges', () => {
    const { list } = buildList(
      'egress',
      { kind: 'cidr', case_insensitive: false },
      ['203.0.113.0/24', '198.51.100.7', '10.0.0.0/8', '10.1.0.0/16', '2001:db8:abcd::/48'].map((value) => ({ value, line: 1 })),
      'x',
    );
    for (const ip of ['203.0.113.0', '203.0.113.255', '198.51.100.7', '10.200.3.4', '2001:db8:abcd:12::1', '::ffff:203.0.113.9'])
      expect(list!.has(ip), ip).to.equal(true);
    for (const ip of ['203.0.114.0', '198.51.100.8', '11.0.0.0', '2001:db8:abce::1', 'not-an-ip', 42, null]) expect(list!.has(ip), String(ip)).to.equal(false);
  });

  it('matches strings exactly or without case, and globs with * and ?', () => {
    const exact = buildList('a', { kind: 'string', case_insensitive: false }, [{ value: 'svc-Backup@example.com', line: 1 }], 'x').list!;
    expect(exact.has('svc-Backup@example.com')).to.equal(true);
    expect(exact.has('svc-backup@example.com')).to.equal(false);
    const folded = buildList('a', { kind: 'string', case_insensitive: true }, [{ value: 'svc-Backup@example.com', line: 1 }], 'x').list!;
    expect(folded.has('SVC-BACKUP@example.com')).to.equal(true);
    const globs = buildList(
      'a',
      { kind: 'pattern', case_insensitive: true },
      [
        { value: 'svc-*@example.com', line: 1 },
        { value: 'scanner-?', line: 2 },
      ],
      'x',
    ).list!;
    expect(globs.has('SVC-ldap-sync@example.com')).to.equal(true);
    expect(globs.has('scanner-7')).to.equal(true);
    expect(globs.has('scanner-77')).to.equal(false);
    expect(globs.has('dana@example.com')).to.equal(false);
  });

  it('refuses a bad CIDR naming the list file and line', () => {
    const dir = tempDir();
    try {
      const rule = writeRule(dir.path, 'r.yaml', SIMPLE_RULE('rule-a'));
      writeFileSync(join(dir.path, 'egress.txt'), '# corporate egress\n203.0.113.0/24\n203.0.113.300/24\n');
      writeFileSync(join(dir.path, 'tuning.yaml'), 'lists:\n  egress: { file: egress.txt, kind: cidr }\n');
      const message = parseError({ rules: [rule], tuning: join(dir.path, 'tuning.yaml') });
      expect(message)
        .to.include(`${join(dir.path, 'egress.txt')}:3`)
        .and.include('"203.0.113.300/24" is not an IP address or CIDR range');
    } finally {
      dir.cleanup();
    }
  });

  it('lets a rule use in_list, from a CSV column, and refuses an unknown list at load with its path', async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, 'vips.csv'), 'name,login\nDana,dana@example.com\n"Lee, Kim",lee@example.com\n');
      writeFileSync(join(dir.path, 'tuning.yaml'), 'lists:\n  vips: { file: vips.csv, column: login, case_insensitive: true }\n');
      const rule = writeRule(
        dir.path,
        'r.yaml',
        SIMPLE_RULE('vip-login')
          .replace(
            'match: { "==": [{ var: eventType }, "user.session.start"] }',
            'match: { and: [{ "==": [{ var: eventType }, "user.session.start"] }, { in_list: [{ var: actor.alternateId }, "vips"] }] }',
          )
          .replace(
            'events: [{ eventType: user.session.start }]\n    expect: match',
            'events: [{ eventType: user.session.start, actor: { alternateId: dana@example.com } }]\n    expect: match',
          ),
      );
      const { alerts } = await run({ rules: [rule], tuning: join(dir.path, 'tuning.yaml') }, [[session('LEE@example.com'), session('someone@example.com')]]);
      expect(alerts.map((a) => a.attributes['user.name'])).to.deep.equal(['LEE@example.com']);
      expect(parseError({ rules: [rule] }))
        .to.include('unknown list "vips"')
        .and.include(rule);
    } finally {
      dir.cleanup();
    }
  });
});

describe('detection tuning: exceptions', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  function tuning(yaml: string): string {
    const path = join(dir.path, 'tuning.yaml');
    writeFileSync(path, yaml);
    return path;
  }

  it('ignores matches of a service account and a corporate egress range, counting them per rule and exception', async () => {
    const rule = writeRule(dir.path, 'r.yaml', SIMPLE_RULE('rule-a'));
    writeFileSync(join(dir.path, 'egress.txt'), '203.0.113.0/24\n2001:db8::/32\n');
    const file = tuning(`lists:
  corporate_egress: { file: egress.txt, kind: cidr }
exceptions:
  - id: backup-service-account
    rules: [rule-a]
    match: { actor.alternateId: [svc-backup@example.com, svc-sync@example.com] }
    comment: nightly backup job signs in from many hosts
  - id: office-egress
    rules: ["*"]
    match: { client.ipAddress: { in_list: corporate_egress } }
    comment: sign-ins from the office are expected
`);
    const { alerts, metrics } = await run({ rules: [rule], tuning: file }, [
      [
        session('svc-backup@example.com'),
        session('dana@example.com', '203.0.113.40'),
        session('dana@example.com', '2001:db8::5'),
        session('eve@example.com', '192.0.2.1'),
      ],
    ]);
    expect(alerts.map((a) => a.attributes['user.name'])).to.deep.equal(['eve@example.com']);
    expect(metrics).to.include('oktel_processor_excluded_matches_total{rule="rule-a",exception="backup-service-account",processor="detection"} 1');
    expect(metrics).to.include('oktel_processor_excluded_matches_total{rule="rule-a",exception="office-egress",processor="detection"} 2');
  });

  it('applies a JsonLogic exception to every rule carrying a tag', async () => {
    const tagged = writeRule(dir.path, 'a.yaml', SIMPLE_RULE('rule-a').replace('group_by:', 'tags: [mfa]\ngroup_by:'));
    const other = writeRule(dir.path, 'b.yaml', SIMPLE_RULE('rule-b'));
    const file = tuning(`exceptions:
  - id: mfa-enrolment-campaign
    tags: [mfa]
    when: { in: ["@example.com", { var: actor.alternateId }] }
    comment: company-wide MFA enrolment
`);
    const { alerts } = await run({ rules: [tagged, other], tuning: file }, [[session('dana@example.com')]]);
    expect(alerts.map((a) => a.attributes['security_rule.uuid'])).to.deep.equal(['rule-b']);
  });

  it('stops applying an expired exception, and says so once', async () => {
    const rule = writeRule(
      dir.path,
      'r.yaml',
      SIMPLE_RULE('rule-a').replace('group_by: [actor.alternateId]', 'group_by: [actor.alternateId]\nsuppression: { window: 1ms }'),
    );
    const file = tuning(`exceptions:
  - id: campaign
    rules: [rule-a]
    match: { actor.alternateId: dana@example.com }
    expires: 2026-11-20
    comment: enrolment campaign week
`);
    let now = Date.parse('2026-11-20T23:59:00Z');
    const sink = new LogsSink();
    const settings = testSettings('processor', 'detection');
    const processor = new DetectionProcessor(settings, detectionConfigSchema.parse({ rules: [rule], tuning: file }), sink, { now: () => now });
    await processor.start(testHost());
    await processor.consume([session('dana@example.com', undefined, Date.parse('2026-11-20T23:58:00Z'))]);
    expect(sink.records.filter((r) => r.attributes['event.kind'] === 'alert')).to.have.length(0);
    now = Date.parse('2026-11-21T00:00:01Z');
    await processor.consume([session('dana@example.com', undefined, Date.parse('2026-11-21T00:00:00Z'))]);
    await processor.consume([session('dana@example.com', undefined, Date.parse('2026-11-21T00:00:00.500Z'))]);
    await processor.shutdown();
    expect(sink.records.filter((r) => r.attributes['event.kind'] === 'alert').length).to.be.greaterThan(0);
    expect(settings.logs.lines.filter((l) => l.includes('Tuning exception campaign expired'))).to.have.length(1);
  });

  it('refuses an exception naming no known rule, or without a comment, with file and line', () => {
    const rule = writeRule(dir.path, 'r.yaml', SIMPLE_RULE('rule-a'));
    const file = tuning('exceptions:\n  - id: typo\n    rules: [rule-aa]\n    match: { actor.alternateId: x }\n    comment: c\n');
    expect(parseError({ rules: [rule], tuning: file }))
      .to.include(`${file}:3`)
      .and.include('no rule rule-aa is loaded');
    tuning('exceptions:\n  - id: silent\n    rules: [rule-a]\n    match: { actor.alternateId: x }\n');
    expect(parseError({ rules: [rule], tuning: file }))
      .to.include(`${file}:2`)
      .and.include('comment');
  });
});

describe('detection tuning: overrides', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('changes severity, risk score and tags, disables a rule, and raises a threshold without editing the rule', async () => {
    const a = writeRule(dir.path, 'a.yaml', SIMPLE_RULE('rule-a'));
    const b = writeRule(dir.path, 'b.yaml', SIMPLE_RULE('rule-b'));
    const t = writeRule(dir.path, 't.yaml', THRESHOLD_RULE('burst', 2));
    const file = join(dir.path, 'tuning.yaml');
    writeFileSync(
      file,
      'overrides:\n  rule-a: { severity: critical, risk_score: 95, tags: [vip] }\n  rule-b: { enabled: false }\n  burst: { correlate: { count: 3 } }\n',
    );
    const config = detectionConfigSchema.parse({ rules: [a, b, t], tuning: file });
    expect(config.loaded.rules.map((r) => r.definition.id)).to.deep.equal(['rule-a', 'burst']);
    expect(config.loaded.rules[0]!.definition.tags).to.include('vip');
    const t0 = Date.parse('2026-11-20T10:00:00Z');
    const { alerts } = await run({ rules: [a, b, t], tuning: file }, [
      [session('dana@example.com', undefined, t0), session('zed@example.com', undefined, t0 + 1000), session('zed@example.com', undefined, t0 + 2000)],
    ]);
    const single = alerts.filter((x) => x.attributes['security_rule.uuid'] === 'rule-a');
    expect(single[0]!.attributes['security_rule.severity']).to.equal('critical');
    expect(single[0]!.attributes['event.risk_score']).to.equal(95);
    // Two events for zed would have fired the shipped count of 2; the override asks for 3.
    expect(alerts.filter((x) => x.attributes['security_rule.uuid'] === 'burst')).to.have.length(0);
  });

  it('validates an override like the rule itself: bad values and keys that do not fit the rule, with file and line', () => {
    const a = writeRule(dir.path, 'a.yaml', SIMPLE_RULE('rule-a'));
    const file = join(dir.path, 'tuning.yaml');
    writeFileSync(file, 'overrides:\n  rule-a:\n    severity: urgent\n');
    expect(parseError({ rules: [a], tuning: file }))
      .to.include(`${file}:3`)
      .and.include('severity');
    writeFileSync(file, 'overrides:\n  rule-a:\n    correlate: { count: 5 }\n');
    expect(parseError({ rules: [a], tuning: file }))
      .to.include(`${file}:3`)
      .and.include('not a stateful rule');
    writeFileSync(file, 'overrides:\n  rule-zz: { enabled: false }\n');
    expect(parseError({ rules: [a], tuning: file })).to.include('no such rule');
  });
});

describe('detection tuning: reload', () => {
  it('keeps the state of unchanged rules, resets changed ones, and refuses an invalid tuning while keeping the old set', async () => {
    const dir = tempDir();
    try {
      const t = writeRule(dir.path, 't.yaml', THRESHOLD_RULE('burst', 3));
      const u = writeRule(dir.path, 'u.yaml', THRESHOLD_RULE('burst-two', 3));
      const file = join(dir.path, 'tuning.yaml');
      writeFileSync(file, 'exceptions: []\n');
      const sink = new LogsSink();
      const settings = testSettings('processor', 'detection');
      const processor = detectionProcessorFactory.create(
        settings,
        detectionConfigSchema.parse({ rules: [t, u], tuning: file, idle_after: '0s' }),
        sink,
      ) as DetectionProcessor;
      await processor.start(testHost());
      const t0 = Date.parse('2026-11-20T10:00:00Z');
      await processor.consume([session('zed@example.com', undefined, t0), session('zed@example.com', undefined, t0 + 1000)]);
      writeFileSync(file, 'overrides:\n  burst-two: { correlate: { window: 20m } }\n');
      await processor.reload();
      expect(processor.ruleSetVersion).to.equal(2);
      expect(settings.logs.lines.join('\n')).to.include('state kept for 1 rules, reset for 1');
      writeFileSync(file, 'overrides:\n  burst: { severity: nope }\n');
      await processor.reload();
      expect(processor.ruleSetVersion).to.equal(2);
      expect(settings.logs.lines.join('\n')).to.include('Reload refused').and.include(`${file}:2`);
      await processor.consume([session('zed@example.com', undefined, t0 + 2000)]);
      await processor.shutdown();
      const fired = sink.records.filter((r) => r.attributes['event.kind'] === 'alert').map((r) => r.attributes['security_rule.uuid']);
      expect(fired).to.deep.equal(['burst']);
      const metrics = await settings.telemetryRoot.registry.metrics();
      expect(metrics).to.include('oktel_processor_ruleset_version{processor="detection"} 2');
      expect(metrics).to.include('oktel_processor_ruleset_reloads_total{result="failed",processor="detection"} 1');
    } finally {
      dir.cleanup();
    }
  });
});

describe('detection tuning: reload_on_change', () => {
  it('reloads by itself when a list file changes, and the new list decides the next event', async function () {
    this.timeout(20_000);
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, 'egress.txt'), '203.0.113.0/24\n');
      const file = join(dir.path, 'tuning.yaml');
      writeFileSync(
        file,
        'lists:\n  egress: { file: egress.txt, kind: cidr }\nexceptions:\n  - id: office\n    rules: [rule-a]\n    match: { client.ipAddress: { in_list: egress } }\n    comment: office NAT\n',
      );
      const rule = writeRule(dir.path, 'r.yaml', SIMPLE_RULE('rule-a'));
      const sink = new LogsSink();
      const settings = testSettings('processor', 'detection');
      const processor = new DetectionProcessor(settings, detectionConfigSchema.parse({ rules: [rule], tuning: file, reload_on_change: true }), sink);
      await processor.start(testHost());
      await processor.consume([session('dana@example.com', '198.51.100.7')]);
      writeFileSync(join(dir.path, 'egress.txt'), '203.0.113.0/24\n198.51.100.0/24\n');
      await waitUntil(
        () => processor.ruleSetVersion === 2,
        15_000,
        () => `a reload after the list changed (log: ${settings.logs.lines.join('\n')})`,
      );
      await processor.consume([session('kim@example.com', '198.51.100.8')]);
      await processor.shutdown();
      const alerts = sink.records.filter((r) => r.attributes['event.kind'] === 'alert').map((a) => a.attributes['user.name']);
      expect(alerts).to.deep.equal(['dana@example.com']);
      expect(settings.logs.lines.join('\n')).to.include('A rule, tuning or list file changed: reloading.');
    } finally {
      dir.cleanup();
    }
  });
});

describe('detection tuning inside an OpenTelemetry JS LoggerProvider', () => {
  it('applies the tuning file exceptions to the SDK LogRecordProcessor too', async () => {
    const { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } = await import('@opentelemetry/sdk-logs');
    const { DetectionLogRecordProcessor } = await import('@oktel/processor-detection');
    const dir = tempDir();
    try {
      const file = join(dir.path, 'tuning.yaml');
      writeFileSync(
        file,
        'lists:\n  kiosk_users: { values: [sam@example.com] }\nexceptions:\n  - id: kiosks\n    rules: [okta-unauthorized-app-access]\n    match: { actor.alternateId: { in_list: kiosk_users } }\n    comment: shared kiosk accounts try every app tile\n',
      );
      // A stand-in for the pack's rule of that id (this package ships no rules).
      const rule = writeRule(
        dir.path,
        'unauth.yaml',
        SIMPLE_RULE('okta-unauthorized-app-access').replaceAll('user.session.start', 'app.generic.unauth_app_access_attempt'),
      );
      const exporter = new InMemoryLogRecordExporter();
      const alertsProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
      const provider = new LoggerProvider({
        processors: [
          new DetectionLogRecordProcessor({ alertLogger: alertsProvider.getLogger('oktel-alerts'), config: { rules: [rule], tuning: file } }),
          new SimpleLogRecordProcessor({ exporter }),
        ],
      });
      const logger = provider.getLogger('okta');
      for (const [i, user] of ['sam@example.com', 'kim@example.com'].entries()) {
        const event = {
          uuid: `u-${i}`,
          published: '2026-11-20T10:00:00.000Z',
          eventType: 'app.generic.unauth_app_access_attempt',
          actor: { type: 'User', alternateId: user },
          outcome: { result: 'FAILURE' },
        };
        logger.emit({ timestamp: Date.parse(event.published), eventName: event.eventType, body: event });
      }
      await provider.forceFlush();
      await alertsProvider.forceFlush();
      const alerts = exporter.getFinishedLogRecords().filter((r) => r.attributes['event.kind'] === 'alert');
      expect(alerts.map((a) => a.attributes['user.name'])).to.deep.equal(['kim@example.com']);
      await provider.shutdown();
      await alertsProvider.shutdown();
    } finally {
      dir.cleanup();
    }
  });
});
