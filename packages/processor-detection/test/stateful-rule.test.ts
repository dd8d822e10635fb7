import { expect } from 'chai';
import { parse } from 'yaml';
import type { EntityPair } from '../src/alert-record.js';
import { orgOfKey, valuesOfKey, type CorrelationItem, type Fire } from '../src/correlation/item.js';
import { eventEntitiesOf } from '../src/correlation/group-entities.js';
import { StatefulRule, statefulSnapshotSchema, type StatefulLimits } from '../src/correlation/stateful-rule.js';
import { RuleContext } from '../src/rules/rule-context.js';
import { correlateSchema } from '../src/rules/rule-schema.js';
import type { SharedList } from '../src/tuning/lists.js';
import { withLists } from '../src/tuning/in-list.js';

const MIN = 60_000;
const HOUR = 3_600_000;

/** Every event fed to the correlator fires at once: the fires tell what was fed, and in which order. */
const PROBE = 'type: threshold\nwindow: 10m\ncount: 1';
const DISTINCT_ADDRESSES = 'type: value_count\nwindow: 10m\nfield: client.ipAddress\ndistinct: 2';
const DENIED_THEN_SUCCESS =
  'type: sequence\nwindow: 10m\nsteps:\n  - { name: denied, match: { "==": [{ var: outcome.result }, "FAILURE"] } }\n  - { name: success, match: { "==": [{ var: outcome.result }, "SUCCESS"] } }';
const AGGREGATE = 'type: aggregate\nwindow: 10m\naggregates: { n: { count: {} } }\ncondition: { ">=": [{ var: n }, 1] }';

interface Counters {
  tooLate: number;
  overflows: number;
  evictions: number;
}

function ruleOf(yaml: string, limits: Partial<StatefulLimits> = {}): { rule: StatefulRule; counts: Counters } {
  const counts: Counters = { tooLate: 0, overflows: 0, evictions: 0 };
  const rule = new StatefulRule(correlateSchema.parse(parse(yaml)), {
    lateness: 0,
    maxGroups: 1000,
    maxBufferedEvents: 1000,
    maxBufferedBytes: 1e9,
    maxUuids: 50,
    maxDistinct: 100,
    onTooLate: () => counts.tooLate++,
    onBufferOverflow: () => counts.overflows++,
    onEvict: () => counts.evictions++,
    ...limits,
  });
  return { rule, counts };
}

function item(ms: number, uuid: string, groupKey = 'g', facts: unknown = null, entities?: readonly EntityPair[]): CorrelationItem {
  return { ms, uuid, groupKey, facts, entities: entities && eventEntitiesOf(entities), bytes: 0 };
}

/** The uuids the probe rule correlated, in order. */
const fed = (fires: readonly Fire[]) => fires.map((f) => f.uuids[0]);

const ctxOf = (event: Record<string, unknown>) => new RuleContext(event, {}, {});

