import { expect } from 'chai';
import {
  AggregateCorrelator,
  boundTo,
  type Correlator,
  SequenceCorrelator,
  ThresholdCorrelator,
  ValueCountCorrelator,
} from '../src/correlation/correlators.js';
import { aggregate, item, LIMITS, sequence, spec, threshold, valueCount, WINDOW } from './correlator-helpers.js';

const NEVER = Number.NEGATIVE_INFINITY;

/** Feeds items in order and returns what each add returned. */
function feed(c: Correlator, ...items: Parameters<Correlator['add']>[0][]) {
  return items.map((i) => c.add(i));
}

describe('threshold correlator', () => {
  it('fires on the count-th event within the window with its count, first and last time and uuids, then starts over', () => {
    const c = threshold(3);
    expect(feed(c, item(0, 'a'), item(4000, 'b'))).to.deep.equal([undefined, undefined]);
    expect(c.add(item(9000, 'c'))).to.deep.equal({ groupKey: 'g', count: 3, firstMs: 0, lastMs: 9000, uuids: ['a', 'b', 'c'] });
    expect(c.snapshot()).to.deep.equal({ times: [], uuids: [] });
    expect(c.deadline()).to.equal(NEVER);
    expect(feed(c, item(11_000, 'd'), item(12_000, 'e'))).to.deep.equal([undefined, undefined]);
    expect(c.add(item(13_000, 'f'))).to.deep.equal({ groupKey: 'g', count: 3, firstMs: 11_000, lastMs: 13_000, uuids: ['d', 'e', 'f'] });
  });

  it('counts an event exactly one window old, but not one a millisecond older', () => {
    const edge = threshold(2);
    edge.add(item(0, 'a'));
    expect(edge.add(item(WINDOW, 'b'))).to.deep.equal({ groupKey: 'g', count: 2, firstMs: 0, lastMs: WINDOW, uuids: ['a', 'b'] });

    const past = threshold(2);
    past.add(item(0, 'a'));
    expect(past.add(item(WINDOW + 1, 'b'))).to.equal(undefined);
    expect(past.snapshot()).to.deep.equal({ times: [WINDOW + 1], uuids: ['b'] });
  });

  it('drops the events that left the window and fires once count are inside it again', () => {
    const c = threshold(3);
    expect(feed(c, item(0, 'a'), item(3000, 'b'), item(12_000, 'c'))).to.deep.equal([undefined, undefined, undefined]);
    expect(c.snapshot()).to.deep.equal({ times: [3000, 12_000], uuids: ['b', 'c'] });
    expect(c.add(item(13_000, 'd'))).to.deep.equal({ groupKey: 'g', count: 3, firstMs: 3000, lastMs: 13_000, uuids: ['b', 'c', 'd'] });
  });

  it('with count 1 fires on every event on its own', () => {
    const c = threshold(1);
    expect(c.snapshot()).to.deep.equal({ times: [], uuids: [] });
    expect(c.add(item(5000, 'a'))).to.deep.equal({ groupKey: 'g', count: 1, firstMs: 5000, lastMs: 5000, uuids: ['a'] });
    expect(c.deadline()).to.equal(NEVER);
    expect(c.snapshot()).to.deep.equal({ times: [], uuids: [] });
    expect(c.add(item(6000, 'b'))).to.deep.equal({ groupKey: 'g', count: 1, firstMs: 6000, lastMs: 6000, uuids: ['b'] });
  });

  it('lists only the newest maxUuids uuids while counting every event', () => {
    const c = threshold(4, { maxUuids: 2 });
    feed(c, item(0, 'a'), item(1000, 'b'));
    expect(c.deadline()).to.equal(1000 + WINDOW);
    expect(c.snapshot()).to.deep.equal({ times: [0, 1000], uuids: ['a', 'b'] });
    c.add(item(2000, 'c'));
    expect(c.deadline()).to.equal(2000 + WINDOW);
    expect(c.snapshot()).to.deep.equal({ times: [0, 1000, 2000], uuids: ['b', 'c'] });
    expect(c.add(item(3000, 'd'))).to.deep.equal({ groupKey: 'g', count: 4, firstMs: 0, lastMs: 3000, uuids: ['c', 'd'] });
  });

  it('has its deadline one window after its newest event, and none when empty', () => {
    const c = threshold(3);
    expect(c.deadline()).to.equal(NEVER);
    c.add(item(1000, 'a'));
    expect(c.deadline()).to.equal(1000 + WINDOW);
    c.add(item(4000, 'b'));
    expect(c.deadline()).to.equal(4000 + WINDOW);
  });

  it('is done once the watermark passes its deadline (not at it), never fires on expiry, and an empty group is always done', () => {
    const empty = threshold(3);
    expect(empty.expire(0)).to.deep.equal({ done: true });
    expect(empty.expire(NEVER)).to.deep.equal({ done: true });

    const one = threshold(3);
    one.add(item(1000, 'a'));
    expect(one.expire(1000 + WINDOW)).to.deep.equal({ done: false });
    expect(one.expire(1001 + WINDOW)).to.deep.equal({ done: true });

    const two = threshold(3);
    feed(two, item(1000, 'a'), item(4000, 'b'));
    expect(two.expire(5000)).to.deep.equal({ done: false });
    expect(two.expire(4000 + WINDOW)).to.deep.equal({ done: false });
    expect(two.expire(4001 + WINDOW)).to.deep.equal({ done: true });
    expect(two.snapshot()).to.deep.equal({ times: [1000, 4000], uuids: ['a', 'b'] });
  });

  it('decides nothing at finish', () => {
    const c = threshold(2);
    c.add(item(0, 'a'));
    expect(c.finish()).to.equal(undefined);
    expect(c.snapshot()).to.deep.equal({ times: [0], uuids: ['a'] });
  });

  it('restored from its snapshot into a new group, carries on exactly as the original', () => {
    const original = threshold(3);
    feed(original, item(0, 'a'), item(4000, 'b'));
    const saved = original.snapshot();
    expect(saved).to.deep.equal({ times: [0, 4000], uuids: ['a', 'b'] });

    const restored = threshold(3);
    restored.restore(ThresholdCorrelator.state.parse(JSON.parse(JSON.stringify(saved))));
    expect(restored.snapshot()).to.deep.equal(saved);
    expect(restored.deadline()).to.equal(4000 + WINDOW);
    expect(restored.expire(4001 + WINDOW)).to.deep.equal({ done: true });
    const expected = { groupKey: 'g', count: 3, firstMs: 0, lastMs: 9000, uuids: ['a', 'b', 'c'] };
    expect(restored.add(item(9000, 'c'))).to.deep.equal(expected);
    expect(original.add(item(9000, 'c'))).to.deep.equal(expected);
  });

  it('restores a one-event snapshot and an empty one', () => {
    const one = threshold(3);
    one.add(item(2000, 'a'));
    const restored = threshold(3);
    restored.restore(ThresholdCorrelator.state.parse(one.snapshot()));
    expect(restored.snapshot()).to.deep.equal({ times: [2000], uuids: ['a'] });
    expect(restored.deadline()).to.equal(2000 + WINDOW);

    const empty = threshold(3);
    empty.restore(ThresholdCorrelator.state.parse({ times: [], uuids: [] }));
    expect(empty.snapshot()).to.deep.equal({ times: [], uuids: [] });
    expect(empty.deadline()).to.equal(NEVER);
    expect(feed(empty, item(0, 'a'), item(1000, 'b'))).to.deep.equal([undefined, undefined]);
  });

  it('restores only the newest count events with their uuids', () => {
    const c = threshold(3);
    c.restore({ times: [1000, 2000, 3000, 4000, 5000], uuids: ['a', 'b', 'c', 'd', 'e'] });
    expect(c.snapshot()).to.deep.equal({ times: [3000, 4000, 5000], uuids: ['c', 'd', 'e'] });
  });

  it('restores fewer uuids than events onto the newest events, the older ones listed without one', () => {
    const c = threshold(4, { maxUuids: 3 });
    c.restore({ times: [1000, 2000, 3000], uuids: ['b', 'c'] });
    expect(c.snapshot()).to.deep.equal({ times: [1000, 2000, 3000], uuids: ['b', 'c'] });
    // 1000 leaves the window: the uuids that stay are those of 2000 and 3000.
    expect(c.add(item(11_500, 'd'))).to.equal(undefined);
    expect(c.snapshot()).to.deep.equal({ times: [2000, 3000, 11_500], uuids: ['b', 'c', 'd'] });
    expect(c.add(item(12_000, 'e'))).to.deep.equal({ groupKey: 'g', count: 4, firstMs: 2000, lastMs: 12_000, uuids: ['c', 'd', 'e'] });
  });

  it('restores at most maxUuids uuids', () => {
    const c = threshold(3, { maxUuids: 2 });
    c.restore({ times: [1000, 2000, 3000], uuids: ['a', 'b', 'c'] });
    expect(c.snapshot()).to.deep.equal({ times: [1000, 2000, 3000], uuids: ['b', 'c'] });
  });

  it('accepts its own snapshot as state and refuses malformed state', () => {
    expect(ThresholdCorrelator.state.safeParse({ times: [1, 2], uuids: ['a', 'b'] })).to.deep.include({
      success: true,
      data: { times: [1, 2], uuids: ['a', 'b'] },
    });
    for (const bad of [{ times: ['1'], uuids: [] }, { times: [1] }, { uuids: [] }, { times: [], uuids: [1] }, { times: [], uuids: [], extra: 1 }, null, []]) {
      expect(ThresholdCorrelator.state.safeParse(bad).success, JSON.stringify(bad)).to.equal(false);
    }
  });
});

