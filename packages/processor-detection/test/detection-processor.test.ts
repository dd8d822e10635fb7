import { expect } from 'chai';
import { detectionConfigSchema, detectionConfigSchemaFor, detectionProcessorFactory, ALERT_EVENT_NAME } from '@oktel/processor-detection';
import { withAttributes, type LogRecord } from '@oktel/core';
import { LogsSink, tempDir, testHost, testSettings } from '@oktel/testkit';
import { record, SIMPLE_RULE, writeRule } from './helpers.js';

async function run(rules: string[], batches: LogRecord[][], extra: Record<string, unknown> = {}) {
  const sink = new LogsSink();
  const settings = testSettings('processor', 'detection');
  const processor = detectionProcessorFactory.create(settings, detectionConfigSchema.parse({ rules, ...extra }), sink);
  await processor.start(testHost());
  for (const batch of batches) await processor.consume(batch);
  await processor.shutdown();
  const alerts = sink.records.filter((r) => r.attributes['event.kind'] === 'alert');
  const raw = sink.records.filter((r) => r.attributes['event.kind'] !== 'alert');
  return { sink, alerts, raw, settings };
}

describe('detection processor', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('tags a matching record with the rule and its ATT&CK mapping, and leaves others untouched', async () => {
    const rule = writeRule(dir.path, 'a.yaml', SIMPLE_RULE('rule-a'));
    const hit = record({ eventType: 'user.session.start', actor: { type: 'User', alternateId: 'dana@example.com' } });
    const miss = record({ eventType: 'user.session.end' });
    const { raw } = await run([rule], [[hit, miss]]);
    expect(raw[0]!.attributes).to.deep.include({
      'security_rule.uuid': 'rule-a',
      'security_rule.name': 'Rule rule-a',
      'security_rule.version': '1',
      'security_rule.severity': 'medium',
      'threat.framework': 'MITRE ATT&CK',
    });
    expect(raw[0]!.attributes['threat.tactic.id']).to.deep.equal(['TA0001']);
    expect(raw[0]!.attributes['threat.technique.name']).to.deep.equal(['Valid Accounts']);
    expect(raw[1]).to.equal(miss);
  });

  it('lists every matching rule as arrays, with the highest severity', async () => {
    const a = writeRule(dir.path, 'a.yaml', SIMPLE_RULE('rule-a'));
    const b = writeRule(
      dir.path,
      'b.yaml',
      SIMPLE_RULE('rule-b').replace('severity: medium', 'severity: critical').replace('TA0001, name: Initial Access', 'TA0006, name: Credential Access'),
    );
    const { raw } = await run([a, b], [[record({ eventType: 'user.session.start' })]]);
    expect(raw[0]!.attributes['security_rule.uuid']).to.deep.equal(['rule-a', 'rule-b']);
    expect(raw[0]!.attributes['threat.tactic.id']).to.deep.equal(['TA0001', 'TA0006']);
    expect(raw[0]!.attributes['threat.technique.id']).to.deep.equal(['T1078']);
    expect(raw[0]!.attributes['security_rule.severity']).to.equal('critical');
  });

  it('synthesizes an alert record with severity, group values under semantic-convention names, count, times and uuids', async () => {
    const rule = writeRule(dir.path, 'a.yaml', SIMPLE_RULE('rule-a'));
    const hit = record({ eventType: 'user.session.start', actor: { type: 'User', alternateId: 'dana@example.com' } });
    const { alerts } = await run([rule], [[hit]]);
    expect(alerts).to.have.length(1);
    const alert = alerts[0]!;
    expect(alert.eventName).to.equal(ALERT_EVENT_NAME);
    expect(alert.severityText).to.equal('MEDIUM');
    expect(alert.severityNumber).to.equal(14);
    expect(alert.body).to.equal('Rule rule-a for actor.alternateId=dana@example.com: 1 event at 2026-11-20T10:00:00.000Z.');
    expect(alert.attributes).to.deep.include({
      'event.kind': 'alert',
      'user.name': 'dana@example.com',
      'event.risk_score': 47,
      'oktel.alert.event_count': 1,
      'security_rule.uuid': 'rule-a',
    });
    expect(alert.attributes['oktel.alert.event_uuids']).to.deep.equal([hit.attributes['log.record.uid']]);
    expect(alert.resource).to.equal(hit.resource);
  });

  it('suppresses repeats per rule and group within the window, then reports the count in one follow-up', async () => {
    const rule = writeRule(dir.path, 'a.yaml', SIMPLE_RULE('rule-a'));
    const t0 = Date.parse('2026-11-20T10:00:00Z');
    const dana = (offsetMin: number) =>
      record({ eventType: 'user.session.start', actor: { type: 'User', alternateId: 'dana@example.com' } }, t0 + offsetMin * 60_000);
    const sam = record({ eventType: 'user.session.start', actor: { type: 'User', alternateId: 'sam@example.com' } }, t0);
    const { alerts } = await run(
      [rule],
      [
        [dana(0), dana(5), sam],
        [dana(10), dana(20)],
      ],
    );
    const forDana = alerts.filter((a) => a.attributes['user.name'] === 'dana@example.com');
    expect(forDana.map((a) => [a.attributes['oktel.alert.event_count'], a.attributes['oktel.alert.update']])).to.deep.equal([
      [1, false],
      [4, true],
    ]);
    expect(alerts.filter((a) => a.attributes['user.name'] === 'sam@example.com')).to.have.length(1);
  });

  it('opens a new alert once event time passes the window', async () => {
    const rule = writeRule(dir.path, 'a.yaml', SIMPLE_RULE('rule-a', 'suppression: { window: 10m }'));
    const t0 = Date.parse('2026-11-20T10:00:00Z');
    const hit = (offsetMin: number) =>
      record({ eventType: 'user.session.start', actor: { type: 'User', alternateId: 'dana@example.com' } }, t0 + offsetMin * 60_000);
    const { alerts } = await run([rule], [[hit(0), hit(3), hit(15)]]);
    expect(alerts.map((a) => [a.attributes['oktel.alert.event_count'], a.attributes['oktel.alert.update']])).to.deep.equal([
      [1, false],
      [2, true],
      [1, false],
    ]);
  });

  it('never lets a raw record leave with event.kind=alert', async () => {
    const rule = writeRule(dir.path, 'a.yaml', SIMPLE_RULE('rule-a'));
    const spoofed = withAttributes(record({ eventType: 'user.session.end' }), { 'event.kind': 'alert' });
    const { sink, settings } = await run([rule], [[spoofed]]);
    expect(sink.records[0]!.attributes['event.kind']).to.equal('event');
    expect(settings.telemetry.get('relabelled_records')).to.equal(1);
  });

  it('reads record attributes and resource under @attributes. and @resource.', async () => {
    const rule = writeRule(
      dir.path,
      'a.yaml',
      SIMPLE_RULE('rule-a')
        .replace(
          'match: { "==": [{ var: eventType }, "user.session.start"] }',
          'match: { and: [{ "==": [{ var: "@attributes.client.address" }, "203.0.113.9"] }, { "==": [{ var: "@resource.okta.domain" }, "acme.okta.com"] }] }',
        )
        .replace(
          /tests:[\s\S]*$/,
          'tests:\n  - { name: m, events: [{ eventType: x, client: { ipAddress: 203.0.113.9 } }], expect: match }\n  - { name: n, events: [{ eventType: x }], expect: no_match }\n',
        ),
    );
    const { raw } = await run(
      [rule],
      [[record({ eventType: 'x', client: { ipAddress: '203.0.113.9' } }), record({ eventType: 'x', client: { ipAddress: '198.51.100.1' } })]],
    );
    expect(raw.map((r) => r.attributes['security_rule.uuid'])).to.deep.equal(['rule-a', undefined]);
  });

  it('passes on, untouched and counted, a record whose evaluation fails outside any rule, and keeps the rest of its batch', async () => {
    const good = writeRule(dir.path, 'b.yaml', SIMPLE_RULE('rule-b'));
    const poisoned = record({ eventType: 'user.session.start' });
    // Matches rule-b (which reads only eventType); reading the client for the alert's entities throws.
    Object.defineProperty(poisoned.body, 'client', {
      get: () => {
        throw new Error('boom');
      },
      enumerable: true,
    });
    const { raw, settings } = await run([good], [[poisoned, record({ eventType: 'user.session.start' })]]);
    expect(settings.telemetry.get('evaluation_errors')).to.equal(1);
    expect(raw).to.have.length(2);
    expect(raw[0]).to.equal(poisoned);
    expect(raw[1]!.attributes['security_rule.uuid']).to.equal('rule-b');
  });

  it('counts a rule that throws and goes on (error_mode ignore)', async () => {
    const rule = writeRule(
      dir.path,
      'a.yaml',
      SIMPLE_RULE('rule-a')
        .replace('match: { "==": [{ var: eventType }, "user.session.start"] }', 'match: { "==": [{ var: actor.0 }, 1] }')
        .replace(
          /tests:[\s\S]*$/,
          'tests:\n  - { name: m, events: [{ eventType: x, actor: [1] }], expect: match }\n  - { name: n, events: [{ eventType: x, actor: [] }], expect: no_match }\n',
        ),
    );
    const good = writeRule(dir.path, 'b.yaml', SIMPLE_RULE('rule-b'));
    const poisoned = record({ eventType: 'user.session.start' });
    // A body whose field throws when read: the rule fails on this event only.
    Object.defineProperty(poisoned.body, 'actor', {
      value: Object.defineProperty({}, '0', {
        get: () => {
          throw new Error('boom');
        },
        enumerable: true,
      }),
    });
    const { raw, settings } = await run([rule, good], [[poisoned, record({ eventType: 'user.session.start' })]]);
    expect(settings.telemetry.get('rule_errors')).to.equal(1);
    expect(raw).to.have.length(2);
    expect(raw[1]!.attributes['security_rule.uuid']).to.equal('rule-b');
  });
});