describe('stateful rule reorder buffer', () => {
  it('correlates an event at once when lateness is zero and nothing waits', () => {
    const { rule } = ruleOf(PROBE);
    expect(rule.addItem(item(100, 'a'))).to.deep.equal([{ groupKey: 'g', count: 1, firstMs: 100, lastMs: 100, uuids: ['a'] }]);
    expect(rule.bufferedEvents).to.equal(0);
  });

  it('holds events until event time is lateness past them, then releases them in event-time order up to and including the watermark', () => {
    const { rule, counts } = ruleOf(PROBE, { lateness: 10 });
    expect(rule.addItem(item(100, 'a'))).to.deep.equal([]);
    expect(rule.bufferedEvents).to.equal(1);
    expect(rule.addItem(item(105, 'c'))).to.deep.equal([]);
    expect(rule.addItem(item(102, 'b'))).to.deep.equal([]);
    expect(rule.bufferedEvents).to.equal(3);
    // The watermark becomes 112 - 10 = 102: a (100) and b (exactly 102) go, c (105) waits.
    expect(fed(rule.addItem(item(112, 'd')))).to.deep.equal(['a', 'b']);
    expect(rule.bufferedEvents).to.equal(2);
    expect(fed(rule.finish())).to.deep.equal(['c', 'd']);
    expect(rule.bufferedEvents).to.equal(0);
    expect(counts).to.deep.equal({ tooLate: 0, overflows: 0, evictions: 0 });
  });

  it('counts an event older than the watermark as too late and correlates it at once, in arrival order', () => {
    const { rule, counts } = ruleOf(PROBE, { lateness: 10 });
    rule.addItem(item(100, 'a'));
    expect(fed(rule.addItem(item(120, 'b')))).to.deep.equal(['a']);
    expect(fed(rule.addItem(item(105, 'late1')))).to.deep.equal(['late1']);
    expect(fed(rule.addItem(item(101, 'late2')))).to.deep.equal(['late2']);
    expect(counts.tooLate).to.equal(2);
    expect(rule.bufferedEvents).to.equal(1);
  });

  it('does not count an event exactly at the watermark as too late', () => {
    const { rule, counts } = ruleOf(PROBE, { lateness: 10 });
    rule.addItem(item(100, 'a'));
    rule.addItem(item(120, 'b')); // watermark 110
    expect(fed(rule.addItem(item(110, 'edge')))).to.deep.equal(['edge']);
    expect(counts.tooLate).to.equal(0);
  });

  it('takes a too-late event when no onTooLate callback is given', () => {
    const { rule } = ruleOf(PROBE, { lateness: 10, onTooLate: undefined });
    rule.addItem(item(100, 'a'));
    rule.addItem(item(120, 'b'));
    expect(fed(rule.addItem(item(50, 'late')))).to.deep.equal(['late']);
  });

  it('correlates the oldest event early once the buffer holds more than max_buffered_events, and moves the watermark to it', () => {
    const { rule, counts } = ruleOf(PROBE, { lateness: 1000, maxBufferedEvents: 2 });
    expect(rule.addItem(item(100, 'a'))).to.deep.equal([]);
    expect(rule.addItem(item(300, 'b'))).to.deep.equal([]);
    expect(fed(rule.addItem(item(200, 'c')))).to.deep.equal(['a']);
    expect(counts.overflows).to.equal(1);
    expect(rule.bufferedEvents).to.equal(2);
    // The watermark is now 100: an event before it is too late, one at it is not.
    expect(fed(rule.addItem(item(99, 'x')))).to.deep.equal(['x']);
    expect(counts.tooLate).to.equal(1);
    rule.addItem(item(100, 'y'));
    expect(counts.tooLate).to.equal(1);
    expect(rule.snapshot().watermark).to.equal(100);
  });

  it('correlates the oldest event early once the buffer holds more bytes than max_buffered_bytes', () => {
    // Each item: 96 + 2 × (1 + 1) for key and uuid + 16 for null facts = 116 bytes.
    const { rule, counts } = ruleOf(PROBE, { lateness: 1000, maxBufferedBytes: 2 * 116 });
    rule.addItem(item(100, 'a'));
    rule.addItem(item(101, 'b'));
    expect(counts.overflows).to.equal(0);
    expect(fed(rule.addItem(item(102, 'c')))).to.deep.equal(['a']);
    expect(counts.overflows).to.equal(1);
    expect(rule.bufferedEvents).to.equal(2);
  });

  it('overflows without an onBufferOverflow callback', () => {
    const { rule } = ruleOf(PROBE, { lateness: 1000, maxBufferedEvents: 1, onBufferOverflow: undefined });
    rule.addItem(item(100, 'a'));
    expect(fed(rule.addItem(item(101, 'b')))).to.deep.equal(['a']);
  });

  // Items are built inside each test: an event's entity estimate is computed once and kept on it,
  // so a fixture shared between runs would carry a value computed by another run.
  const sized: [string, () => CorrelationItem, number][] = [
    ['null facts', () => item(1, 'e1', 'g'), 96 + 2 * 3 + 16],
    ['a longer group key and uuid', () => item(1, 'uuid-0001', 'acme\u0000["dana"]'), 96 + 2 * (13 + 9) + 16],
    ['string facts', () => item(1, 'e1', 'g', 'abcde'), 96 + 2 * 3 + 2 * 5],
    ['array facts', () => item(1, 'e1', 'g', [0, 2, 5]), 96 + 2 * 3 + 16 + 16 * 3],
    ['object facts', () => item(1, 'e1', 'g', { a: 1 }), 96 + 2 * 3 + 16],
    [
      'entities',
      () =>
        item(1, 'e1', 'g', 'abcde', [
          ['user.name', 'dana'],
          ['source.ip', '10.0.0.1'],
        ]),
      96 + 2 * 3 + 2 * 5 + (40 + 2 * (9 + 4)) + (40 + 2 * (9 + 8)),
    ],
  ];
  for (const [what, make, bytes] of sized)
    it(`estimates a buffered item with ${what} at ${bytes} bytes against max_buffered_bytes`, () => {
      const one = make();
      const fits = ruleOf(PROBE, { lateness: 1000, maxBufferedBytes: bytes });
      fits.rule.addItem(make());
      expect(fits.counts.overflows).to.equal(0);
      expect(fits.rule.bufferedEvents).to.equal(1);
      const over = ruleOf(PROBE, { lateness: 1000, maxBufferedBytes: bytes - 1 });
      expect(fed(over.rule.addItem(make()))).to.deep.equal([one.uuid]);
      expect(over.counts.overflows).to.equal(1);
      expect(over.rule.bufferedEvents).to.equal(0);
    });

  it('gives back the bytes of released events, so the byte bound counts only what waits', () => {
    const { rule, counts } = ruleOf(PROBE, { lateness: 10, maxBufferedBytes: 2 * 116 });
    rule.addItem(item(100, 'a'));
    rule.addItem(item(105, 'b'));
    expect(fed(rule.addItem(item(120, 'c')))).to.deep.equal(['a', 'b']);
    rule.addItem(item(125, 'd'));
    expect(counts.overflows).to.equal(0);
    expect(rule.bufferedEvents).to.equal(2);
    expect(fed(rule.addItem(item(126, 'e')))).to.deep.equal(['c']);
    expect(counts.overflows).to.equal(1);
  });
});