describe('value_count correlator', () => {
  it('fires on the distinct-th different value within the window, listing the newest sighting of each, then starts over', () => {
    const c = valueCount(3);
    expect(feed(c, item(0, 'a', 'x'), item(1000, 'b', 'y'), item(2000, 'c', 'x'))).to.deep.equal([undefined, undefined, undefined]);
    expect(c.snapshot()).to.deep.equal({ values: ['y', 'x'], times: [1000, 2000], uuids: ['b', 'c'] });
    expect(c.add(item(9000, 'd', 'z'))).to.deep.equal({ groupKey: 'g', count: 3, firstMs: 1000, lastMs: 9000, uuids: ['b', 'c', 'd'] });
    expect(c.snapshot()).to.deep.equal({ values: [], times: [], uuids: [] });
    expect(c.deadline()).to.equal(NEVER);
    expect(feed(c, item(11_000, 'e', 'x'), item(12_000, 'f', 'y'))).to.deep.equal([undefined, undefined]);
    expect(c.add(item(13_000, 'g', 'z'))).to.deep.equal({ groupKey: 'g', count: 3, firstMs: 11_000, lastMs: 13_000, uuids: ['e', 'f', 'g'] });
  });

  it('counts a value seen again once, from its latest sighting, and keeps one exactly a window old', () => {
    const c = valueCount(2);
    expect(feed(c, item(0, 'a', 'x'), item(5000, 'b', 'x'))).to.deep.equal([undefined, undefined]);
    expect(c.snapshot()).to.deep.equal({ values: ['x'], times: [5000], uuids: ['b'] });
    expect(c.deadline()).to.equal(5000 + WINDOW);
    expect(c.add(item(5000 + WINDOW, 'c', 'y'))).to.deep.equal({ groupKey: 'g', count: 2, firstMs: 5000, lastMs: 5000 + WINDOW, uuids: ['b', 'c'] });
  });

  it('forgets a value a millisecond older than the window', () => {
    const c = valueCount(2);
    c.add(item(0, 'a', 'x'));
    expect(c.add(item(WINDOW + 1, 'b', 'y'))).to.equal(undefined);
    expect(c.snapshot()).to.deep.equal({ values: ['y'], times: [WINDOW + 1], uuids: ['b'] });

    const three = valueCount(3);
    feed(three, item(0, 'a', 'x'), item(1000, 'b', 'y'));
    expect(three.add(item(WINDOW + 1, 'c', 'z'))).to.equal(undefined);
    expect(three.snapshot()).to.deep.equal({ values: ['y', 'z'], times: [1000, WINDOW + 1], uuids: ['b', 'c'] });
  });

  it('with distinct 1 fires on every value on its own', () => {
    const c = valueCount(1);
    expect(c.snapshot()).to.deep.equal({ values: [], times: [], uuids: [] });
    expect(c.add(item(5000, 'a', 'x'))).to.deep.equal({ groupKey: 'g', count: 1, firstMs: 5000, lastMs: 5000, uuids: ['a'] });
    expect(c.snapshot()).to.deep.equal({ values: [], times: [], uuids: [] });
    expect(c.deadline()).to.equal(NEVER);
    expect(c.add(item(6000, 'b', 'x'))).to.deep.equal({ groupKey: 'g', count: 1, firstMs: 6000, lastMs: 6000, uuids: ['b'] });
  });

  it('ignores events without a value (null or undefined)', () => {
    const fresh = valueCount(2);
    expect(fresh.add(item(0, 'a', null))).to.equal(undefined);
    expect(fresh.add(item(0, 'b', undefined))).to.equal(undefined);
    expect(fresh.snapshot()).to.deep.equal({ values: [], times: [], uuids: [] });
    expect(fresh.deadline()).to.equal(NEVER);

    const c = valueCount(2);
    expect(feed(c, item(0, 'a', 'x'), item(1000, 'b', null), item(2000, 'c', undefined))).to.deep.equal([undefined, undefined, undefined]);
    expect(c.snapshot()).to.deep.equal({ values: ['x'], times: [0], uuids: ['a'] });
  });

  it('keeps a string value as it is and any other value as its JSON text', () => {
    const c = valueCount(5);
    feed(c, item(0, 'a', 'x'), item(1000, 'b', 42), item(2000, 'c', { ip: '10.0.0.1' }), item(3000, 'd', true));
    expect(c.snapshot()).to.deep.equal({ values: ['x', '42', '{"ip":"10.0.0.1"}', 'true'], times: [0, 1000, 2000, 3000], uuids: ['a', 'b', 'c', 'd'] });
  });

  it('lists only the newest maxUuids uuids while counting every value', () => {
    const c = valueCount(3, { maxUuids: 2 });
    feed(c, item(0, 'a', 'x'), item(1000, 'b', 'y'));
    expect(c.add(item(2000, 'c', 'z'))).to.deep.equal({ groupKey: 'g', count: 3, firstMs: 0, lastMs: 2000, uuids: ['b', 'c'] });
  });

  it('has its deadline one window after its newest sighting, and none when empty', () => {
    const c = valueCount(3);
    expect(c.deadline()).to.equal(NEVER);
    c.add(item(1000, 'a', 'x'));
    expect(c.deadline()).to.equal(1000 + WINDOW);
    c.add(item(4000, 'b', 'y'));
    expect(c.deadline()).to.equal(4000 + WINDOW);
    c.add(item(6000, 'c', 'x'));
    expect(c.deadline()).to.equal(6000 + WINDOW);
  });

  it('is done once the watermark passes its deadline (not at it), never fires on expiry, and an empty group is always done', () => {
    const empty = valueCount(3);
    expect(empty.expire(0)).to.deep.equal({ done: true });
    expect(empty.expire(NEVER)).to.deep.equal({ done: true });

    const one = valueCount(3);
    one.add(item(1000, 'a', 'x'));
    expect(one.expire(1000 + WINDOW)).to.deep.equal({ done: false });
    expect(one.expire(1001 + WINDOW)).to.deep.equal({ done: true });

    const two = valueCount(3);
    feed(two, item(1000, 'a', 'x'), item(4000, 'b', 'y'));
    expect(two.expire(5000)).to.deep.equal({ done: false });
    expect(two.expire(4000 + WINDOW)).to.deep.equal({ done: false });
    expect(two.expire(4001 + WINDOW)).to.deep.equal({ done: true });
    expect(two.snapshot()).to.deep.equal({ values: ['x', 'y'], times: [1000, 4000], uuids: ['a', 'b'] });
  });

  it('decides nothing at finish', () => {
    const c = valueCount(2);
    c.add(item(0, 'a', 'x'));
    expect(c.finish()).to.equal(undefined);
    expect(c.snapshot()).to.deep.equal({ values: ['x'], times: [0], uuids: ['a'] });
  });

  it('restored from its snapshot into a new group, carries on exactly as the original', () => {
    const original = valueCount(3);
    feed(original, item(0, 'a', 'x'), item(1000, 'b', 'y'));
    const saved = original.snapshot();
    expect(saved).to.deep.equal({ values: ['x', 'y'], times: [0, 1000], uuids: ['a', 'b'] });

    const restored = valueCount(3);
    restored.restore(ValueCountCorrelator.state.parse(JSON.parse(JSON.stringify(saved))));
    expect(restored.snapshot()).to.deep.equal(saved);
    expect(restored.deadline()).to.equal(1000 + WINDOW);
    // A value seen again is still recognised after the restore.
    expect(restored.add(item(2000, 'c', 'x'))).to.equal(undefined);
    expect(original.add(item(2000, 'c', 'x'))).to.equal(undefined);
    const expected = { groupKey: 'g', count: 3, firstMs: 1000, lastMs: 3000, uuids: ['b', 'c', 'd'] };
    expect(restored.add(item(3000, 'd', 'z'))).to.deep.equal(expected);
    expect(original.add(item(3000, 'd', 'z'))).to.deep.equal(expected);
  });

  it('restores a one-value snapshot and an empty one', () => {
    const one = valueCount(2);
    one.add(item(2000, 'a', 'x'));
    const restored = valueCount(2);
    restored.restore(ValueCountCorrelator.state.parse(one.snapshot()));
    expect(restored.snapshot()).to.deep.equal({ values: ['x'], times: [2000], uuids: ['a'] });
    expect(restored.add(item(3000, 'b', 'y'))).to.deep.equal({ groupKey: 'g', count: 2, firstMs: 2000, lastMs: 3000, uuids: ['a', 'b'] });

    const empty = valueCount(2);
    empty.restore(ValueCountCorrelator.state.parse({ values: [], times: [], uuids: [] }));
    expect(empty.snapshot()).to.deep.equal({ values: [], times: [], uuids: [] });
    expect(empty.deadline()).to.equal(NEVER);
    expect(empty.add(item(0, 'a', 'x'))).to.equal(undefined);
  });

  it('restores only the newest distinct sightings', () => {
    const c = valueCount(2);
    c.restore({ values: ['x', 'y', 'z'], times: [1000, 2000, 3000], uuids: ['a', 'b', 'c'] });
    expect(c.snapshot()).to.deep.equal({ values: ['y', 'z'], times: [2000, 3000], uuids: ['b', 'c'] });
  });

  it('accepts its own snapshot as state and refuses malformed state', () => {
    const good = { values: ['x'], times: [1], uuids: ['a'] };
    expect(ValueCountCorrelator.state.safeParse(good)).to.deep.include({ success: true, data: good });
    for (const uneven of [
      { values: ['x', 'y'], times: [1], uuids: ['a'] },
      { values: ['x'], times: [1, 2], uuids: ['a', 'b'] },
      { values: ['x'], times: [1], uuids: [] },
    ]) {
      const parsed = ValueCountCorrelator.state.safeParse(uneven);
      expect(parsed.success, JSON.stringify(uneven)).to.equal(false);
      expect(parsed.error?.issues.map((i) => i.message)).to.deep.equal(['values, times and uuids differ in length']);
    }
    for (const bad of [{ values: [1], times: [1], uuids: ['a'] }, { values: ['x'], times: [1] }, { ...good, extra: 1 }, null]) {
      expect(ValueCountCorrelator.state.safeParse(bad).success, JSON.stringify(bad)).to.equal(false);
    }
  });
});

