import { expect } from 'chai';
import { detectionConfigSchema, detectionProcessorFactory } from '@oktel/processor-detection';
import type { LogRecord } from '@oktel/core';
import { LogsSink, tempDir, testHost, testSettings } from '@oktel/testkit';
import { record, SIMPLE_RULE, writeRule } from './helpers.js';
import { correlatedRule, engineWith } from './stateful-helpers.js';

const T0 = Date.parse('2026-11-20T10:00:00Z');
const dana = { type: 'User', alternateId: 'dana@example.com', id: '00u1', displayName: 'Dana' };

async function run(config: Record<string, unknown>, batch: LogRecord[]) {
  const sink = new LogsSink();
  const settings = testSettings('processor', 'detection');
  const processor = detectionProcessorFactory.create(settings, detectionConfigSchema.parse(config), sink);
  await processor.start(testHost());
  await processor.consume(batch);
  await processor.shutdown();
  return { sink, settings, alerts: sink.records.filter((r) => r.attributes['event.kind'] === 'alert') };
}

describe('detection: entities on every alert', () => {
  it('gives single-event alerts the entities of their event', () => {
    const engine = engineWith(correlatedRule(undefined, '{ "==": [{ var: eventType }, "user.session.start"] }', '[client.ipAddress]'));
    const { alerts } = engine.evaluate(
      record({ eventType: 'user.session.start', actor: dana, client: { ipAddress: '203.0.113.9', userAgent: { rawUserAgent: 'curl/8.0' } } } as never, T0),
    );
    expect(alerts[0]!.attributes).to.include({
      'client.address': '203.0.113.9',
      'user.name': 'dana@example.com',
      'user_agent.original': 'curl/8.0',
      'oktel.alert.primary_entity.value': 'dana@example.com',
    });
    expect(String(alerts[0]!.body)).to.contain('(user dana@example.com)');
  });

  it('lists the entities of every event of a threshold group, and starts over after it fired', () => {
    const engine = engineWith(correlatedRule('type: threshold\nwindow: 10m\ncount: 2', undefined, '[client.ipAddress]'), { suppressionWindowMs: 3_600_000 });
    const at = (user: string, ms: number) =>
      record({ eventType: 'user.session.start', actor: { type: 'User', alternateId: user, id: user }, client: { ipAddress: '203.0.113.9' } } as never, T0 + ms);
    const first = [at('a@example.com', 0), at('b@example.com', 1000)].flatMap((r) => engine.evaluate(r).alerts);
    const second = [at('c@example.com', 2000), at('c@example.com', 3000)].flatMap((r) => engine.evaluate(r).alerts);
    const all = [...first, ...second, ...engine.expired(), ...engine.flush()];
    expect(all[0]!.attributes['user.name']).to.deep.equal(['a@example.com', 'b@example.com']);
    const update = all.find((a) => a.attributes['oktel.alert.update'] === true)!;
    expect(update.attributes['user.name']).to.deep.equal(['a@example.com', 'b@example.com', 'c@example.com']);
  });
});