describe('stateful rule groups', () => {
  it('evicts the least recently used group, not the oldest created, and counts it', () => {
    const { rule, counts } = ruleOf('type: threshold\nwindow: 10m\ncount: 5', { maxGroups: 2 });
    rule.addItem(item(1, 'a1', 'a'));
    rule.addItem(item(2, 'b1', 'b'));
    rule.addItem(item(3, 'a2', 'a'));
    rule.addItem(item(4, 'c1', 'c'));
    expect(counts.evictions).to.equal(1);
    expect(rule.groupCount).to.equal(2);
    expect(rule.snapshot().groups).to.deep.equal([
      ['a', { times: [1, 3], uuids: ['a1', 'a2'] }],
      ['c', { times: [4], uuids: ['c1'] }],
    ]);
  });

  it('evicts without an onEvict callback', () => {
    const { rule } = ruleOf('type: threshold\nwindow: 10m\ncount: 5', { maxGroups: 1, onEvict: undefined });
    rule.addItem(item(1, 'a1', 'a'));
    rule.addItem(item(2, 'b1', 'b'));
    expect(rule.snapshot().groups).to.deep.equal([['b', { times: [2], uuids: ['b1'] }]]);
  });

  it('closes only the groups whose window end the watermark has reached, the end itself included', () => {
    const { rule } = ruleOf(AGGREGATE);
    rule.addItem(item(0, 'a1', 'a', [true], [['user.name', 'ann']]));
    rule.addItem(item(1000, 'b1', 'b', [true]));
    expect(rule.advance(10 * MIN - 1)).to.deep.equal([]);
    expect(rule.advance(10 * MIN)).to.deep.equal([
      { groupKey: 'a', count: 1, firstMs: 0, lastMs: 0, uuids: ['a1'], entities: { 'user.name': { values: ['ann'], omitted: 0 } } },
    ]);
    expect(rule.groupCount).to.equal(1);
    expect(rule.advance(10 * MIN + 1000)).to.deep.equal([{ groupKey: 'b', count: 1, firstMs: 1000, lastMs: 1000, uuids: ['b1'] }]);
    expect(rule.groupCount).to.equal(0);
  });

  it('ignores the expiry entries of evicted groups, also when a new group took the same key', () => {
    const { rule, counts } = ruleOf(AGGREGATE, { maxGroups: 1 });
    rule.addItem(item(0, 'a1', 'a', [true]));
    rule.addItem(item(1, 'b1', 'b', [true]));
    rule.addItem(item(2, 'a2', 'a', [true]));
    expect(counts.evictions).to.equal(2);
    expect(rule.advance(HOUR)).to.deep.equal([{ groupKey: 'a', count: 1, firstMs: 2, lastMs: 2, uuids: ['a2'] }]);
    expect(rule.groupCount).to.equal(0);
  });

  it('rebuilds the expiry heap from the live groups once stale entries pass twice the groups plus 1024, and every live group still expires', () => {
    const { rule } = ruleOf('type: threshold\nwindow: 10m\ncount: 2', { maxGroups: 10 });
    for (let i = 0; i < 1044; i++) rule.addItem(item(i, `e${i}`, `g${i}`));
    expect(rule.groupCount).to.equal(10);
    expect(rule.expiryHeapSize).to.equal(1044);
    rule.addItem(item(1044, 'e1044', 'g1044'));
    expect(rule.expiryHeapSize).to.equal(10);
    expect(rule.advance(HOUR)).to.deep.equal([]);
    expect(rule.groupCount).to.equal(0);
    expect(rule.expiryHeapSize).to.equal(0);
  });
});

