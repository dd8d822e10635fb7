import { expect } from 'chai';
import { parse } from 'yaml';
import type { LogRecord } from '@oktel/core';
import { logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import { compileRule, ruleSchema, type AlertEntities } from '@oktel/processor-detection';
import { Suppression, type Hit, type SuppressionOptions } from '../src/suppression.js';
import { correlatedRule, engineWith } from './stateful-helpers.js';

const T0 = Date.parse('2026-11-20T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const ACME = oktaResource({ domain: 'acme.okta.com' });
const GLOBEX = oktaResource({ domain: 'globex.okta.com' });
const rule = correlatedRule(undefined);

/** A single-event hit at `ms`, with `uuid` and optionally the entities it names. */
const at = (ms: number, uuid: string, entities?: AlertEntities): Hit => ({
  count: 1,
  firstMs: ms,
  lastMs: ms,
  uuids: [uuid],
  ...(entities ? { entities } : {}),
});
const users = (...names: string[]): AlertEntities => ({ 'user.name': { values: names, omitted: 0 } });

function suppression(options: Partial<SuppressionOptions> = {}) {
  return new Suppression({ defaultWindowMs: 1000, maxEventUuids: 50, maxEntries: 100, ...options });
}
const dana = { 'actor.alternateId': 'dana' };
const sam = { 'actor.alternateId': 'sam' };

/** What matters of an alert: first or follow-up, how many events, when, which. */
const facts = (a: LogRecord) => ({
  update: a.attributes['oktel.alert.update'],
  count: a.attributes['oktel.alert.event_count'],
  first: a.attributes['oktel.alert.first_event_time'],
  last: a.attributes['oktel.alert.last_event_time'],
  uuids: a.attributes['oktel.alert.event_uuids'],
});

describe('suppression windows', () => {
  it('alerts on the first hit, counts later hits within the window, and reports them once when event time passes the window end', () => {
    const s = suppression();
    expect(s.hit(rule, dana, 'acme.okta.com', at(T0, 'u-1'), ACME).map(facts)).to.deep.equal([
      { update: false, count: 1, first: iso(T0), last: iso(T0), uuids: ['u-1'] },
    ]);
    expect(s.hit(rule, dana, 'acme.okta.com', at(T0 + 400, 'u-2'), ACME)).to.deep.equal([]);
    expect(s.hit(rule, dana, 'acme.okta.com', at(T0 + 999, 'u-3'), ACME)).to.deep.equal([]);
    expect(s.expire(T0 + 999)).to.deep.equal([]);
    const followUps = s.expire(T0 + 1000);
    expect(followUps.map(facts)).to.deep.equal([{ update: true, count: 3, first: iso(T0), last: iso(T0 + 999), uuids: ['u-1', 'u-2', 'u-3'] }]);
    expect(followUps[0]!.attributes['okta.domain']).to.equal('acme.okta.com');
    expect(s.expire(T0 + 5000)).to.deep.equal([]);
    expect(s.flush()).to.deep.equal([]);
  });

  it('opens a new window for a hit exactly at the window end, reporting the closed window first', () => {
    const s = suppression();
    s.hit(rule, dana, 'acme.okta.com', at(T0, 'u-1'), ACME);
    s.hit(rule, dana, 'acme.okta.com', at(T0 + 500, 'u-2'), ACME);
    expect(s.hit(rule, dana, 'acme.okta.com', at(T0 + 1000, 'u-3'), ACME).map(facts)).to.deep.equal([
      { update: true, count: 2, first: iso(T0), last: iso(T0 + 500), uuids: ['u-1', 'u-2'] },
      { update: false, count: 1, first: iso(T0 + 1000), last: iso(T0 + 1000), uuids: ['u-3'] },
    ]);
  });

  it('closes windows on the event time of later hits alone, in any group', () => {
    const s = suppression();
    s.hit(rule, dana, 'acme.okta.com', at(T0, 'u-1'), ACME);
    s.hit(rule, dana, 'acme.okta.com', at(T0 + 500, 'u-2'), ACME);
    s.hit(rule, sam, 'acme.okta.com', at(T0 + 1500, 'u-3'), ACME);
    expect(s.expire().map(facts)).to.deep.equal([{ update: true, count: 2, first: iso(T0), last: iso(T0 + 500), uuids: ['u-1', 'u-2'] }]);
  });

  it('keeps the earliest first and the latest last time of hits arriving out of order', () => {
    const s = suppression();
    s.hit(rule, dana, 'acme.okta.com', at(T0 + 500, 'u-1'), ACME);
    s.hit(rule, dana, 'acme.okta.com', at(T0 + 200, 'u-2'), ACME);
    expect(s.flush().map(facts)).to.deep.equal([{ update: true, count: 2, first: iso(T0 + 200), last: iso(T0 + 500), uuids: ['u-1', 'u-2'] }]);
  });

  it('reports the hits of the window a replacing window closed only once, and the new window on its own', () => {
    const s = suppression();
    s.hit(rule, dana, 'acme.okta.com', at(T0, 'u-1'), ACME);
    s.hit(rule, dana, 'acme.okta.com', at(T0 + 500, 'u-2'), ACME);
    expect(s.hit(rule, dana, 'acme.okta.com', at(T0 + 1000, 'u-3'), ACME)).to.have.length(2);
    s.hit(rule, dana, 'acme.okta.com', at(T0 + 1200, 'u-4'), ACME);
    // The replaced window's heap entry comes due first: it must neither report again nor close the new window.
    expect(s.expire(T0 + 1000)).to.deep.equal([]);
    expect(s.size).to.equal(1);
    expect(s.expire(T0 + 2000).map(facts)).to.deep.equal([{ update: true, count: 2, first: iso(T0 + 1000), last: iso(T0 + 1200), uuids: ['u-3', 'u-4'] }]);
    expect(s.size).to.equal(0);
  });

  it('lists at most maxEventUuids event uuids, the first ones, on the alert and the follow-up', () => {
    const s = suppression({ maxEventUuids: 3 });
    const correlated: Hit = { count: 5, firstMs: T0, lastMs: T0, uuids: ['c-1', 'c-2', 'c-3', 'c-4', 'c-5'] };
    expect(s.hit(rule, dana, 'acme.okta.com', correlated, ACME).map(facts)).to.deep.equal([
      { update: false, count: 5, first: iso(T0), last: iso(T0), uuids: ['c-1', 'c-2', 'c-3'] },
    ]);
    const t = suppression({ maxEventUuids: 3 });
    for (const [i, u] of ['u-1', 'u-2', 'u-3', 'u-4'].entries()) t.hit(rule, dana, 'acme.okta.com', at(T0 + i, u), ACME);
    expect(t.flush().map(facts)).to.deep.equal([{ update: true, count: 4, first: iso(T0), last: iso(T0 + 3), uuids: ['u-1', 'u-2', 'u-3'] }]);
  });

  it('merges the entities of every hit of the window into the follow-up', () => {
    const s = suppression();
    s.hit(rule, {}, 'acme.okta.com', at(T0, 'u-1', users('ann')), ACME);
    s.hit(rule, {}, 'acme.okta.com', at(T0 + 1, 'u-2', users('bob')), ACME);
    s.hit(rule, {}, 'acme.okta.com', at(T0 + 2, 'u-3', users('cem')), ACME);
    const [followUp] = s.flush();
    expect(followUp!.attributes['user.name']).to.deep.equal(['ann', 'bob', 'cem']);
  });

  it('reports hits without entities, and merges entities that only later hits name', () => {
    const bare = suppression();
    bare.hit(rule, {}, 'acme.okta.com', at(T0, 'u-1'), ACME);
    bare.hit(rule, {}, 'acme.okta.com', at(T0 + 1, 'u-2'), ACME);
    const [plain] = bare.flush();
    expect(facts(plain!)).to.deep.equal({ update: true, count: 2, first: iso(T0), last: iso(T0 + 1), uuids: ['u-1', 'u-2'] });
    expect(plain!.attributes).to.not.have.property('user.name');

    const later = suppression();
    later.hit(rule, {}, 'acme.okta.com', at(T0, 'u-1'), ACME);
    later.hit(rule, {}, 'acme.okta.com', at(T0 + 1, 'u-2', users('bob')), ACME);
    expect(later.flush()[0]!.attributes['user.name']).to.equal('bob');
  });

  it('names no org on an alert without one', () => {
    const s = suppression();
    const [alert] = s.hit(rule, dana, '', at(T0, 'u-1'), oktaResource());
    expect(alert!.attributes).to.not.have.property('okta.domain');
    s.hit(rule, dana, '', at(T0 + 1, 'u-2'), oktaResource());
    expect(s.flush()[0]!.attributes).to.not.have.property('okta.domain');
  });

  it('does not let different groups, orgs or rules suppress each other', () => {
    const s = suppression();
    const other = correlatedRule(undefined, undefined, undefined, 'other-rule');
    const alerts = [
      ...s.hit(rule, dana, 'acme.okta.com', at(T0, 'u-1'), ACME),
      ...s.hit(rule, sam, 'acme.okta.com', at(T0 + 1, 'u-2'), ACME),
      ...s.hit(rule, dana, 'globex.okta.com', at(T0 + 2, 'u-3'), GLOBEX),
      ...s.hit(other, dana, 'acme.okta.com', at(T0 + 3, 'u-4'), ACME),
    ];
    expect(alerts.map((a) => [a.attributes['security_rule.name'], a.attributes['okta.domain'], a.attributes['oktel.alert.event_uuids']])).to.deep.equal([
      ['Test rule', 'acme.okta.com', ['u-1']],
      ['Test rule', 'acme.okta.com', ['u-2']],
      ['Test rule', 'globex.okta.com', ['u-3']],
      ['Test rule', 'acme.okta.com', ['u-4']],
    ]);
    expect(s.size).to.equal(4);
  });
});

describe('suppression bounds', () => {
  it('keeps at most maxEntries windows, forgetting the oldest and counting it', () => {
    let evicted = 0;
    const s = suppression({ maxEntries: 1, onEvict: () => evicted++ });
    s.hit(rule, dana, 'acme.okta.com', at(T0, 'u-1'), ACME);
    s.hit(rule, sam, 'acme.okta.com', at(T0 + 10, 'u-2'), ACME);
    expect(evicted).to.equal(1);
    expect(s.size).to.equal(1);
    // dana's window was forgotten: her next hit alerts again.
    expect(s.hit(rule, dana, 'acme.okta.com', at(T0 + 20, 'u-3'), ACME).map(facts)).to.deep.equal([
      { update: false, count: 1, first: iso(T0 + 20), last: iso(T0 + 20), uuids: ['u-3'] },
    ]);
    expect(evicted).to.equal(2);
  });

  it('takes a group whose window was replaced for the most recent when forgetting the oldest', () => {
    let evicted = 0;
    const s = suppression({ maxEntries: 3, onEvict: () => evicted++ });
    s.hit(rule, dana, 'acme.okta.com', at(T0, 'u-1'), ACME);
    s.hit(rule, sam, 'acme.okta.com', at(T0 + 100, 'u-2'), ACME);
    s.hit(rule, dana, 'acme.okta.com', at(T0 + 1000, 'u-3'), ACME);
    s.hit(rule, { 'actor.alternateId': 'kim' }, 'acme.okta.com', at(T0 + 1050, 'u-4'), ACME);
    expect(evicted).to.equal(0);
    s.hit(rule, { 'actor.alternateId': 'lee' }, 'acme.okta.com', at(T0 + 1055, 'u-5'), ACME);
    expect(evicted).to.equal(1);
    // sam's window was the oldest and went; dana's new window is still open.
    expect(s.hit(rule, dana, 'acme.okta.com', at(T0 + 1060, 'u-6'), ACME)).to.deep.equal([]);
    expect(s.hit(rule, sam, 'acme.okta.com', at(T0 + 1070, 'u-7'), ACME)).to.have.length(1);
  });

  it('rebuilds the closing heap past twice the live windows plus 1024, still closing the live window', () => {
    const s = suppression({ defaultWindowMs: 10 });
    for (let i = 0; i < 1026; i++) s.hit(rule, dana, 'acme.okta.com', at(T0 + i * 10, `u-${i}`), ACME);
    expect(s.heapSize).to.equal(1026);
    s.hit(rule, dana, 'acme.okta.com', at(T0 + 1026 * 10, 'u-1026'), ACME);
    expect(s.heapSize).to.equal(1);
    s.hit(rule, dana, 'acme.okta.com', at(T0 + 1026 * 10 + 5, 'u-1027'), ACME);
    expect(s.expire(T0 + 1027 * 10).map(facts)).to.deep.equal([
      { update: true, count: 2, first: iso(T0 + 10260), last: iso(T0 + 10265), uuids: ['u-1026', 'u-1027'] },
    ]);
  });

  it('does not rebuild the closing heap while it holds at most twice the live windows plus 1024', () => {
    const s = suppression({ defaultWindowMs: 10, maxEntries: 10_000 });
    for (let g = 0; g < 1000; g++) s.hit(rule, { g }, 'acme.okta.com', at(T0, `a-${g}`), ACME);
    for (let g = 0; g < 100; g++) s.hit(rule, { g }, 'acme.okta.com', at(T0 + 10, `b-${g}`), ACME);
    expect(s.size).to.equal(1000);
    expect(s.heapSize).to.equal(1100);
  });
});

describe('suppression in the detection engine', () => {
  const T = T0;
  const context = (resource: ReturnType<typeof oktaResource>) => ({ resource, scope: { name: 'test' } });
  let n = 0;
  const signIn = (user: string, ms: number, resource = ACME) =>
    logEventToRecord(
      {
        uuid: `s-${++n}`,
        published: iso(ms),
        severity: 'INFO',
        eventType: 'user.session.start',
        actor: { type: 'User', alternateId: user, id: `id-${user}` },
      } as unknown as OktaLogEvent,
      context(resource),
    );
  const uuidOf = (r: LogRecord) => (r.body as { uuid: string }).uuid;

  it('reports the suppressed hits of a window when event time passes its end, with the exact count and uuids', () => {
    const engine = engineWith(rule, { suppressionWindowMs: 60_000 });
    const events = [signIn('dana', T), signIn('dana', T + 10_000), signIn('dana', T + 20_000)];
    const alerts = events.flatMap((e) => engine.evaluate(e).alerts);
    expect(alerts.map(facts)).to.deep.equal([{ update: false, count: 1, first: iso(T), last: iso(T), uuids: [uuidOf(events[0]!)] }]);
    expect(engine.expired()).to.deep.equal([]);
    engine.evaluate(signIn('sam', T + 60_000));
    expect(engine.expired().map(facts)).to.deep.equal([{ update: true, count: 3, first: iso(T), last: iso(T + 20_000), uuids: events.map(uuidOf) }]);
  });

  it('uses the window a rule sets over the default', () => {
    const own = compileRule(
      ruleSchema.parse(
        parse(`id: own-window
name: Own window
description: d
severity: low
threat: [{ tactic: { id: TA0006, name: Credential Access } }]
match: true
group_by: [actor.alternateId]
suppression: { window: 5s }
tests: [{ name: t, events: [{ eventType: x }], expect: no_alert }]`),
      ),
      'inline.yaml',
    );
    const engine = engineWith(own, { suppressionWindowMs: 3_600_000 });
    expect(engine.evaluate(signIn('dana', T)).alerts).to.have.length(1);
    expect(engine.evaluate(signIn('dana', T + 4_999)).alerts).to.deep.equal([]);
    expect(engine.evaluate(signIn('dana', T + 5_000)).alerts.map((a) => a.attributes['oktel.alert.update'])).to.deep.equal([true, false]);
  });

  it('flushes follow-ups with merged entities when the pipeline stops, and keeps orgs apart', () => {
    const engine = engineWith(correlatedRule(undefined, undefined, '[outcome.result]'), { suppressionWindowMs: 3_600_000 });
    for (const [user, resource] of [
      ['ann', ACME],
      ['bob', ACME],
      ['cem', GLOBEX],
    ] as const)
      engine.evaluate(signIn(user, T, resource));
    engine.evaluate(signIn('dan', T + 1, ACME));
    const flushed = engine.flushSuppression();
    expect(flushed.map((a) => [a.attributes['okta.domain'], a.attributes['oktel.alert.event_count'], a.attributes['user.name']])).to.deep.equal([
      ['acme.okta.com', 3, ['ann', 'bob', 'dan']],
    ]);
    expect(engine.flush()).to.deep.equal([]);
  });
});