describe('sequence correlator', () => {
  const idle = (firstMs = 0, lastMs = 0) => ({ at: -1, counts: [], firstMs, lastMs, total: 0, uuids: [] });

  it('fires once every step reached its min_count in order within the window, then starts over', () => {
    const c = sequence([2, 1]);
    expect(feed(c, item(0, 'a', [0]), item(1000, 'b', [0]))).to.deep.equal([undefined, undefined]);
    expect(c.add(item(2000, 'c', [1]))).to.deep.equal({ groupKey: 'g', count: 3, firstMs: 0, lastMs: 2000, uuids: ['a', 'b', 'c'] });
    expect(c.snapshot()).to.deep.equal(idle(0, 2000));
    expect(c.deadline()).to.equal(NEVER);
    expect(c.add(item(3000, 'd', [1]))).to.equal(undefined);
    expect(feed(c, item(4000, 'e', [0]), item(5000, 'f', [0]))).to.deep.equal([undefined, undefined]);
    expect(c.add(item(6000, 'g', [1]))).to.deep.equal({ groupKey: 'g', count: 3, firstMs: 4000, lastMs: 6000, uuids: ['e', 'f', 'g'] });
  });

  it('does not count the next step before the current one reached its min_count', () => {
    const c = sequence([2, 1]);
    expect(feed(c, item(0, 'a', [0]), item(1000, 'b', [1]))).to.deep.equal([undefined, undefined]);
    expect(c.snapshot()).to.deep.equal({ at: 0, counts: [1, 0], firstMs: 0, lastMs: 0, total: 1, uuids: ['a'] });
    expect(c.add(item(2000, 'c', [0]))).to.equal(undefined);
    expect(c.add(item(3000, 'd', [1]))).to.deep.equal({ groupKey: 'g', count: 3, firstMs: 0, lastMs: 3000, uuids: ['a', 'c', 'd'] });
  });

  it('fires on the last step only at its min_count, counting every event of the sequence', () => {
    const c = sequence([1, 2]);
    expect(feed(c, item(0, 'a', [0]), item(1000, 'b', [1]))).to.deep.equal([undefined, undefined]);
    expect(c.snapshot()).to.deep.equal({ at: 1, counts: [1, 1], firstMs: 0, lastMs: 1000, total: 2, uuids: ['a', 'b'] });
    expect(c.add(item(1500, 'x', [0]))).to.equal(undefined);
    expect(c.add(item(2000, 'c', [1]))).to.deep.equal({ groupKey: 'g', count: 3, firstMs: 0, lastMs: 2000, uuids: ['a', 'b', 'c'] });
  });

  it('goes through three steps in order', () => {
    const c = sequence([1, 1, 1]);
    expect(feed(c, item(0, 'a', [0]), item(1000, 'b', [2]), item(2000, 'c', [1]))).to.deep.equal([undefined, undefined, undefined]);
    expect(c.snapshot()).to.deep.equal({ at: 1, counts: [1, 1, 0], firstMs: 0, lastMs: 2000, total: 2, uuids: ['a', 'c'] });
    expect(c.add(item(3000, 'd', [2]))).to.deep.equal({ groupKey: 'g', count: 3, firstMs: 0, lastMs: 3000, uuids: ['a', 'c', 'd'] });
  });

  it('takes an event matching two steps for the next one once the current step is satisfied', () => {
    const c = sequence([1, 1]);
    expect(c.add(item(0, 'a', [0, 1]))).to.equal(undefined);
    expect(c.add(item(1000, 'b', [0, 1]))).to.deep.equal({ groupKey: 'g', count: 2, firstMs: 0, lastMs: 1000, uuids: ['a', 'b'] });
  });

  it('is not started by an event that matches only a later step', () => {
    const c = sequence([1, 1]);
    expect(c.add(item(1000, 'a', [1]))).to.equal(undefined);
    expect(c.add(item(2000, 'b', []))).to.equal(undefined);
    expect(c.snapshot()).to.deep.equal(idle());
    expect(c.deadline()).to.equal(NEVER);
    expect(c.expire(0)).to.deep.equal({ done: true });
  });

  it('completes with an event exactly one window after the first; a millisecond later the partial sequence is dropped', () => {
    const edge = sequence([1, 1]);
    edge.add(item(0, 'a', [0]));
    expect(edge.add(item(WINDOW, 'b', [1]))).to.deep.equal({ groupKey: 'g', count: 2, firstMs: 0, lastMs: WINDOW, uuids: ['a', 'b'] });

    const late = sequence([1, 1]);
    late.add(item(0, 'a', [0]));
    expect(late.add(item(WINDOW + 1, 'b', [1]))).to.equal(undefined);
    expect(late.snapshot()).to.deep.equal(idle(0, 0));
  });

  it('lets the event that finds its partial sequence expired start a new one', () => {
    const c = sequence([1, 1]);
    c.add(item(0, 'a', [0]));
    expect(c.add(item(WINDOW + 1, 'b', [0]))).to.equal(undefined);
    expect(c.snapshot()).to.deep.equal({ at: 0, counts: [1, 0], firstMs: WINDOW + 1, lastMs: WINDOW + 1, total: 1, uuids: ['b'] });
    expect(c.add(item(2 * WINDOW + 1, 'c', [1]))).to.deep.equal({ groupKey: 'g', count: 2, firstMs: WINDOW + 1, lastMs: 2 * WINDOW + 1, uuids: ['b', 'c'] });
  });

  it('lists only the newest maxUuids uuids while counting every event', () => {
    const c = sequence([3, 1], { maxUuids: 2 });
    feed(c, item(0, 'a', [0]), item(1000, 'b', [0]));
    expect(c.snapshot()).to.deep.equal({ at: 0, counts: [2, 0], firstMs: 0, lastMs: 1000, total: 2, uuids: ['a', 'b'] });
    c.add(item(2000, 'c', [0]));
    expect(c.add(item(3000, 'd', [1]))).to.deep.equal({ groupKey: 'g', count: 4, firstMs: 0, lastMs: 3000, uuids: ['c', 'd'] });
  });

  it('has its deadline one window after the first event of the sequence, and none when idle', () => {
    const c = sequence([3, 1]);
    expect(c.deadline()).to.equal(NEVER);
    c.add(item(1000, 'a', [0]));
    expect(c.deadline()).to.equal(1000 + WINDOW);
    c.add(item(5000, 'b', [0]));
    expect(c.deadline()).to.equal(1000 + WINDOW);
  });

  it('on expiry keeps a sequence whose window the watermark has reached, and drops one it has passed', () => {
    const idleOne = sequence([1, 1]);
    expect(idleOne.expire(0)).to.deep.equal({ done: true });

    const kept = sequence([1, 1]);
    kept.add(item(8000, 'a', [0]));
    expect(kept.expire(9000)).to.deep.equal({ done: false });
    expect(kept.expire(8000 + WINDOW)).to.deep.equal({ done: false });
    expect(kept.snapshot()).to.deep.equal({ at: 0, counts: [1, 0], firstMs: 8000, lastMs: 8000, total: 1, uuids: ['a'] });
    expect(kept.add(item(8000 + WINDOW, 'b', [1]))).to.deep.equal({ groupKey: 'g', count: 2, firstMs: 8000, lastMs: 8000 + WINDOW, uuids: ['a', 'b'] });

    const dropped = sequence([1, 1]);
    dropped.add(item(8000, 'a', [0]));
    expect(dropped.expire(8001 + WINDOW)).to.deep.equal({ done: true });
    expect(dropped.snapshot()).to.deep.equal(idle(8000, 8000));
    expect(dropped.deadline()).to.equal(NEVER);
    expect(dropped.add(item(8001 + WINDOW, 'b', [1]))).to.equal(undefined);
  });

  it('decides nothing at finish', () => {
    const c = sequence([1, 1]);
    c.add(item(0, 'a', [0]));
    expect(c.finish()).to.equal(undefined);
    expect(c.snapshot()).to.deep.equal({ at: 0, counts: [1, 0], firstMs: 0, lastMs: 0, total: 1, uuids: ['a'] });
  });

  it('restored from its snapshot into a new group, carries on exactly as the original', () => {
    const original = sequence([2, 2]);
    feed(original, item(0, 'a', [0]), item(1000, 'b', [0]), item(2000, 'c', [1]));
    const saved = original.snapshot();
    expect(saved).to.deep.equal({ at: 1, counts: [2, 1], firstMs: 0, lastMs: 2000, total: 3, uuids: ['a', 'b', 'c'] });

    const restored = sequence([2, 2]);
    restored.restore(SequenceCorrelator.state.parse(JSON.parse(JSON.stringify(saved))));
    expect(restored.snapshot()).to.deep.equal(saved);
    expect(restored.deadline()).to.equal(WINDOW);
    const expected = { groupKey: 'g', count: 4, firstMs: 0, lastMs: 3000, uuids: ['a', 'b', 'c', 'd'] };
    expect(restored.add(item(3000, 'd', [1]))).to.deep.equal(expected);
    expect(original.add(item(3000, 'd', [1]))).to.deep.equal(expected);
  });

  it('restores an idle snapshot as it is', () => {
    const c = sequence([1, 1]);
    c.restore(SequenceCorrelator.state.parse(idle(5000, 6000)));
    expect(c.snapshot()).to.deep.equal(idle(5000, 6000));
    expect(c.deadline()).to.equal(NEVER);
  });

  it('refuses to restore a state that does not fit its steps, and stays idle', () => {
    for (const misfit of [
      { at: 2, counts: [1, 1], firstMs: 5000, lastMs: 6000, total: 2, uuids: ['a', 'b'] },
      { at: 3, counts: [1, 1, 1], firstMs: 5000, lastMs: 6000, total: 3, uuids: ['a'] },
      { at: 0, counts: [1], firstMs: 5000, lastMs: 5000, total: 1, uuids: ['a'] },
      { at: 1, counts: [1, 1, 0], firstMs: 5000, lastMs: 6000, total: 2, uuids: ['a', 'b'] },
    ]) {
      const c = sequence([1, 1]);
      c.restore(SequenceCorrelator.state.parse(misfit));
      expect(c.snapshot(), JSON.stringify(misfit)).to.deep.equal(idle());
    }
  });

  it('restores at most maxUuids uuids', () => {
    const c = sequence([4, 1], { maxUuids: 2 });
    c.restore({ at: 0, counts: [3, 0], firstMs: 0, lastMs: 2000, total: 3, uuids: ['a', 'b', 'c'] });
    expect(c.snapshot()).to.deep.equal({ at: 0, counts: [3, 0], firstMs: 0, lastMs: 2000, total: 3, uuids: ['b', 'c'] });
  });

  it('refuses malformed state', () => {
    const good = { at: 0, counts: [1, 0], firstMs: 0, lastMs: 0, total: 1, uuids: ['a'] };
    expect(SequenceCorrelator.state.safeParse(good)).to.deep.include({ success: true, data: good });
    for (const bad of [
      { ...good, at: -2 },
      { ...good, at: 0.5 },
      { ...good, counts: [-1, 0] },
      { ...good, total: -1 },
      { ...good, uuids: [1] },
      { ...good, extra: 1 },
    ]) {
      expect(SequenceCorrelator.state.safeParse(bad).success, JSON.stringify(bad)).to.equal(false);
    }
  });
});