describe('stateful rule alert entities', () => {
  const dana = (ip: string): EntityPair[] => [
    ['user.name', 'dana'],
    ['source.ip', ip],
  ];

  it('names the entities of every event of a threshold window, and starts over after the alert', () => {
    const { rule } = ruleOf('type: threshold\nwindow: 10m\ncount: 2');
    expect(rule.addItem(item(1, 'e1', 'g', null, dana('10.0.0.1')))).to.deep.equal([]);
    expect(rule.addItem(item(2, 'e2', 'g', null, dana('10.0.0.2')))).to.deep.equal([
      {
        groupKey: 'g',
        count: 2,
        firstMs: 1,
        lastMs: 2,
        uuids: ['e1', 'e2'],
        entities: { 'user.name': { values: ['dana'], omitted: 0 }, 'source.ip': { values: ['10.0.0.1', '10.0.0.2'], omitted: 0 } },
      },
    ]);
    rule.addItem(item(3, 'e3', 'g', null, dana('10.0.0.3')));
    expect(rule.addItem(item(4, 'e4', 'g', null, dana('10.0.0.3')))[0]!.entities).to.deep.equal({
      'user.name': { values: ['dana'], omitted: 0 },
      'source.ip': { values: ['10.0.0.3'], omitted: 0 },
    });
  });

  it('names the entities of every event of a value_count window', () => {
    const { rule } = ruleOf(DISTINCT_ADDRESSES);
    rule.addItem(item(1, 'e1', 'g', '10.0.0.1', dana('10.0.0.1')));
    expect(rule.addItem(item(2, 'e2', 'g', '10.0.0.2', dana('10.0.0.2')))[0]!.entities).to.deep.equal({
      'user.name': { values: ['dana'], omitted: 0 },
      'source.ip': { values: ['10.0.0.1', '10.0.0.2'], omitted: 0 },
    });
  });

  it('names the entities of every step of a sequence', () => {
    const { rule } = ruleOf(DENIED_THEN_SUCCESS);
    rule.addItem(item(1, 'e1', 'g', [0], dana('10.0.0.1')));
    expect(rule.addItem(item(2, 'e2', 'g', [1], dana('10.0.0.2')))[0]!.entities).to.deep.equal({
      'user.name': { values: ['dana'], omitted: 0 },
      'source.ip': { values: ['10.0.0.1', '10.0.0.2'], omitted: 0 },
    });
  });

  it('adds no entities to an alert whose events named none', () => {
    const { rule } = ruleOf('type: threshold\nwindow: 10m\ncount: 2');
    rule.addItem(item(1, 'e1', 'g', null, []));
    expect(rule.addItem(item(2, 'e2', 'g', null, []))).to.deep.equal([{ groupKey: 'g', count: 2, firstMs: 1, lastMs: 2, uuids: ['e1', 'e2'] }]);
  });

  it('forgets the entities of an evicted group', () => {
    const { rule } = ruleOf('type: threshold\nwindow: 10m\ncount: 2', { maxGroups: 1 });
    rule.addItem(item(1, 'e1', 'g', null, dana('10.0.0.1')));
    rule.addItem(item(2, 'x1', 'other', null));
    rule.addItem(item(3, 'e2', 'g', null, dana('10.0.0.2')));
    expect(rule.addItem(item(4, 'e3', 'g', null, dana('10.0.0.3')))[0]!.entities).to.deep.equal({
      'user.name': { values: ['dana'], omitted: 0 },
      'source.ip': { values: ['10.0.0.2', '10.0.0.3'], omitted: 0 },
    });
  });

  it('names in an aggregate alert the entities of its own window, not those of the event that closed it', () => {
    const { rule } = ruleOf(AGGREGATE);
    expect(rule.addItem(item(0, 'a1', 'g', [true], dana('10.0.0.1')))).to.deep.equal([]);
    const closed = rule.addItem(item(10 * MIN + 1, 'a2', 'g', [true], dana('10.0.0.2')));
    expect(closed.map((f) => [f.uuids, f.entities])).to.deep.equal([
      [['a1'], { 'user.name': { values: ['dana'], omitted: 0 }, 'source.ip': { values: ['10.0.0.1'], omitted: 0 } }],
    ]);
    // The event that closed it opened the next window, and is named by that window's alert.
    expect(rule.advance(30 * MIN).map((f) => [f.uuids, f.entities])).to.deep.equal([
      [['a2'], { 'user.name': { values: ['dana'], omitted: 0 }, 'source.ip': { values: ['10.0.0.2'], omitted: 0 } }],
    ]);
  });

  it('names no entity of a value_count event that had no value (it was not counted)', () => {
    const { rule } = ruleOf(DISTINCT_ADDRESSES);
    rule.addItem(item(1, 'e1', 'g', '10.0.0.1', dana('10.0.0.1')));
    rule.addItem(item(2, 'n1', 'g', null, [['user.name', 'mallory']]));
    expect(rule.addItem(item(3, 'e2', 'g', '10.0.0.2', dana('10.0.0.2')))[0]!.entities).to.deep.equal({
      'user.name': { values: ['dana'], omitted: 0 },
      'source.ip': { values: ['10.0.0.1', '10.0.0.2'], omitted: 0 },
    });
  });

  it('names no entity of a partial sequence that expired before the one that completed', () => {
    const { rule } = ruleOf(DENIED_THEN_SUCCESS);
    rule.addItem(item(0, 's1', 'g', [0], [['user.name', 'old']]));
    rule.addItem(item(20 * MIN, 's2', 'g', [0], dana('10.0.0.2')));
    const fires = rule.addItem(item(21 * MIN, 's3', 'g', [1], dana('10.0.0.3')));
    expect(fires.map((f) => [f.uuids, f.entities])).to.deep.equal([
      [['s2', 's3'], { 'user.name': { values: ['dana'], omitted: 0 }, 'source.ip': { values: ['10.0.0.2', '10.0.0.3'], omitted: 0 } }],
    ]);
  });

  it('names only the entities of the event that fired for new_terms', () => {
    const { rule } = ruleOf('type: new_terms\nfields: [client.geographicalContext.country]\nhistory_window: 30d\nlearning_period: 1h');
    expect(rule.addItem(item(0, 'e1', 'g', 'US', dana('10.0.0.1')))).to.deep.equal([]);
    const fires = rule.addItem(item(2 * HOUR, 'e2', 'g', 'DE', dana('10.0.0.2')));
    expect(fires.map((f) => [f.uuids, f.entities])).to.deep.equal([
      [['e2'], { 'user.name': { values: ['dana'], omitted: 0 }, 'source.ip': { values: ['10.0.0.2'], omitted: 0 } }],
    ]);
  });

  it('names only the entities of the sign-in that fired for impossible_travel', () => {
    const { rule } = ruleOf('type: impossible_travel');
    expect(rule.addItem(item(0, 'e1', 'g', [48.85, 2.35, 0, 'Paris, FR', '10.0.0.1'], dana('10.0.0.1')))).to.deep.equal([]);
    const fires = rule.addItem(item(HOUR, 'e2', 'g', [-33.87, 151.21, 0, 'Sydney, AU', '10.0.0.2'], dana('10.0.0.2')));
    expect(fires.map((f) => [f.uuids, f.entities])).to.deep.equal([
      [['e1', 'e2'], { 'user.name': { values: ['dana'], omitted: 0 }, 'source.ip': { values: ['10.0.0.2'], omitted: 0 } }],
    ]);
  });
});

