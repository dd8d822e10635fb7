import { expect } from 'chai';
import { parse } from 'yaml';
import type { LogRecord } from '@oktel/core';
import { logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import { compileRule, ruleSchema, StateFormatError, type CompiledRule } from '@oktel/processor-detection';
import { correlatedRule, engineWith } from './stateful-helpers.js';

const T0 = Date.parse('2026-11-20T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const SCOPE = { name: 'test' };
const ACME = oktaResource({ domain: 'acme.okta.com' });
const GLOBEX = oktaResource({ domain: 'globex.okta.com' });

let seq = 0;
/** An Okta event as a record of the org `resource`, stamped `atMs`. */
function okta(event: Partial<OktaLogEvent> & { eventType?: string }, atMs = T0, resource = ACME): LogRecord {
  seq++;
  return logEventToRecord({ uuid: `e-${seq}`, published: new Date(atMs).toISOString(), severity: 'INFO', ...event } as OktaLogEvent, {
    resource,
    scope: SCOPE,
    observedAtMs: atMs,
  });
}
const signIn = (user: string, atMs = T0, resource = ACME, result = 'FAILURE') =>
  okta({ eventType: 'user.session.start', actor: { type: 'User', alternateId: user } as never, outcome: { result } as never }, atMs, resource);

/** A processing clock the test moves by hand. */
function manualClock(start: number) {
  const clock = { now: start, read: () => clock.now };
  return clock;
}

function rule(yaml: string): CompiledRule {
  return compileRule(ruleSchema.parse(parse(yaml)), 'inline.yaml');
}
const ruleYaml = (id: string, match: string, extra = '') => `id: ${id}
name: Rule ${id}
description: d
severity: medium
threat: [{ tactic: { id: TA0006, name: Credential Access } }]
match: ${match}
group_by: [actor.alternateId]
${extra}
tests: [{ name: t, events: [{ eventType: x }], expect: no_alert }]`;

/** The same rule, with every evaluation of its match recorded in `calls`. */
function counted(r: CompiledRule, calls: string[]): CompiledRule {
  return {
    ...r,
    match: (data: unknown) => {
      calls.push(r.definition.id);
      return r.match(data);
    },
  };
}

const THRESHOLD_2 = 'type: threshold\nwindow: 10m\ncount: 2';
const ids = (rules: readonly CompiledRule[]) => rules.map((r) => r.definition.id);

describe('detection engine clock', () => {
  const single = correlatedRule(undefined);

  it('moves event time for an event stamped exactly max clock skew ahead, without reporting it', () => {
    const clock = manualClock(T0);
    const future: [number, number][] = [];
    const engine = engineWith(single, { now: clock.read, maxClockSkewMs: 1000, onFutureEvent: (ms, now) => future.push([ms, now]) });
    engine.evaluate(signIn('dana', T0 + 1000));
    expect(engine.clockMs).to.equal(T0 + 1000);
    expect(future).to.deep.equal([]);
  });

  it('does not move event time for an event stamped beyond max clock skew, and reports its time and the processing time', () => {
    const clock = manualClock(T0);
    const future: [number, number][] = [];
    const engine = engineWith(single, { now: clock.read, maxClockSkewMs: 1000, onFutureEvent: (ms, now) => future.push([ms, now]) });
    engine.evaluate(signIn('dana', T0 - 5000));
    const skewed = engine.evaluate(signIn('sam', T0 + 1001));
    expect(future).to.deep.equal([[T0 + 1001, T0]]);
    expect(engine.clockMs).to.equal(T0 - 5000);
    // It counts as happening at the current event time.
    expect(skewed.alerts.map((a) => a.attributes['oktel.alert.first_event_time'])).to.deep.equal([iso(T0 - 5000)]);
  });

  it('places a future event before any other at the processing time, and needs no onFutureEvent callback', () => {
    const clock = manualClock(T0);
    const engine = engineWith(single, { now: clock.read, maxClockSkewMs: 1000 });
    const skewed = engine.evaluate(signIn('dana', T0 + 86_400_000));
    expect(engine.clockMs).to.equal(Number.NEGATIVE_INFINITY);
    expect(skewed.alerts.map((a) => a.attributes['oktel.alert.first_event_time'])).to.deep.equal([iso(T0)]);
  });

  it('never moves event time back for an older event', () => {
    const engine = engineWith(single);
    engine.evaluate(signIn('dana', T0 + 10_000));
    engine.evaluate(signIn('dana', T0 + 5_000));
    expect(engine.clockMs).to.equal(T0 + 10_000);
  });

  it('advances an idle clock only once idle_after has passed, by exactly the processing time elapsed', () => {
    const clock = manualClock(T0 + 100);
    const engine = engineWith(single, { now: clock.read, idleAfterMs: 2000 });
    engine.evaluate(signIn('dana', T0));
    clock.now = T0 + 100 + 1999;
    engine.expired();
    expect(engine.clockMs).to.equal(T0);
    clock.now = T0 + 100 + 2000;
    engine.expired();
    expect(engine.clockMs).to.equal(T0 + 2000);
    clock.now = T0 + 100 + 7000;
    engine.expired();
    expect(engine.clockMs).to.equal(T0 + 7000);
  });

  it('keeps the idle origin at the first event that moved event time, not at a later event with the same time', () => {
    const clock = manualClock(T0);
    const engine = engineWith(single, { now: clock.read, idleAfterMs: 2000 });
    engine.evaluate(signIn('dana', T0));
    clock.now = T0 + 1500;
    engine.evaluate(signIn('sam', T0));
    clock.now = T0 + 2000;
    engine.expired();
    expect(engine.clockMs).to.equal(T0 + 2000);
  });
});

describe('detection engine rule selection', () => {
  const startYaml = '{ "==": [{ var: eventType }, "user.session.start"] }';
  const endYaml = '{ "==": [{ var: eventType }, "user.session.end"] }';
  const failureYaml = '{ "==": [{ var: outcome.result }, "FAILURE"] }';

  function selection() {
    const calls: string[] = [];
    const rules = [
      counted(rule(ruleYaml('on-start', startYaml)), calls),
      counted(rule(ruleYaml('any-failure', failureYaml)), calls),
      counted(rule(ruleYaml('on-end', endYaml)), calls),
    ];
    const engine = engineWith(rules);
    const run = (record: LogRecord) => {
      calls.length = 0;
      const result = engine.evaluate(record);
      return { matched: ids(result.matched), evaluated: [...calls] };
    };
    return { run };
  }
  const event = (eventType: string) => okta({ eventType, actor: { type: 'User', alternateId: 'dana' } as never, outcome: { result: 'FAILURE' } as never });

  it('evaluates a rule guarded by eventType only for its types, and unguarded rules for every event, in load order', () => {
    const { run } = selection();
    expect(run(event('user.session.start'))).to.deep.equal({ matched: ['on-start', 'any-failure'], evaluated: ['on-start', 'any-failure'] });
    expect(run(event('user.session.end'))).to.deep.equal({ matched: ['any-failure', 'on-end'], evaluated: ['any-failure', 'on-end'] });
  });

  it('evaluates only unguarded rules for an eventType no rule pins', () => {
    const { run } = selection();
    expect(run(event('app.user_membership.add'))).to.deep.equal({ matched: ['any-failure'], evaluated: ['any-failure'] });
  });

  it('skips a rule guarded by an eventType prefix or an or of guards for other types, and tests it for its own', () => {
    const calls: string[] = [];
    const rules = [
      counted(rule(ruleYaml('user-prefix', '{ startsWith: [{ var: eventType }, "user.session."] }')), calls),
      counted(
        rule(ruleYaml('either', '{ or: [{ "==": [{ var: eventType }, "policy.rule.update"] }, { startsWith: [{ var: eventType }, "system.log_stream."] }] }')),
        calls,
      ),
      counted(rule(ruleYaml('half-guarded', `{ or: [{ "==": [{ var: eventType }, "policy.rule.update"] }, ${failureYaml}] }`)), calls),
    ];
    const engine = engineWith(rules);
    const run = (eventType: string) => {
      calls.length = 0;
      return { matched: ids(engine.evaluate(event(eventType)).matched), evaluated: [...calls] };
    };
    expect(run('user.session.start')).to.deep.equal({ matched: ['user-prefix', 'half-guarded'], evaluated: ['user-prefix', 'half-guarded'] });
    expect(run('policy.rule.update')).to.deep.equal({ matched: ['either', 'half-guarded'], evaluated: ['either', 'half-guarded'] });
    expect(run('system.log_stream.lifecycle.deactivate')).to.deep.equal({
      matched: ['either', 'half-guarded'],
      evaluated: ['either', 'half-guarded'],
    });
    // A branch with no eventType guard leaves the rule tested on every event.
    expect(run('app.user_membership.add')).to.deep.equal({ matched: ['half-guarded'], evaluated: ['half-guarded'] });
    // The same type again: the same selection, from the list built at its first event.
    expect(run('user.session.start').evaluated).to.deep.equal(['user-prefix', 'half-guarded']);
  });

  it('keeps candidate lists only for short event types a prefix admits, at most 4 096, and selects correctly beyond', () => {
    const calls: string[] = [];
    const engine = engineWith([
      counted(rule(ruleYaml('user-prefix', '{ startsWith: [{ var: eventType }, "user."] }')), calls),
      counted(rule(ruleYaml('on-start', startYaml)), calls),
      counted(rule(ruleYaml('any-failure', failureYaml)), calls),
    ]);
    const run = (eventType: string) => {
      calls.length = 0;
      engine.evaluate(event(eventType));
      return [...calls];
    };
    // A source that invents event types, or sends long ones, must not grow the index.
    for (let i = 0; i < 100; i++) expect(run(`invented.${i}`)).to.deep.equal(['any-failure']);
    run(`invented.${'x'.repeat(100_000)}`);
    expect(run(`user.${'x'.repeat(200)}`)).to.deep.equal(['user-prefix', 'any-failure']);
    expect(engine.indexedEventTypes).to.equal(0);
    for (let i = 0; i < 5000; i++) run(`user.invented.${i}`);
    expect(engine.indexedEventTypes).to.equal(4096);
    expect(run('user.invented.4999')).to.deep.equal(['user-prefix', 'any-failure']);
    expect(run('user.session.start')).to.deep.equal(['user-prefix', 'on-start', 'any-failure']);
    expect(run('invented.1')).to.deep.equal(['any-failure']);
  });

  it('drops a match the site excludes, keeping the other rules', () => {
    const a = rule(ruleYaml('rule-a', failureYaml));
    const b = rule(ruleYaml('rule-b', failureYaml));
    const engine = engineWith([a, b], { excludes: (r) => r === a });
    const result = engine.evaluate(signIn('dana'));
    expect(ids(result.matched)).to.deep.equal(['rule-b']);
    expect(result.alerts.map((x) => x.attributes['security_rule.name'])).to.deep.equal(['Rule rule-b']);
  });
});

describe('detection engine rule errors', () => {
  const boom = new Error('boom');
  const failing = {
    ...rule(ruleYaml('failing', '{ "==": [{ var: outcome.result }, "FAILURE"] }')),
    match: () => {
      throw boom;
    },
  } as CompiledRule;
  const good = rule(ruleYaml('good', '{ "==": [{ var: outcome.result }, "FAILURE"] }'));

  it('fails the evaluation with the rule error in propagate mode, after reporting it', () => {
    const errors: [string, unknown][] = [];
    const engine = engineWith([failing, good], { errorMode: 'propagate', onRuleError: (r, err) => errors.push([r.definition.id, err]) });
    expect(() => engine.evaluate(signIn('dana'))).to.throw(Error, 'boom');
    expect(errors).to.deep.equal([['failing', boom]]);
  });

  it('reports the rule and its error and goes on with the next rules in ignore mode', () => {
    const errors: [string, unknown][] = [];
    const engine = engineWith([failing, good], { errorMode: 'ignore', onRuleError: (r, err) => errors.push([r.definition.id, err]) });
    const result = engine.evaluate(signIn('dana'));
    expect(errors).to.have.length(1);
    expect(errors[0]![0]).to.equal('failing');
    expect(errors[0]![1]).to.equal(boom);
    expect(ids(result.matched)).to.deep.equal(['good']);
  });

  it('goes on without an onRuleError callback in ignore mode', () => {
    const engine = engineWith([failing, good], { errorMode: 'ignore' });
    expect(ids(engine.evaluate(signIn('dana')).matched)).to.deep.equal(['good']);
  });
});

describe('detection engine input', () => {
  const any = rule(ruleYaml('any', 'true'));
  const raw = (body: Record<string, unknown>): Pick<LogRecord, 'body' | 'attributes' | 'resource' | 'hrTime'> => ({
    body: body as never,
    attributes: {},
    resource: ACME,
    hrTime: [Math.floor(T0 / 1000), 0],
  });

  it('evaluates a body with a uuid, an eventType and a published time as an Okta event', () => {
    const engine = engineWith(any);
    expect(ids(engine.evaluate(raw({ uuid: 'u-1', eventType: 'user.session.start', published: iso(T0) })).matched)).to.deep.equal(['any']);
  });

  it('passes a body that is not an Okta event untouched, counting it', () => {
    let notOkta = 0;
    const engine = engineWith(any, { onNotOktaEvent: () => notOkta++ });
    expect(engine.evaluate(raw({ message: 'hello', uuid: 'u-1', published: iso(T0) }))).to.deep.equal({ matched: [], tags: {}, alerts: [] });
    expect(engine.evaluate(raw({ eventType: 'user.session.start', published: iso(T0) }))).to.deep.equal({ matched: [], tags: {}, alerts: [] });
    expect(notOkta).to.equal(2);
  });

  it('passes a body that is not an Okta event without an onNotOktaEvent callback', () => {
    const engine = engineWith(any);
    expect(engine.evaluate(raw({ message: 'hello' }))).to.deep.equal({ matched: [], tags: {}, alerts: [] });
  });
});

describe('detection engine orgs', () => {
  const single = correlatedRule(undefined);

  it('names the org on each alert and never lets two orgs share a group', () => {
    const engine = engineWith(single, { suppressionWindowMs: 3_600_000 });
    const a = engine.evaluate(signIn('dana', T0, ACME)).alerts;
    const b = engine.evaluate(signIn('dana', T0 + 1000, GLOBEX)).alerts;
    expect([...a, ...b].map((x) => [x.attributes['okta.domain'], x.attributes['user.name'], x.resource])).to.deep.equal([
      ['acme.okta.com', 'dana', ACME],
      ['globex.okta.com', 'dana', GLOBEX],
    ]);
  });

  it('with groupByOrg false, names no org and lets two orgs share a group', () => {
    const engine = engineWith(single, { suppressionWindowMs: 3_600_000, groupByOrg: false });
    const a = engine.evaluate(signIn('dana', T0, ACME)).alerts;
    const b = engine.evaluate(signIn('dana', T0 + 1000, GLOBEX)).alerts;
    expect(a).to.have.length(1);
    expect(a[0]!.attributes).to.not.have.property('okta.domain');
    expect(b).to.deep.equal([]);
  });

  it('names no org on an alert from a resource without okta.domain', () => {
    const engine = engineWith(single);
    const alerts = engine.evaluate(signIn('dana', T0, oktaResource())).alerts;
    expect(alerts).to.have.length(1);
    expect(alerts[0]!.attributes).to.not.have.property('okta.domain');
  });

  it('gives a stateful alert the latest resource of its org seen on a matching event', () => {
    const engine = engineWith(correlatedRule(THRESHOLD_2));
    const second = oktaResource({ domain: 'acme.okta.com', extra: { 'host.name': 'b' } });
    engine.evaluate(signIn('dana', T0, ACME));
    const alerts = engine.evaluate(signIn('dana', T0 + 1000, second)).alerts;
    expect(alerts.map((a) => [a.resource, a.attributes['okta.domain'], a.attributes['oktel.alert.event_count']])).to.deep.equal([[second, 'acme.okta.com', 2]]);
  });

  it('does not take the resource of an event that matched no rule for a stateful alert', () => {
    const engine = engineWith(correlatedRule(THRESHOLD_2), { allowedLatenessMs: 60_000 });
    const other = oktaResource({ domain: 'acme.okta.com', extra: { 'host.name': 'other' } });
    engine.evaluate(signIn('dana', T0, ACME));
    engine.evaluate(signIn('dana', T0 + 1000, ACME));
    engine.evaluate(okta({ eventType: 'user.session.end' }, T0 + 120_000, other));
    const alerts = engine.expired();
    expect(alerts.map((a) => a.resource)).to.deep.equal([ACME]);
    expect(alerts[0]!.resource).to.equal(ACME);
  });

  it('keeps the resources of at most 10,000 orgs, the oldest forgotten first, and then names the org on a fresh resource', () => {
    const threshold = correlatedRule(THRESHOLD_2, undefined, undefined, 'threshold');
    const other = correlatedRule(undefined, '{ "==": [{ var: eventType }, "app.other"] }', undefined, 'other');
    const engine = engineWith([threshold, other], { allowedLatenessMs: 60_000, maxSuppressionEntries: 20_000 });
    engine.evaluate(signIn('dana', T0, ACME));
    engine.evaluate(signIn('dana', T0 + 1000, ACME));
    for (let i = 0; i < 9_999; i++) engine.evaluate(okta({ eventType: 'app.other' }, T0 + 2000, oktaResource({ domain: `org-${i}.okta.com` })));
    engine.evaluate(okta({ eventType: 'app.other' }, T0 + 120_000, oktaResource({ domain: 'org-last.okta.com' })));
    const alerts = engine.expired().filter((a) => a.attributes['security_rule.uuid'] === threshold.tagAttributes['security_rule.uuid']);
    expect(alerts).to.have.length(1);
    expect(alerts[0]!.resource).to.not.equal(ACME);
    expect(alerts[0]!.resource.attributes).to.deep.equal({ 'service.name': 'okta', 'okta.domain': 'acme.okta.com' });
    expect(alerts[0]!.attributes['okta.domain']).to.equal('acme.okta.com');
  });

  it('keeps the resource of the oldest org while 10,000 orgs or fewer were seen', () => {
    const threshold = correlatedRule(THRESHOLD_2, undefined, undefined, 'threshold');
    const other = correlatedRule(undefined, '{ "==": [{ var: eventType }, "app.other"] }', undefined, 'other');
    const engine = engineWith([threshold, other], { allowedLatenessMs: 60_000, maxSuppressionEntries: 20_000 });
    engine.evaluate(signIn('dana', T0, ACME));
    engine.evaluate(signIn('dana', T0 + 1000, ACME));
    for (let i = 0; i < 9_998; i++) engine.evaluate(okta({ eventType: 'app.other' }, T0 + 2000, oktaResource({ domain: `org-${i}.okta.com` })));
    engine.evaluate(okta({ eventType: 'app.other' }, T0 + 120_000, oktaResource({ domain: 'org-last.okta.com' })));
    const alerts = engine.expired().filter((a) => a.attributes['security_rule.uuid'] === threshold.tagAttributes['security_rule.uuid']);
    expect(alerts).to.have.length(1);
    expect(alerts[0]!.resource).to.equal(ACME);
  });
});

describe('detection engine absent group_by values', () => {
  it('skips a stateful rule for an event with an absent group_by value, counting it', () => {
    const absent: string[] = [];
    const r = correlatedRule(THRESHOLD_2);
    const engine = engineWith(r, { onGroupByAbsent: (x) => absent.push(x.definition.id), journal: true });
    for (const user of ['unknown', 'null', '']) engine.evaluate(signIn(user));
    expect(absent).to.deep.equal(['test-rule', 'test-rule', 'test-rule']);
    expect(engine.stateSizes()).to.deep.equal({ 'test-rule': 0 });
    expect(engine.takeJournal()).to.equal(undefined);
  });

  it('skips a stateful rule for an absent value without an onGroupByAbsent callback', () => {
    const engine = engineWith(correlatedRule(THRESHOLD_2));
    engine.evaluate(signIn('unknown'));
    expect(engine.stateSizes()).to.deep.equal({ 'test-rule': 0 });
  });

  it('still alerts a single-event rule with an absent value, the group value null, counting it', () => {
    const absent: string[] = [];
    const engine = engineWith(correlatedRule(undefined), { onGroupByAbsent: (x) => absent.push(x.definition.id) });
    const result = engine.evaluate(signIn('unknown'));
    expect(absent).to.deep.equal(['test-rule']);
    expect(result.alerts).to.have.length(1);
    expect(result.alerts[0]!.attributes).to.not.have.property('user.name');
    expect(result.alerts[0]!.attributes['oktel.alert.event_count']).to.equal(1);
  });

  it('does not count a single-event match whose group_by values are present', () => {
    const absent: string[] = [];
    const engine = engineWith(correlatedRule(undefined), { onGroupByAbsent: (x) => absent.push(x.definition.id) });
    const result = engine.evaluate(signIn('dana'));
    expect(absent).to.deep.equal([]);
    expect(result.alerts.map((a) => a.attributes['user.name'])).to.deep.equal(['dana']);
  });
});

describe('detection engine tags', () => {
  const twoThreats = (id: string, severity: string, threats: string) =>
    rule(`id: ${id}
name: Rule ${id}
description: d
severity: ${severity}
threat: ${threats}
match: true
group_by: [actor.alternateId]
tests: [{ name: t, events: [{ eventType: x }], expect: no_alert }]`);

  it('tags a record matched only by stateful rules with nothing', () => {
    const engine = engineWith(correlatedRule(THRESHOLD_2));
    expect(engine.evaluate(signIn('dana'))).to.deep.equal({ matched: [], tags: {}, alerts: [] });
  });

  it('tags a record two single-event rules matched with parallel arrays, shared tactics once, and the highest severity', () => {
    const a = twoThreats('rule-a', 'low', '[{ tactic: { id: TA0006, name: Credential Access }, techniques: [{ id: T1110, name: Brute Force }] }]');
    const b = twoThreats(
      'rule-b',
      'high',
      '[{ tactic: { id: TA0006, name: Credential Access } }, { tactic: { id: TA0001, name: Initial Access }, techniques: [{ id: T1078, name: Valid Accounts }] }]',
    );
    const engine = engineWith([a, b]);
    const { tags } = engine.evaluate(signIn('dana'));
    expect(tags).to.deep.equal({
      'threat.framework': 'MITRE ATT&CK',
      'security_rule.severity': 'high',
      'security_rule.uuid': [a.tagAttributes['security_rule.uuid'], b.tagAttributes['security_rule.uuid']],
      'security_rule.name': ['Rule rule-a', 'Rule rule-b'],
      'security_rule.version': [a.tagAttributes['security_rule.version'], b.tagAttributes['security_rule.version']],
      'threat.tactic.id': ['TA0006', 'TA0001'],
      'threat.tactic.name': ['Credential Access', 'Initial Access'],
      'threat.technique.id': ['T1110', 'T1078'],
      'threat.technique.name': ['Brute Force', 'Valid Accounts'],
    });
  });
});

describe('detection engine callbacks of stateful rules', () => {
  it('reports an event later than the allowed lateness with its rule', () => {
    const late: string[] = [];
    const engine = engineWith(correlatedRule(THRESHOLD_2), { allowedLatenessMs: 0, onTooLate: (r) => late.push(r.definition.id) });
    engine.evaluate(signIn('dana', T0 + 60_000));
    engine.evaluate(signIn('sam', T0));
    expect(late).to.deep.equal(['test-rule']);
  });

  it('needs no onBufferOverflow or onTermEvict callback', () => {
    const overflowing = engineWith(correlatedRule(THRESHOLD_2), { allowedLatenessMs: 3_600_000, maxBufferedEvents: 1 });
    overflowing.evaluate(signIn('dana', T0));
    overflowing.evaluate(signIn('dana', T0 + 1000));
    expect(overflowing.bufferedEvents).to.equal(1);
    const terms = engineWith(correlatedRule('type: new_terms\nfields: [outcome.result]\nhistory_window: 30d\nlearning_period: 1d\nmax_terms_per_entity: 1'));
    terms.evaluate(signIn('dana', T0, ACME, 'FAILURE'));
    terms.evaluate(signIn('dana', T0 + 1000, ACME, 'SUCCESS'));
    expect(terms.stateSizes()).to.deep.equal({ 'test-rule': 1 });
  });

  it('reports a suppression entry evicted to stay within maxSuppressionEntries', () => {
    let evicted = 0;
    const engine = engineWith(correlatedRule(undefined), { maxSuppressionEntries: 1, onEvict: () => evicted++ });
    engine.evaluate(signIn('dana'));
    engine.evaluate(signIn('sam'));
    expect(evicted).to.equal(1);
  });

  it('counts the expiry heaps of suppression and of every stateful rule in heapEntries', () => {
    const engine = engineWith([correlatedRule(undefined, undefined, undefined, 'single'), correlatedRule(THRESHOLD_2, undefined, undefined, 'threshold')]);
    engine.evaluate(signIn('dana'));
    engine.evaluate(signIn('sam'));
    // Two suppression windows, two threshold groups.
    expect(engine.heapEntries).to.equal(4);
  });
});

describe('detection engine journal', () => {
  const NEW_TERMS = 'type: new_terms\nfields: [outcome.result]\nhistory_window: 30d\nlearning_period: 1d';

  it('journals every stateful input with rule id, time, uuid, group key with the org, and facts, then starts afresh', () => {
    const engine = engineWith([correlatedRule(NEW_TERMS, undefined, undefined, 'terms'), correlatedRule(THRESHOLD_2, undefined, undefined, 'threshold')], {
      journal: true,
    });
    const a = signIn('dana', T0, ACME);
    const b = signIn('sam', T0 + 1000, GLOBEX);
    engine.evaluate(a);
    engine.evaluate(b);
    const uuid = (r: LogRecord) => (r.body as { uuid: string }).uuid;
    expect(engine.takeJournal()).to.deep.equal({
      clockMs: T0 + 1000,
      entries: [
        ['terms', T0, uuid(a), 'acme.okta.com\u0000["dana"]', 'FAILURE'],
        ['threshold', T0, uuid(a), 'acme.okta.com\u0000["dana"]', null],
        ['terms', T0 + 1000, uuid(b), 'globex.okta.com\u0000["sam"]', 'FAILURE'],
        ['threshold', T0 + 1000, uuid(b), 'globex.okta.com\u0000["sam"]', null],
      ],
    });
    expect(engine.takeJournal()).to.equal(undefined);
  });

  it('keeps no journal unless asked for', () => {
    const engine = engineWith(correlatedRule(THRESHOLD_2));
    engine.evaluate(signIn('dana'));
    expect(engine.takeJournal()).to.equal(undefined);
  });

  it('replays journaled inputs into state without alerting, skipping rules no longer loaded', () => {
    const engine = engineWith(correlatedRule(THRESHOLD_2));
    engine.replay(
      [
        ['gone', T0, 'u-0', 'acme.okta.com\u0000["dana"]', null],
        ['test-rule', T0, 'u-1', 'acme.okta.com\u0000["dana"]', null],
      ],
      T0,
    );
    expect(engine.stateSizes()).to.deep.equal({ 'test-rule': 1 });
    expect(engine.clockMs).to.equal(T0);
    // The replayed input counts: one more event completes the threshold, for the journaled org.
    const alerts = engine.evaluate(signIn('dana', T0 + 1000)).alerts;
    expect(alerts.map((a) => [a.attributes['oktel.alert.event_count'], a.attributes['okta.domain']])).to.deep.equal([[2, 'acme.okta.com']]);
  });

  it('moves event time forward on replay, never back, and restarts the idle clock from it', () => {
    const clock = manualClock(T0);
    const engine = engineWith(correlatedRule(THRESHOLD_2), { now: clock.read, idleAfterMs: 2000 });
    engine.replay([], T0 + 5000);
    expect(engine.clockMs).to.equal(T0 + 5000);
    engine.replay([], T0 + 1000);
    expect(engine.clockMs).to.equal(T0 + 5000);
    clock.now = T0 + 1500;
    engine.replay([], T0 + 5000);
    clock.now = T0 + 2000;
    engine.expired();
    expect(engine.clockMs).to.equal(T0 + 7000);
  });
});

describe('detection engine restore', () => {
  const TRAVEL = 'type: impossible_travel\nwindow: 1d\nmax_speed_kmh: 1000\nmin_distance_km: 100';
  const travelState = (lat: number) => ({ ms: T0, lat, lon: 13.4, place: 'Berlin, Germany', address: '198.51.100.1', uuid: 'u-1' });
  const snapshot = (clockMs: number | null, groups: [string, unknown][] = []) => ({
    version: 2 as const,
    clockMs,
    rules: [['test-rule', { watermark: null, buffer: [], groups }]] as never,
  });

  it('restores groups and counts those that do not fit their rule', () => {
    const engine = engineWith(correlatedRule(TRAVEL));
    const result = engine.restore(
      snapshot(T0, [
        ['acme.okta.com\u0000["dana"]', travelState(52.5)],
        ['acme.okta.com\u0000["sam"]', travelState(52.5)],
        ['acme.okta.com\u0000["kim"]', travelState(200)],
      ]),
    );
    expect(result).to.deep.equal({ groups: 2, skipped: 1, journalSeq: 0 });
    expect(engine.stateSizes()).to.deep.equal({ 'test-rule': 2 });
  });

  it('gives an alert of restored state a fresh resource naming its org when no event of that org was seen', () => {
    const buffered = (org: string) => ({
      version: 2 as const,
      clockMs: T0 + 120_000,
      rules: [
        [
          'test-rule',
          {
            watermark: null,
            buffer: [
              [T0, 'u-1', `${org}\u0000["dana"]`, null],
              [T0 + 1000, 'u-2', `${org}\u0000["dana"]`, null],
            ],
            groups: [],
          },
        ],
      ] as never,
    });
    const engine = engineWith(correlatedRule(THRESHOLD_2), { allowedLatenessMs: 60_000 });
    engine.restore(buffered('globex.okta.com'));
    const alerts = engine.expired();
    expect(alerts.map((a) => [a.resource.attributes, a.attributes['okta.domain'], a.attributes['oktel.alert.event_uuids']])).to.deep.equal([
      [{ 'service.name': 'okta', 'okta.domain': 'globex.okta.com' }, 'globex.okta.com', ['u-1', 'u-2']],
    ]);

    const orgless = engineWith(correlatedRule(THRESHOLD_2), { allowedLatenessMs: 60_000, groupByOrg: false });
    orgless.restore(buffered(''));
    const plain = orgless.expired();
    expect(plain.map((a) => a.resource.attributes)).to.deep.equal([{ 'service.name': 'okta' }]);
    expect(plain[0]!.attributes).to.not.have.property('okta.domain');
  });

  it('moves event time to a newer saved clock and restarts the idle clock from it', () => {
    const clock = manualClock(T0);
    const engine = engineWith(correlatedRule(TRAVEL), { now: clock.read, idleAfterMs: 2000 });
    engine.restore(snapshot(T0 - 10_000));
    expect(engine.clockMs).to.equal(T0 - 10_000);
    clock.now = T0 + 2000;
    engine.expired();
    expect(engine.clockMs).to.equal(T0 - 8000);
  });

  it('keeps event time for a saved clock that is null, older or equal', () => {
    const clock = manualClock(T0);
    const fresh = engineWith(correlatedRule(TRAVEL), { now: clock.read });
    fresh.restore(snapshot(null));
    expect(fresh.clockMs).to.equal(Number.NEGATIVE_INFINITY);

    const engine = engineWith(correlatedRule(TRAVEL), { now: clock.read, idleAfterMs: 2000 });
    engine.evaluate(signIn('dana', T0));
    engine.restore(snapshot(T0 - 1));
    expect(engine.clockMs).to.equal(T0);
    clock.now = T0 + 1500;
    engine.restore(snapshot(T0));
    clock.now = T0 + 2000;
    engine.expired();
    expect(engine.clockMs).to.equal(T0 + 2000);
  });

  it('refuses a snapshot that does not validate, naming where, at most three issues', () => {
    const engine = engineWith(correlatedRule(TRAVEL));
    const refusal = (raw: unknown) => {
      try {
        engine.restore(raw);
      } catch (err) {
        return err as StateFormatError;
      }
      expect.fail('restore accepted an invalid snapshot');
    };
    const top = refusal(42);
    expect(top).to.be.instanceOf(StateFormatError);
    expect(top.code).to.equal('DETECTION_STATE_INVALID');
    const reason = (top.context as { reason: string }).reason;
    expect(reason).to.match(/^\(top\): \S/);
    expect(top.message).to.equal(`saved correlation state does not validate: ${reason}`);

    const nested = refusal({ version: 2, clockMs: null, rules: [[1, { watermark: null, buffer: [], groups: [] }]] });
    expect((nested.context as { reason: string }).reason).to.match(/^rules\.0\.0: \S/);

    const many = refusal({ version: 3, clockMs: 'x', journalSeq: -1, rules: 'y' });
    const parts = (many.context as { reason: string }).reason.split('; ');
    expect(parts.map((p) => p.split(':')[0])).to.deep.equal(['version', 'clockMs', 'journalSeq']);
    expect(engine.stateSizes()).to.deep.equal({ 'test-rule': 0 });
  });
});

describe('detection engine flush', () => {
  it('judges open correlation windows and reports suppressed hits', () => {
    const single = correlatedRule(undefined, undefined, undefined, 'single');
    const engine = engineWith([single], { suppressionWindowMs: 3_600_000 });
    engine.evaluate(signIn('dana', T0));
    engine.evaluate(signIn('dana', T0 + 1000));
    const flushed = engine.flush();
    expect(flushed.map((a) => [a.attributes['oktel.alert.update'], a.attributes['oktel.alert.event_count']])).to.deep.equal([[true, 2]]);
    expect(engine.flush()).to.deep.equal([]);
  });
});