describe('aggregate correlator', () => {
  /** Every aggregate kind, in this order of facts: count with match, count without, distinct, sum, min, max, values. */
  const ALL_KINDS = {
    pushes: { count: { match: { '==': [{ var: 'eventType' }, 'push'] } } },
    events: { count: {} },
    ips: { distinct: 'client.ipAddress' },
    total: { sum: 'n' },
    low: { min: 'n' },
    high: { max: 'm' },
    seen: { values: 'client.ipAddress' },
  };
  const atLeast = (n: number) => ({ '>=': [{ var: 'n' }, n] });
  const countOnly = (n: number) => aggregate({ n: { count: {} } }, atLeast(n));
  const idle = (firstMs: number, lastMs: number) => ({ start: -1, count: 0, firstMs, lastMs, uuids: [], acc: [] });

  it('judges a window when an event arrives at its end, fires with the closed window, and opens the next window at that event', () => {
    const c = countOnly(2);
    expect(feed(c, item(0, 'a', [true]), item(WINDOW - 1, 'b', [true]))).to.deep.equal([undefined, undefined]);
    expect(c.snapshot()).to.deep.equal({ start: 0, count: 2, firstMs: 0, lastMs: WINDOW - 1, uuids: ['a', 'b'], acc: [2] });
    expect(c.add(item(WINDOW, 'c', [true]))).to.deep.equal({ groupKey: 'g', count: 2, firstMs: 0, lastMs: WINDOW - 1, uuids: ['a', 'b'] });
    expect(c.snapshot()).to.deep.equal({ start: WINDOW, count: 1, firstMs: WINDOW, lastMs: WINDOW, uuids: ['c'], acc: [1] });
    expect(c.deadline()).to.equal(2 * WINDOW);
  });

  it('does not fire when the condition is false at the end of the window', () => {
    const c = countOnly(2);
    expect(feed(c, item(0, 'a', [true]), item(WINDOW, 'b', [true]))).to.deep.equal([undefined, undefined]);
    expect(c.snapshot()).to.deep.equal({ start: WINDOW, count: 1, firstMs: WINDOW, lastMs: WINDOW, uuids: ['b'], acc: [1] });
  });

  it('starts each window with counts and sums at 0, min and max unset and no distinct values', () => {
    const c = aggregate(ALL_KINDS, true);
    c.add(item(0, 'a', [false, true, null, null, null, null, null]));
    expect(c.values()).to.deep.equal({ pushes: 0, events: 1, ips: 0, total: 0, low: null, high: null, seen: [] });
    expect(c.snapshot()).to.deep.equal({ start: 0, count: 1, firstMs: 0, lastMs: 0, uuids: ['a'], acc: [0, 1, [], 0, null, null, []] });
  });

  it('keeps every aggregate kind running, skipping missing and non-numeric values', () => {
    const c = aggregate(ALL_KINDS, true);
    feed(
      c,
      item(0, 'a', [true, true, '10.0.0.1', 5, 5, -5, '10.0.0.1']),
      item(1000, 'b', [false, true, '10.0.0.2', '3', '3', '-3', '10.0.0.2']),
      item(2000, 'c', [true, true, '10.0.0.1', null, null, null, '10.0.0.1']),
      item(3000, 'd', [false, true, null, 'abc', 'abc', 'abc', null]),
      item(4000, 'e', [false, true, undefined, undefined, undefined, undefined, undefined]),
      item(5000, 'f', [false, true, { ip: 1 }, 9, 9, -9, 7]),
      item(6000, 'g', [false, true, '10.0.0.2', Number.POSITIVE_INFINITY, Number.NaN, Number.NEGATIVE_INFINITY, '10.0.0.2']),
    );
    expect(c.values()).to.deep.equal({ pushes: 2, events: 7, ips: 3, total: 17, low: 3, high: -3, seen: ['10.0.0.1', '10.0.0.2', 7] });
    expect(c.snapshot()).to.deep.equal({
      start: 0,
      count: 7,
      firstMs: 0,
      lastMs: 6000,
      uuids: ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
      acc: [2, 7, ['"10.0.0.1"', '"10.0.0.2"', '{"ip":1}'], 17, 3, -3, ['"10.0.0.1"', '"10.0.0.2"', '7']],
    });
  });

  it('counts min over positive values and max over negative ones from the first value on', () => {
    const c = aggregate({ low: { min: 'n' }, high: { max: 'n' } }, true);
    feed(c, item(0, 'a', [5, -5]), item(1000, 'b', [3, -3]), item(2000, 'c', [9, -9]), item(3000, 'd', [null, null]));
    expect(c.values()).to.deep.equal({ low: 3, high: -3 });
  });

  it('lets the condition see the aggregates by name, and fires only when it holds', () => {
    const condition = {
      and: [
        { '==': [{ var: 'pushes' }, 2] },
        { '==': [{ var: 'events' }, 3] },
        { '==': [{ var: 'ips' }, 2] },
        { '==': [{ var: 'total' }, 8] },
        { '==': [{ var: 'low' }, 3] },
        { '==': [{ var: 'high' }, -3] },
        { in: ['10.0.0.2', { var: 'seen' }] },
      ],
    };
    const fires = aggregate(ALL_KINDS, condition);
    const misses = aggregate(ALL_KINDS, condition);
    const events = [
      item(0, 'a', [true, true, '10.0.0.1', 5, 5, -5, '10.0.0.1']),
      item(1000, 'b', [true, true, '10.0.0.2', 3, 3, -3, '10.0.0.2']),
      item(2000, 'c', [false, true, '10.0.0.1', null, null, null, '10.0.0.1']),
    ];
    feed(fires, ...events);
    feed(misses, ...events.slice(0, 2));
    expect(fires.add(item(WINDOW, 'd', [false, true, null, null, null, null, null]))).to.deep.equal({
      groupKey: 'g',
      count: 3,
      firstMs: 0,
      lastMs: 2000,
      uuids: ['a', 'b', 'c'],
    });
    expect(misses.add(item(WINDOW, 'd', [false, true, null, null, null, null, null]))).to.equal(undefined);
  });

  it('keeps at most maxDistinct distinct values, and at most 100 listed values', () => {
    const small = aggregate({ ips: { distinct: 'ip' }, seen: { values: 'ip' } }, true, { maxDistinct: 3 });
    for (let i = 0; i < 5; i++) small.add(item(i, `u${i}`, [`v${i}`, `v${i}`]));
    expect(small.values()).to.deep.equal({ ips: 3, seen: ['v0', 'v1', 'v2'] });

    const large = aggregate({ ips: { distinct: 'ip' }, seen: { values: 'ip' } }, true, { maxDistinct: 200 });
    for (let i = 0; i < 150; i++) large.add(item(i, `u${i}`, [i, i]));
    expect(large.values()).to.deep.equal({ ips: 150, seen: Array.from({ length: 100 }, (_, i) => i) });
  });

  it('lists only the newest maxUuids uuids while counting every event', () => {
    const c = aggregate({ n: { count: {} } }, atLeast(1), { maxUuids: 2 });
    feed(c, item(0, 'a', [true]), item(1000, 'b', [true]), item(2000, 'c', [true]));
    expect(c.finish()).to.deep.equal({ groupKey: 'g', count: 3, firstMs: 0, lastMs: 2000, uuids: ['b', 'c'] });
  });

  it('has its deadline at the end of its open window, and none when idle', () => {
    const c = countOnly(1);
    expect(c.deadline()).to.equal(NEVER);
    c.add(item(0, 'a', [true]));
    expect(c.deadline()).to.equal(WINDOW);
    c.add(item(5000, 'b', [true]));
    expect(c.deadline()).to.equal(WINDOW);
    c.expire(WINDOW);
    expect(c.deadline()).to.equal(NEVER);
  });

  it('on expiry closes the window once the watermark reaches its end, judging it, and is done', () => {
    const idleOne = countOnly(1);
    expect(idleOne.expire(0)).to.deep.equal({ done: true });
    expect(idleOne.expire(WINDOW)).to.deep.equal({ done: true });

    const c = countOnly(1);
    feed(c, item(0, 'a', [true]), item(3000, 'b', [true]));
    expect(c.expire(WINDOW - 1)).to.deep.equal({ done: false });
    expect(c.snapshot()).to.deep.equal({ start: 0, count: 2, firstMs: 0, lastMs: 3000, uuids: ['a', 'b'], acc: [2] });
    expect(c.expire(WINDOW)).to.deep.equal({ fire: { groupKey: 'g', count: 2, firstMs: 0, lastMs: 3000, uuids: ['a', 'b'] }, done: true });
    expect(c.snapshot()).to.deep.equal(idle(0, 3000));
    expect(c.expire(WINDOW + 1)).to.deep.equal({ done: true });

    const quiet = countOnly(3);
    quiet.add(item(0, 'a', [true]));
    expect(quiet.expire(WINDOW)).to.deep.equal({ fire: undefined, done: true });
    expect(quiet.snapshot()).to.deep.equal(idle(0, 0));
  });

  it('opens a fresh window for the next event after a window closed on expiry', () => {
    const c = countOnly(2);
    c.add(item(0, 'a', [true]));
    c.expire(WINDOW);
    expect(c.add(item(WINDOW + 500, 'b', [true]))).to.equal(undefined);
    expect(c.snapshot()).to.deep.equal({ start: WINDOW + 500, count: 1, firstMs: WINDOW + 500, lastMs: WINDOW + 500, uuids: ['b'], acc: [1] });
    expect(c.add(item(WINDOW + 600, 'c', [true]))).to.equal(undefined);
    expect(c.finish()).to.deep.equal({ groupKey: 'g', count: 2, firstMs: WINDOW + 500, lastMs: WINDOW + 600, uuids: ['b', 'c'] });
  });

  it('judges the open window at finish, and decides nothing when idle', () => {
    expect(countOnly(1).finish()).to.equal(undefined);

    const c = countOnly(1);
    c.add(item(0, 'a', [true]));
    expect(c.finish()).to.deep.equal({ groupKey: 'g', count: 1, firstMs: 0, lastMs: 0, uuids: ['a'] });
    expect(c.snapshot()).to.deep.equal(idle(0, 0));
    expect(c.finish()).to.equal(undefined);

    const quiet = countOnly(2);
    quiet.add(item(0, 'a', [true]));
    expect(quiet.finish()).to.equal(undefined);
  });

  it('never fires for a restored window without events, whatever its condition says', () => {
    const none = aggregate({ n: { count: {} } }, { '==': [{ var: 'n' }, 0] });
    none.restore(AggregateCorrelator.state.parse({ start: 0, count: 0, firstMs: 0, lastMs: 0, uuids: [], acc: [0] }));
    expect(none.finish()).to.equal(undefined);

    const one = aggregate({ n: { count: {} } }, { '==': [{ var: 'n' }, 0] });
    one.restore(AggregateCorrelator.state.parse({ start: 0, count: 1, firstMs: 0, lastMs: 0, uuids: ['a'], acc: [0] }));
    expect(one.finish()).to.deep.equal({ groupKey: 'g', count: 1, firstMs: 0, lastMs: 0, uuids: ['a'] });
  });

  it('restored from its snapshot into a new group, carries on exactly as the original', () => {
    const original = aggregate(ALL_KINDS, true);
    feed(original, item(0, 'a', [true, true, '10.0.0.1', 5, 5, -5, '10.0.0.1']), item(1000, 'b', [false, true, '10.0.0.2', 3, 3, -3, '10.0.0.2']));
    const saved = original.snapshot();
    expect(saved).to.deep.equal({
      start: 0,
      count: 2,
      firstMs: 0,
      lastMs: 1000,
      uuids: ['a', 'b'],
      acc: [1, 2, ['"10.0.0.1"', '"10.0.0.2"'], 8, 3, -3, ['"10.0.0.1"', '"10.0.0.2"']],
    });

    const restored = aggregate(ALL_KINDS, true);
    restored.restore(AggregateCorrelator.state.parse(JSON.parse(JSON.stringify(saved))));
    expect(restored.snapshot()).to.deep.equal(saved);
    expect(restored.values()).to.deep.equal(original.values());
    expect(restored.deadline()).to.equal(WINDOW);
    const next = item(2000, 'c', [true, true, '10.0.0.1', 1, 1, -1, '10.0.0.3']);
    restored.add(next);
    original.add(next);
    expect(restored.values()).to.deep.equal({ pushes: 2, events: 3, ips: 2, total: 9, low: 1, high: -1, seen: ['10.0.0.1', '10.0.0.2', '10.0.0.3'] });
    const expected = { groupKey: 'g', count: 3, firstMs: 0, lastMs: 2000, uuids: ['a', 'b', 'c'] };
    expect(restored.add(item(WINDOW, 'd', [false, true, null, null, null, null, null]))).to.deep.equal(expected);
    expect(original.add(item(WINDOW, 'd', [false, true, null, null, null, null, null]))).to.deep.equal(expected);
  });

  it('restores an idle snapshot as it is', () => {
    const c = aggregate(ALL_KINDS, true);
    c.restore(AggregateCorrelator.state.parse(idle(5000, 6000)));
    expect(c.snapshot()).to.deep.equal(idle(5000, 6000));
    expect(c.deadline()).to.equal(NEVER);
    expect(c.finish()).to.equal(undefined);
  });

  it('refuses to restore a window whose aggregates do not fit its kinds, and stays idle', () => {
    const kinds = { n: { count: {} }, total: { sum: 'x' }, low: { min: 'x' }, high: { max: 'x' }, ips: { distinct: 'x' }, seen: { values: 'x' } };
    const valid = { start: 0, count: 1, firstMs: 0, lastMs: 0, uuids: ['a'], acc: [1, 5, null, null, ['"x"'], ['"x"']] };
    const fits = aggregate(kinds, true);
    fits.restore(AggregateCorrelator.state.parse(valid));
    expect(fits.snapshot()).to.deep.equal(valid);

    const fitsNumbers = aggregate(kinds, true);
    const numbers = { ...valid, acc: [1, 5, 4, 6, ['"x"'], ['"x"']] };
    fitsNumbers.restore(AggregateCorrelator.state.parse(numbers));
    expect(fitsNumbers.snapshot()).to.deep.equal(numbers);

    const fresh = { start: -1, count: 0, firstMs: 0, lastMs: 0, uuids: [], acc: [] };
    for (const acc of [
      [null, 5, null, null, ['"x"'], ['"x"']],
      [[], 5, null, null, ['"x"'], ['"x"']],
      [1, null, null, null, ['"x"'], ['"x"']],
      [1, ['"x"'], null, null, ['"x"'], ['"x"']],
      [1, 5, ['"x"'], null, ['"x"'], ['"x"']],
      [1, 5, null, ['"x"'], ['"x"'], ['"x"']],
      [1, 5, null, null, 1, ['"x"']],
      [1, 5, null, null, ['"x"'], null],
      [1, 5, null, null, ['"x"']],
      [1, 5, null, null, ['"x"'], ['"x"'], 0],
    ]) {
      const c = aggregate(kinds, true);
      c.restore(AggregateCorrelator.state.parse({ ...valid, acc }));
      expect(c.snapshot(), JSON.stringify(acc)).to.deep.equal(fresh);
    }
  });

  it('restores at most maxUuids uuids and maxDistinct values per set', () => {
    const c = aggregate({ ips: { distinct: 'ip' }, seen: { values: 'ip' } }, true, { maxUuids: 2, maxDistinct: 2 });
    c.restore({
      start: 0,
      count: 3,
      firstMs: 0,
      lastMs: 2000,
      uuids: ['a', 'b', 'c'],
      acc: [
        ['"x"', '"y"', '"z"'],
        ['"x"', '"y"', '"z"'],
      ],
    });
    expect(c.snapshot()).to.deep.equal({
      start: 0,
      count: 3,
      firstMs: 0,
      lastMs: 2000,
      uuids: ['b', 'c'],
      acc: [
        ['"x"', '"y"'],
        ['"x"', '"y"'],
      ],
    });
  });

  it('refuses malformed state', () => {
    const good = { start: 0, count: 1, firstMs: 0, lastMs: 0, uuids: ['a'], acc: [1, null, ['"x"']] };
    expect(AggregateCorrelator.state.safeParse(good)).to.deep.include({ success: true, data: good });
    for (const bad of [
      { ...good, count: -1 },
      { ...good, count: 1.5 },
      { ...good, acc: ['x'] },
      { ...good, acc: [{ n: 1 }] },
      { ...good, acc: [[1]] },
      { ...good, uuids: [1] },
      { ...good, extra: 1 },
      { start: 0, count: 1, firstMs: 0, lastMs: 0, uuids: [] },
    ]) {
      expect(AggregateCorrelator.state.safeParse(bad).success, JSON.stringify(bad)).to.equal(false);
    }
  });
});