describe('stateful rule snapshot and restore', () => {
  const THRESHOLD = 'type: threshold\nwindow: 10m\ncount: 3';
  const NEW_TERMS = 'type: new_terms\nfields: [client.geographicalContext.country]\nhistory_window: 30d\nlearning_period: 1h';
  const restored = (yaml: string, snapshot: unknown, limits: Partial<StatefulLimits> = {}) => {
    const made = ruleOf(yaml, limits);
    return { ...made, result: made.rule.restore(statefulSnapshotSchema.parse(snapshot)) };
  };

  it('saves an untouched rule with a null watermark and no learningSince unless it is new_terms', () => {
    expect(ruleOf(THRESHOLD).rule.snapshot()).to.deep.equal({ watermark: null, buffer: [], groups: [] });
    expect(ruleOf(NEW_TERMS).rule.snapshot()).to.deep.equal({ watermark: null, buffer: [], groups: [], learningSince: null });
  });

  it('restores the watermark, the buffer and the groups it saved', () => {
    const { rule } = ruleOf(THRESHOLD, { lateness: 100 });
    rule.addItem(item(1000, 'a', 'x'));
    rule.addItem(item(1200, 'b', 'y'));
    const saved = rule.snapshot();
    expect(saved).to.deep.equal({ watermark: 1100, buffer: [[1200, 'b', 'y', null]], groups: [['x', { times: [1000], uuids: ['a'] }]] });
    const { rule: again, counts, result } = restored(THRESHOLD, saved, { lateness: 100 });
    expect(result).to.deep.equal({ groups: 1, skipped: 0 });
    expect(again.snapshot()).to.deep.equal(saved);
    expect(again.bufferedEvents).to.equal(1);
    again.addItem(item(1099, 'late', 'z'));
    expect(counts.tooLate).to.equal(1);
  });

  it('restores a null watermark as no watermark at all: no event is too late', () => {
    const { rule, counts } = restored(PROBE, { watermark: null, buffer: [], groups: [] });
    expect(fed(rule.addItem(item(-5000, 'early')))).to.deep.equal(['early']);
    expect(counts.tooLate).to.equal(0);
    expect(rule.snapshot().watermark).to.equal(-5000);
  });

  it('keeps only the most recent max_buffered_events of a saved buffer, and counts their bytes', () => {
    const buffer = [
      [1, 'a', 'g', null],
      [2, 'b', 'g', null],
      [3, 'c', 'g', null],
    ];
    const { rule } = restored(PROBE, { watermark: null, buffer, groups: [] }, { lateness: 1000, maxBufferedEvents: 2 });
    expect(rule.bufferedEvents).to.equal(2);
    expect(rule.snapshot().buffer).to.deep.equal(buffer.slice(1));
    // Three items of 116 bytes are restored; a fourth added one passes 4 × 116 - 1 bytes, not the event bound.
    const bounded = restored(PROBE, { watermark: null, buffer, groups: [] }, { lateness: 1000, maxBufferedEvents: 10, maxBufferedBytes: 4 * 116 - 1 });
    expect(bounded.counts.overflows).to.equal(0);
    expect(fed(bounded.rule.addItem(item(4, 'd')))).to.deep.equal(['a']);
    expect(bounded.counts.overflows).to.equal(1);
    expect(bounded.rule.bufferedEvents).to.equal(3);
  });

  it('keeps only the most recent max_groups of the saved groups, and schedules them to expire', () => {
    const state = (t: number) => ({ times: [t], uuids: [`u${t}`] });
    const { rule, result } = restored(
      THRESHOLD,
      {
        watermark: 3,
        buffer: [],
        groups: [
          ['a', state(1)],
          ['b', state(2)],
          ['c', state(3)],
        ],
      },
      { maxGroups: 2 },
    );
    expect(result).to.deep.equal({ groups: 2, skipped: 0 });
    expect(rule.snapshot().groups).to.deep.equal([
      ['b', state(2)],
      ['c', state(3)],
    ]);
    rule.advance(HOUR);
    expect(rule.groupCount).to.equal(0);
  });

  it('skips a saved group whose state does not fit its correlator, and counts it', () => {
    const { rule, result } = restored(THRESHOLD, {
      watermark: null,
      buffer: [],
      groups: [
        ['bad', { times: 'not a list', uuids: [] }],
        ['good', { times: [5], uuids: ['u5'] }],
      ],
    });
    expect(result).to.deep.equal({ groups: 1, skipped: 1 });
    expect(rule.snapshot().groups).to.deep.equal([['good', { times: [5], uuids: ['u5'] }]]);
  });

  it('saves and restores when a new_terms rule began to learn', () => {
    const { rule } = ruleOf(NEW_TERMS);
    rule.addItem(item(0, 'e1', 'g', 'US'));
    expect(rule.snapshot().learningSince).to.equal(0);
    // Restored with no entity at all, the rule still learns from time 0: a new term two hours later alerts.
    const { rule: again } = restored(NEW_TERMS, { watermark: 0, buffer: [], groups: [], learningSince: 0 });
    expect(fed(again.addItem(item(2 * HOUR, 'e2', 'g', 'DE')))).to.deep.equal(['e2']);
    // A fresh rule would have started learning at that event.
    const { rule: fresh } = ruleOf(NEW_TERMS);
    expect(fresh.addItem(item(2 * HOUR, 'e2', 'g', 'DE'))).to.deep.equal([]);
  });

  it('restores a new_terms rule from a snapshot without learningSince as a rule that has not begun to learn', () => {
    const { rule } = restored(NEW_TERMS, { watermark: null, buffer: [], groups: [] });
    expect(rule.addItem(item(0, 'e1', 'g', 'US'))).to.deep.equal([]);
    expect(rule.addItem(item(30 * MIN, 'e2', 'g', 'DE'))).to.deep.equal([]);
    expect(fed(rule.addItem(item(2 * HOUR, 'e3', 'g', 'FR')))).to.deep.equal(['e3']);
    expect(rule.snapshot().learningSince).to.equal(0);
  });
});