describe('detection: absent means absent in group_by', () => {
  const twoCountries = (session: unknown, ip: unknown) => [
    record(
      {
        eventType: 'user.session.start',
        outcome: { result: 'FAILURE' },
        client: { ipAddress: ip, geographicalContext: { country: 'Germany' } },
        authenticationContext: { externalSessionId: session },
      } as never,
      T0,
    ),
    record(
      {
        eventType: 'user.session.start',
        outcome: { result: 'FAILURE' },
        client: { ipAddress: ip, geographicalContext: { country: 'Brazil' } },
        authenticationContext: { externalSessionId: session },
      } as never,
      T0 + 1000,
    ),
  ];

  it('never groups failures of the "unknown" session into one session from two countries, and counts them', () => {
    let absent = 0;
    const rule = correlatedRule(
      'type: value_count\nwindow: 1h\nfield: client.geographicalContext.country\ndistinct: 2',
      undefined,
      '[authenticationContext.externalSessionId]',
    );
    const engine = engineWith(rule, { onGroupByAbsent: () => absent++ });
    const alerts = [...twoCountries('unknown', '198.51.100.1'), ...twoCountries('', '198.51.100.1')].flatMap((r) => engine.evaluate(r).alerts);
    expect([...alerts, ...engine.flush()]).to.have.length(0);
    expect(absent).to.equal(4);
    const real = twoCountries('idx1', '198.51.100.1').flatMap((r) => engine.evaluate(r).alerts);
    expect(real).to.have.length(1);
  });

  it('never groups failures without an address (null or "null") as one address', () => {
    let absent = 0;
    const engine = engineWith(correlatedRule('type: threshold\nwindow: 10m\ncount: 2', undefined, '[client.ipAddress]'), { onGroupByAbsent: () => absent++ });
    const fired = [...twoCountries('idx1', null), ...twoCountries('idx2', 'null')].flatMap((r) => engine.evaluate(r).alerts);
    expect([...fired, ...engine.flush()]).to.have.length(0);
    expect(absent).to.equal(4);
  });

  it('counts group_by_absent_events in the processor', async () => {
    const dir = tempDir();
    try {
      const rule = writeRule(
        dir.path,
        'r.yaml',
        SIMPLE_RULE('session-countries', 'correlate: { type: value_count, window: 1h, field: client.geographicalContext.country, distinct: 2 }')
          .replace('group_by: [actor.alternateId]', 'group_by: [authenticationContext.externalSessionId]')
          .replace('expect: match', 'expect: no_alert'),
      );
      const { settings, alerts } = await run({ rules: [rule] }, twoCountries('unknown', '198.51.100.1'));
      expect(alerts).to.have.length(0);
      expect(settings.telemetry.get('group_by_absent_events')).to.equal(2);
    } finally {
      dir.cleanup();
    }
  });

  it('still alerts a single-event rule, without grouping on the placeholder', () => {
    let absent = 0;
    const single = engineWith(correlatedRule(undefined, undefined, '[client.ipAddress]'), { onGroupByAbsent: () => absent++ });
    const out = single.evaluate(record({ eventType: 'user.session.start', client: { ipAddress: 'null' } } as never, T0)).alerts;
    expect(out).to.have.length(1);
    expect(out[0]!.attributes).to.not.have.property('client.address');
    expect(absent).to.equal(1);
  });
});

describe('detection: records that are not Okta events', () => {
  it('passes them untouched and counts them', async () => {
    const okta = record({ eventType: 'user.session.start', actor: dana } as never, T0);
    const foreign: LogRecord = { ...okta, body: 'GET /healthz 200', attributes: { 'http.route': '/healthz' }, eventName: undefined } as LogRecord;
    const map: LogRecord = { ...okta, body: { message: 'not okta', level: 'info' }, attributes: {} } as LogRecord;
    const dir = tempDir();
    const rule = writeRule(dir.path, 'a.yaml', SIMPLE_RULE('rule-a'));
    const { sink, settings } = await run({ rules: [rule] }, [foreign, okta, map]).finally(() => dir.cleanup());
    expect(sink.records[0]).to.equal(foreign);
    expect(sink.records[2]).to.equal(map);
    expect(settings.telemetry.get('not_okta_event_records')).to.equal(2);
  });
});

describe('detection: Sigma keyword searches in the engine', () => {
  it('finds a keyword anywhere in the Okta event through the search operation', async () => {
    const dir = tempDir();
    try {
      const file = writeRule(
        dir.path,
        'keyword.yml',
        `title: Evilginx keyword
id: 0f1e2d3c-0000-4000-8000-00000000abcd
status: test
logsource: { product: okta, service: okta }
detection:
  keywords: [evilginx]
  condition: keywords
level: high
`,
      );
      const hit = record({ eventType: 'user.session.start', actor: dana, debugContext: { debugData: { deviceFingerprint: 'EvilGinx-relay-7' } } } as never, T0);
      const miss = record({ eventType: 'user.session.start', actor: dana, debugContext: { debugData: { deviceFingerprint: 'laptop-7' } } } as never, T0 + 1000);
      const { sink, alerts } = await run({ rules: [file] }, [hit, miss]);
      expect(alerts).to.have.length(1);
      expect(alerts[0]!.attributes['user.name']).to.equal('dana@example.com');
      expect(sink.records[1]!.attributes['security_rule.name']).to.equal(undefined);
    } finally {
      dir.cleanup();
    }
  });
});