describe('detection processor: loading rules', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  const messages = (rules: string[]): string[] => {
    const result = detectionConfigSchema.safeParse({ rules });
    expect(result.success).to.equal(false);
    return result.error!.issues.map((i) => i.message);
  };

  it('rejects a bad rule with file, line, rule id and the JsonLogic path of the fault; no half-loaded pack', () => {
    const good = writeRule(dir.path, 'good.yaml', SIMPLE_RULE('rule-good'));
    const bad = writeRule(
      dir.path,
      'bad.yaml',
      SIMPLE_RULE('rule-bad').replace(
        'match: { "==": [{ var: eventType }, "user.session.start"] }',
        'match:\n  and:\n    - { "==": [{ var: eventType }, "x"] }\n    - { regexp: [{ var: actor.alternateId }, "^svc"] }',
      ),
    );
    expect(messages([good, bad])).to.deep.equal([`${bad}:11: rule rule-bad: match at and[1]: unrecognized operation "regexp"`]);
  });

  it('refuses a regex the linear-time engine cannot run (lookahead), naming file, line and path', () => {
    const bad = writeRule(
      dir.path,
      'bad.yaml',
      SIMPLE_RULE('rule-bad').replace(
        'match: { "==": [{ var: eventType }, "user.session.start"] }',
        'match:\n  and:\n    - { "==": [{ var: eventType }, "x"] }\n    - { regex: [{ var: actor.alternateId }, "^(?=.*[0-9]).{8,}$"] }',
      ),
    );
    const [message] = messages([bad]);
    expect(message).to.contain(
      `${bad}:11: rule rule-bad: match at and[1].regex[1]: regex "^(?=.*[0-9]).{8,}$" is not accepted by the linear-time engine (RE2)`,
    );
    expect(message).to.contain('backreferences and lookaround are not supported');
  });

  it('reports schema problems with their key and line', () => {
    const bad = writeRule(dir.path, 'bad.yaml', SIMPLE_RULE('rule-bad').replace('severity: medium', 'severity: urgent'));
    const [message] = messages([bad]);
    expect(message).to.match(new RegExp(`^${bad}:4: severity: rule rule-bad: Invalid option`));
  });

  it('rejects duplicate rule ids across files', () => {
    const a = writeRule(dir.path, 'a.yaml', SIMPLE_RULE('rule-a'));
    const b = writeRule(dir.path, 'b.yaml', SIMPLE_RULE('rule-a'));
    expect(messages([a, b])[0]).to.contain(`rule rule-a: the id is already used by ${a}`);
  });

  it('loads directories recursively and globs, and reports a path that does not exist', () => {
    writeRule(`${dir.path}/pack/sub`, 'a.yaml', SIMPLE_RULE('rule-a'));
    writeRule(`${dir.path}/pack`, 'b.yml', SIMPLE_RULE('rule-b'));
    expect(detectionConfigSchema.parse({ rules: [`${dir.path}/pack`] }).loaded.rules.map((r) => r.definition.id)).to.deep.equal(['rule-b', 'rule-a']);
    expect(detectionConfigSchema.parse({ rules: [`${dir.path}/pack/**/*.yaml`] }).loaded.rules.map((r) => r.definition.id)).to.deep.equal(['rule-a']);
    expect(messages([`${dir.path}/nope`])[0]).to.contain('does not exist');
  });

  it('refuses a config without rules when no default pack was registered, naming the key', () => {
    const result = detectionConfigSchema.safeParse({});
    expect(result.success).to.equal(false);
    expect(result.error!.issues[0]!.path).to.deep.equal(['rules']);
    expect(result.error!.issues[0]!.message).to.contain('no rule files');
  });

  it('loads the default rules it was given when a config names none, and only then', () => {
    writeRule(`${dir.path}/default`, 'd.yaml', SIMPLE_RULE('rule-default'));
    writeRule(`${dir.path}/own`, 'o.yaml', SIMPLE_RULE('rule-own'));
    const schema = detectionConfigSchemaFor([`${dir.path}/default`]);
    expect(schema.parse({}).loaded.rules.map((r) => r.definition.id)).to.deep.equal(['rule-default']);
    expect(schema.parse({ rules: [`${dir.path}/own`] }).loaded.rules.map((r) => r.definition.id)).to.deep.equal(['rule-own']);
  });
});