describe('stateful rule facts', () => {
  const FAILURE = { eventType: 'user.session.start', outcome: { result: 'FAILURE' }, client: { ipAddress: '10.0.0.1' } };

  it('keeps nothing of an event for threshold', () => {
    const { rule } = ruleOf(PROBE);
    expect(rule.item(ctxOf(FAILURE), 5, 'u', 'g')).to.deep.equal({ ms: 5, uuid: 'u', groupKey: 'g', facts: null, entities: undefined, bytes: 0 });
    expect(rule.add(ctxOf(FAILURE), 5, 'u', 'g')).to.deep.equal([{ groupKey: 'g', count: 1, firstMs: 5, lastMs: 5, uuids: ['u'] }]);
  });

  it('keeps the entities it is given with the item', () => {
    const { rule } = ruleOf(PROBE);
    const entities = eventEntitiesOf([['user.name', 'dana']]);
    expect(rule.item(ctxOf(FAILURE), 5, 'u', 'g', entities).entities?.pairs).to.deep.equal([['user.name', 'dana']]);
  });

  it('keeps the field value for value_count, null when absent', () => {
    const { rule } = ruleOf(DISTINCT_ADDRESSES);
    expect(rule.item(ctxOf(FAILURE), 5, 'u', 'g').facts).to.equal('10.0.0.1');
    expect(rule.item(ctxOf({ eventType: 'x' }), 5, 'u', 'g').facts).to.equal(null);
  });

  it('keeps the indexes of the steps an event matches for sequence', () => {
    const { rule } = ruleOf(
      'type: sequence\nwindow: 10m\nsteps:\n  - { name: denied, match: { "==": [{ var: outcome.result }, "FAILURE"] } }\n  - { name: success, match: { "==": [{ var: outcome.result }, "SUCCESS"] } }\n  - { name: any, match: { "==": [{ var: eventType }, "user.session.start"] } }',
    );
    expect(rule.item(ctxOf(FAILURE), 5, 'u', 'g').facts).to.deep.equal([0, 2]);
    expect(rule.item(ctxOf({ eventType: 'x', outcome: { result: 'SUCCESS' } }), 5, 'u', 'g').facts).to.deep.equal([1]);
    expect(rule.item(ctxOf({ eventType: 'x' }), 5, 'u', 'g').facts).to.deep.equal([]);
  });

  it('keeps one fact per aggregate, whatever its kind', () => {
    const { rule } = ruleOf(`type: aggregate
window: 10m
aggregates:
  failures: { count: { match: { "==": [{ var: outcome.result }, "FAILURE"] } } }
  successes: { count: { match: { "==": [{ var: outcome.result }, "SUCCESS"] } } }
  all: { count: {} }
  ips: { distinct: client.ipAddress }
  total: { sum: debug.n }
  low: { min: debug.n }
  high: { max: debug.m }
  cities: { values: client.city }
condition: { ">=": [{ var: all }, 1] }`);
    const event = { ...FAILURE, debug: { n: 5, m: 7 }, client: { ipAddress: '10.0.0.1', city: 'Paris' } };
    expect(rule.item(ctxOf(event), 5, 'u', 'g').facts).to.deep.equal([true, false, true, '10.0.0.1', 5, 5, 7, 'Paris']);
  });

  it('judges an aggregate condition that uses a shared list', () => {
    const watched: SharedList = { name: 'watched', kind: 'string', size: 1, has: (v) => v === 'KP' };
    const rule = withLists(
      new Map([['watched', watched]]),
      () =>
        ruleOf('type: aggregate\nwindow: 10m\naggregates: { countries: { values: client.country } }\ncondition: { in_list: [{ var: countries }, "watched"] }')
          .rule,
    );
    rule.addItem(item(0, 'a1', 'a', ['FR']));
    rule.addItem(item(0, 'b1', 'b', ['KP']));
    expect(rule.advance(10 * MIN).map((f) => f.groupKey)).to.deep.equal(['b']);
  });

  it('keeps the term for new_terms, null when a field is absent', () => {
    const { rule } = ruleOf('type: new_terms\nfields: [client.geographicalContext.country]\nhistory_window: 30d');
    expect(rule.item(ctxOf({ client: { geographicalContext: { country: 'Germany' } } }), 5, 'u', 'g').facts).to.equal('Germany');
    expect(rule.item(ctxOf({ client: { geographicalContext: { country: 'unknown' } } }), 5, 'u', 'g').facts).to.equal(null);
  });

  it('keeps place, proxy flag and address for impossible_travel', () => {
    const { rule } = ruleOf('type: impossible_travel');
    const event = { client: { ipAddress: '10.0.0.1', geographicalContext: { city: 'Paris', country: 'France', geolocation: { lat: 48.85, lon: 2.35 } } } };
    expect(rule.item(ctxOf(event), 5, 'u', 'g').facts).to.deep.equal([48.85, 2.35, 0, 'Paris, France', '10.0.0.1']);
  });
});

describe('correlation group keys', () => {
  it('reads the org and the group_by values of a group key', () => {
    expect(orgOfKey('acme.okta.com\u0000["dana",3]')).to.equal('acme.okta.com');
    expect(valuesOfKey('acme.okta.com\u0000["dana",3]')).to.deep.equal(['dana', 3]);
  });

  it('reads no org from a key without one, and no values from a key whose values are not a list', () => {
    expect(orgOfKey('["dana"]')).to.equal('');
    expect(orgOfKey('\u0000["dana"]')).to.equal('');
    expect(valuesOfKey('acme.okta.com\u0000{"user":"dana"}')).to.deep.equal([]);
  });
});