describe('boundTo', () => {
  it("gives every instance its rule's spec and limits through the prototype, one subclass per rule", () => {
    const five = { spec: spec({ type: 'threshold', window: '10s', count: 5 }), limits: LIMITS };
    const two = { spec: spec({ type: 'threshold', window: '1m', count: 2 }), limits: { maxUuids: 3, maxDistinct: 4 } };
    const Five = boundTo(ThresholdCorrelator, five);
    const Two = boundTo(ThresholdCorrelator, two);
    const a = new Five() as ThresholdCorrelator;
    const b = new Five() as ThresholdCorrelator;
    const c = new Two() as ThresholdCorrelator;
    expect(a).to.be.instanceOf(ThresholdCorrelator);
    expect(a.spec).to.deep.equal({ type: 'threshold', window: 10_000, count: 5 });
    expect(c.spec).to.deep.equal({ type: 'threshold', window: 60_000, count: 2 });
    expect(a.shape).to.equal(five);
    expect(b.shape).to.equal(five);
    expect(c.shape).to.equal(two);
    expect(Object.keys(a)).to.not.include('shape');
    expect((Five as unknown as { state: unknown }).state).to.equal(ThresholdCorrelator.state);

    const distinct = { spec: spec({ type: 'value_count', window: '10s', field: 'f', distinct: 4 }), limits: LIMITS };
    const v = new (boundTo(ValueCountCorrelator, distinct))() as ValueCountCorrelator;
    expect(v).to.be.instanceOf(ValueCountCorrelator);
    expect(v.spec).to.deep.equal({ type: 'value_count', window: 10_000, field: 'f', distinct: 4 });
  });
});

describe('events without a uuid', () => {
  // '' is the correlators' own marker for a blanked uuid; an Okta event without a uuid still counts
  // (the engine accepts map bodies with an eventType and no uuid).
  it('count toward a threshold and toward value_count like any other event', () => {
    const t = threshold(2);
    t.add(item(0, ''));
    expect(t.add(item(1000, 'b'))).to.deep.equal({ groupKey: 'g', count: 2, firstMs: 0, lastMs: 1000, uuids: ['b'] });

    const v = valueCount(2);
    v.add(item(0, '', 'x'));
    expect(v.add(item(1000, 'b', 'y'))).to.deep.equal({ groupKey: 'g', count: 2, firstMs: 0, lastMs: 1000, uuids: ['b'] });
  });

  it('keep their group open until its window ends', () => {
    const t = threshold(2);
    t.add(item(0, ''));
    expect(t.expire(500).done).to.equal(false);
    const v = valueCount(2);
    v.add(item(0, '', 'x'));
    expect(v.expire(500).done).to.equal(false);
  });
});
