import type { Evaluator } from '@oktel/jsonlogic';
import { truthy } from '@oktel/jsonlogic';
import { z } from 'zod';
import type { Correlate } from '../rules/rule-schema.js';
import type { GroupEntities } from './group-entities.js';
import type { CorrelationItem, Fire } from './item.js';

/** Per-group bounds shared by every correlator. */
export interface GroupLimits {
  /** Contributing uuids kept per group: what an alert can list, no more. */
  maxUuids: number;
  /** Distinct values kept per aggregate `distinct`/`values` (beyond: counted as saturated). */
  maxDistinct: number;
}

/**
 * Per-group state of one kind of correlation. Items arrive in event-time order. State is kept
 * compact — times, a capped list of uuids, running aggregates — never the events themselves.
 */
export interface Correlator {
  /** The group key, kept here so the expiry heap holds the correlator itself (no entry object per group). */
  key: string;
  /**
   * Windowed types: the entities of the group's events since its last alert, kept by the rule
   * (StatefulRule) on the group itself rather than in a second map keyed by the group.
   */
  entities?: GroupEntities | undefined;
  add(item: CorrelationItem): Fire | undefined;
  /** The event time after which this group can no longer change (its expiry key). */
  deadline(): number;
  /** Event time has reached `watermark`: close what can no longer change. */
  expire(watermark: number): { fire?: Fire; done: boolean };
  /** The pipeline is stopping: a final decision for what is open. */
  finish(): Fire | undefined;
  snapshot(): unknown;
  /**
   * aggregate and sequence: where the window or partial sequence being collected for began. A
   * change across `add` means that event closed or dropped it, so what the group collected for an
   * alert belongs to what came before. The other types' alerts always include the event that fires them.
   */
  collectionStart?(): number;
}

function pushCapped(list: string[], uuid: string, cap: number): void {
  list.push(uuid);
  if (list.length > cap) list.splice(0, list.length - cap);
}

/** What every group of one rule shares: one pointer per group instead of two. */
export interface RuleShape<S> {
  spec: S;
  limits: GroupLimits;
}

const NO_EVENTS: readonly (number | string)[] = Object.freeze([]);

/**
 * No event kept. A single inline event is its uuid string, which may be empty (an event without
 * a uuid still counts), so emptiness is "an empty array", never a length of zero.
 */
function isEmpty(ev: readonly (number | string)[] | string): boolean {
  return typeof ev !== 'string' && ev.length === 0;
}

/**
 * A subclass of `base` whose instances all see `shape` through their prototype: the rule's spec
 * and limits cost nothing per group.
 */
export function boundTo(base: new () => Correlator, shape: RuleShape<unknown>): new () => Correlator {
  const bound = class extends (base as new (...args: unknown[]) => Correlator) {};
  Object.defineProperty(bound.prototype, 'shape', { value: shape });
  return bound;
}

/**
 * What threshold and value_count share. A group's events are one flat array of `stride` fields
 * per event, oldest first, with the time second to last and the uuid last in each event (one
 * allocation, no object per event); a group of one event keeps no array at all: its uuid in `ev`,
 * its time in `t`. Kept fields only (no private members: a class with private methods gives every
 * instance a hidden brand slot, 8 bytes per group).
 */
abstract class FlatWindowCorrelator {
  key = '';
  entities: GroupEntities | undefined = undefined;
  /** One event: its uuid here and its time in `t`; more: the flat array. */
  ev: (number | string)[] | string = NO_EVENTS as (number | string)[];
  t = 0;
  /** On the prototype of a per-rule subclass (see `boundTo`): no pointer per group. */
  declare readonly shape: RuleShape<{ window: number }>;

  get spec(): this['shape']['spec'] {
    return this.shape.spec;
  }
  deadline(): number {
    if (typeof this.ev === 'string') return this.t + this.shape.spec.window;
    return this.ev.length > 0 ? (this.ev[this.ev.length - 2] as number) + this.shape.spec.window : Number.NEGATIVE_INFINITY;
  }
  expire(watermark: number) {
    return { done: this.deadline() < watermark || isEmpty(this.ev) };
  }
  finish(): undefined {
    return undefined;
  }

  /**
   * Drops the events older than the window before `item` (already appended to `ev`); once
   * `needed` remain, fires with them and starts the group over.
   */
  protected fireWhenFull(ev: (number | string)[], stride: number, item: CorrelationItem, needed: number): Fire | undefined {
    const timeAt = stride - 2;
    let drop = 0;
    while (drop < ev.length && (ev[drop + timeAt] as number) < item.ms - this.shape.spec.window) drop += stride;
    if (drop > 0) ev.splice(0, drop);
    if (ev.length / stride < needed) return undefined;
    const result: Fire = {
      groupKey: item.groupKey,
      count: ev.length / stride,
      firstMs: ev[timeAt] as number,
      lastMs: item.ms,
      uuids: uuidsOf(ev, stride, stride - 1, this.shape.limits.maxUuids),
    };
    this.ev = NO_EVENTS as (number | string)[];
    return result;
  }
}

/**
 * threshold: at least `count` matching events in any `window`. Keeps at most `count` events as
 * `[time, uuid, time, uuid, …]`; uuids older than the newest max_alert_event_uuids are blanked.
 */
export class ThresholdCorrelator extends FlatWindowCorrelator implements Correlator {
  declare readonly shape: RuleShape<Extract<Correlate, { type: 'threshold' }>>;
  add(item: CorrelationItem): Fire | undefined {
    const { count } = this.shape.spec;
    if (isEmpty(this.ev) && count > 1) {
      this.ev = item.uuid;
      this.t = item.ms;
      return undefined;
    }
    const ev = thresholdEvents(this);
    this.ev = ev;
    ev.push(item.ms, item.uuid);
    const blank = ev.length - 2 * this.shape.limits.maxUuids - 1;
    if (blank > 0) ev[blank] = '';
    return this.fireWhenFull(ev, 2, item, count);
  }
  snapshot() {
    const ev = thresholdEvents(this);
    const times: number[] = [];
    for (let i = 0; i < ev.length; i += 2) times.push(ev[i] as number);
    return { times, uuids: uuidsOf(ev, 2, 1, this.shape.limits.maxUuids) };
  }
  static readonly state = z.strictObject({ times: z.array(z.number()), uuids: z.array(z.string()) });
  restore(state: z.output<typeof ThresholdCorrelator.state>): void {
    const times = state.times.slice(-this.shape.spec.count);
    const uuids = state.uuids.slice(-Math.min(this.shape.limits.maxUuids, times.length));
    const ev: (number | string)[] = [];
    times.forEach((t, i) => ev.push(t, uuids[i - (times.length - uuids.length)] ?? ''));
    this.ev = ev.length > 0 ? ev : (NO_EVENTS as (number | string)[]);
  }
}

/** A threshold group's events as a flat array (a single inline event is expanded). */
function thresholdEvents(c: ThresholdCorrelator): (number | string)[] {
  return typeof c.ev === 'string' ? [c.t, c.ev] : c.ev.length === 0 ? [] : c.ev;
}

/** A value_count group's sightings as a flat array (a single inline one is expanded). */
function valueCountEvents(c: ValueCountCorrelator): (number | string)[] {
  return typeof c.ev === 'string' ? [c.v, c.t, c.ev] : c.ev.length === 0 ? [] : c.ev;
}

/** The non-blank uuids of a flat event array (`stride` fields per event, uuid at `offset`), the newest `max`. */
function uuidsOf(ev: readonly (number | string)[], stride: number, offset: number, max: number): string[] {
  const out: string[] = [];
  for (let i = offset; i < ev.length; i += stride) if (ev[i] !== '') out.push(ev[i] as string);
  return out.length > max ? out.slice(-max) : out;
}

/**
 * value_count: at least `distinct` different values of `field` in any `window`. Keeps at most
 * `distinct` values as `[value, time, uuid, …]`, oldest sighting first; a group of one value
 * keeps it in `v`.
 */
export class ValueCountCorrelator extends FlatWindowCorrelator implements Correlator {
  v = '';
  declare readonly shape: RuleShape<Extract<Correlate, { type: 'value_count' }>>;
  add(item: CorrelationItem): Fire | undefined {
    if (item.facts === null || item.facts === undefined) return undefined;
    const { distinct } = this.shape.spec;
    const value = typeof item.facts === 'string' ? item.facts : JSON.stringify(item.facts);
    if (distinct > 1 && (isEmpty(this.ev) || (typeof this.ev === 'string' && this.v === value))) {
      this.ev = item.uuid;
      this.v = value;
      this.t = item.ms;
      return undefined;
    }
    const ev = valueCountEvents(this);
    this.ev = ev;
    for (let i = 0; i < ev.length; i += 3) {
      if (ev[i] === value) {
        ev.splice(i, 3);
        break;
      }
    }
    ev.push(value, item.ms, item.uuid);
    return this.fireWhenFull(ev, 3, item, distinct);
  }
  snapshot() {
    const ev = valueCountEvents(this);
    const values: string[] = [];
    const times: number[] = [];
    const uuids: string[] = [];
    for (let i = 0; i < ev.length; i += 3) {
      values.push(ev[i] as string);
      times.push(ev[i + 1] as number);
      uuids.push(ev[i + 2] as string);
    }
    return { values, times, uuids };
  }
  static readonly state = z
    .strictObject({ values: z.array(z.string()), times: z.array(z.number()), uuids: z.array(z.string()) })
    .refine((s) => s.values.length === s.times.length && s.times.length === s.uuids.length, 'values, times and uuids differ in length');
  restore(state: z.output<typeof ValueCountCorrelator.state>): void {
    const keep = Math.max(0, state.values.length - this.shape.spec.distinct);
    const ev: (number | string)[] = [];
    for (let i = keep; i < state.values.length; i++) ev.push(state.values[i]!, state.times[i]!, state.uuids[i]!);
    this.ev = ev.length > 0 ? ev : (NO_EVENTS as (number | string)[]);
  }
}

/**
 * sequence: the steps in order, each at least `min_count` times, all within `window` of the
 * sequence's first event (Elastic EQL `sequence … with maxspan` and `runs`). An expired partial
 * sequence is dropped, and the current event may start a new one. Keeps counts, not events.
 */
export class SequenceCorrelator implements Correlator {
  key = '';
  entities: GroupEntities | undefined = undefined;
  at = -1;
  counts: number[] = [];
  firstMs = 0;
  lastMs = 0;
  total = 0;
  uuids: string[] = [];
  constructor(
    readonly spec: Extract<Correlate, { type: 'sequence' }>,
    readonly limits: GroupLimits,
  ) {}
  add(item: CorrelationItem): Fire | undefined {
    const steps = item.facts as number[];
    const n = this.spec.steps.length;
    if (this.at >= 0 && item.ms - this.firstMs > this.spec.window) this.#reset();
    if (this.at < 0) {
      if (!steps.includes(0)) return undefined;
      this.at = 0;
      this.counts = new Array<number>(n).fill(0);
      this.firstMs = item.ms;
    }
    if (this.at + 1 < n && this.counts[this.at]! >= this.spec.steps[this.at]!.min_count && steps.includes(this.at + 1)) this.at++;
    if (!steps.includes(this.at)) return undefined;
    this.counts[this.at]!++;
    this.total++;
    this.lastMs = item.ms;
    pushCapped(this.uuids, item.uuid, this.limits.maxUuids);
    if (this.at === n - 1 && this.counts[this.at]! >= this.spec.steps[this.at]!.min_count) {
      const result: Fire = { groupKey: item.groupKey, count: this.total, firstMs: this.firstMs, lastMs: this.lastMs, uuids: this.uuids };
      this.#reset();
      return result;
    }
    return undefined;
  }
  #reset(): void {
    this.at = -1;
    this.counts = [];
    this.total = 0;
    this.uuids = [];
  }
  collectionStart(): number {
    return this.at >= 0 ? this.firstMs : Number.NEGATIVE_INFINITY;
  }
  deadline(): number {
    return this.at >= 0 ? this.firstMs + this.spec.window : Number.NEGATIVE_INFINITY;
  }
  expire(watermark: number) {
    if (this.at >= 0 && watermark - this.firstMs > this.spec.window) this.#reset();
    return { done: this.at < 0 };
  }
  finish(): undefined {
    return undefined;
  }
  snapshot() {
    return { at: this.at, counts: this.counts, firstMs: this.firstMs, lastMs: this.lastMs, total: this.total, uuids: this.uuids };
  }
  static readonly state = z.strictObject({
    at: z.number().int().min(-1),
    counts: z.array(z.number().int().nonnegative()),
    firstMs: z.number(),
    lastMs: z.number(),
    total: z.number().int().nonnegative(),
    uuids: z.array(z.string()),
  });
  restore(state: z.output<typeof SequenceCorrelator.state>): void {
    const n = this.spec.steps.length;
    if (state.at >= n || (state.at >= 0 && state.counts.length !== n)) return;
    Object.assign(this, {
      at: state.at,
      counts: state.counts,
      firstMs: state.firstMs,
      lastMs: state.lastMs,
      total: state.total,
      uuids: state.uuids.slice(-this.limits.maxUuids),
    });
  }
}

type AggregateSpec = Extract<Correlate, { type: 'aggregate' }>['aggregates'][string];
type Accumulator = number | null | string[];

/**
 * aggregate: named aggregates per group over tumbling windows, judged by a JsonLogic condition
 * when the window closes. Kept as running aggregates (a count, a sum, a capped set of distinct
 * values), so a group costs the same whatever the number of events in its window.
 */
export class AggregateCorrelator implements Correlator {
  start = -1;
  count = 0;
  firstMs = 0;
  lastMs = 0;
  uuids: string[] = [];
  acc: Accumulator[] = [];
  key = '';
  entities: GroupEntities | undefined = undefined;
  readonly #kinds: string[];
  constructor(
    readonly spec: Extract<Correlate, { type: 'aggregate' }>,
    readonly condition: Evaluator,
    readonly limits: GroupLimits,
  ) {
    this.#kinds = Object.values(spec.aggregates).map((a: AggregateSpec) => Object.keys(a)[0]!);
  }

  #open(ms: number): void {
    this.start = ms;
    this.count = 0;
    this.firstMs = ms;
    this.uuids = [];
    this.acc = this.#kinds.map((kind) => (kind === 'count' || kind === 'sum' ? 0 : kind === 'distinct' || kind === 'values' ? [] : null));
  }

  add(item: CorrelationItem): Fire | undefined {
    let closed: Fire | undefined;
    if (this.start >= 0 && item.ms >= this.start + this.spec.window) closed = this.#close(item.groupKey);
    if (this.start < 0) this.#open(item.ms);
    this.count++;
    this.lastMs = item.ms;
    pushCapped(this.uuids, item.uuid, this.limits.maxUuids);
    const facts = item.facts as unknown[];
    this.#kinds.forEach((kind, i) => {
      const fact = facts[i];
      const acc = this.acc[i];
      if (kind === 'count') {
        if (fact === true) this.acc[i] = (acc as number) + 1;
      } else if (kind === 'distinct' || kind === 'values') {
        if (fact === null || fact === undefined) return;
        const key = JSON.stringify(fact);
        const set = acc as string[];
        const cap = kind === 'values' ? Math.min(100, this.limits.maxDistinct) : this.limits.maxDistinct;
        if (set.length < cap && !set.includes(key)) set.push(key);
      } else {
        const x = Number(fact);
        if (fact === null || fact === undefined || !Number.isFinite(x)) return;
        if (kind === 'sum') this.acc[i] = (acc as number) + x;
        else if (kind === 'min') this.acc[i] = acc === null ? x : Math.min(acc as number, x);
        else this.acc[i] = acc === null ? x : Math.max(acc as number, x);
      }
    });
    return closed;
  }

  /** The aggregate values of the open window, by name: what the condition sees. */
  values(): Record<string, unknown> {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    Object.keys(this.spec.aggregates).forEach((name, i) => {
      const kind = this.#kinds[i]!;
      const acc = this.acc[i]!;
      out[name] = kind === 'distinct' ? (acc as string[]).length : kind === 'values' ? (acc as string[]).map((k) => JSON.parse(k) as unknown) : acc;
    });
    return out;
  }

  #close(groupKey: string): Fire | undefined {
    const matched = this.count > 0 && truthy(this.condition(this.values()));
    const result: Fire | undefined = matched ? { groupKey, count: this.count, firstMs: this.firstMs, lastMs: this.lastMs, uuids: this.uuids } : undefined;
    this.start = -1;
    this.count = 0;
    this.uuids = [];
    this.acc = [];
    return result;
  }

  collectionStart(): number {
    return this.start;
  }

  deadline(): number {
    return this.start >= 0 ? this.start + this.spec.window : Number.NEGATIVE_INFINITY;
  }

  expire(watermark: number) {
    if (this.start >= 0 && watermark >= this.start + this.spec.window) return { fire: this.#close(this.key), done: true };
    return { done: this.start < 0 };
  }

  finish(): Fire | undefined {
    return this.start >= 0 ? this.#close(this.key) : undefined;
  }

  snapshot() {
    return { start: this.start, count: this.count, firstMs: this.firstMs, lastMs: this.lastMs, uuids: this.uuids, acc: this.acc };
  }
  static readonly state = z.strictObject({
    start: z.number(),
    count: z.number().int().nonnegative(),
    firstMs: z.number(),
    lastMs: z.number(),
    uuids: z.array(z.string()),
    acc: z.array(z.union([z.number(), z.null(), z.array(z.string())])),
  });
  restore(state: z.output<typeof AggregateCorrelator.state>): void {
    if (state.start >= 0 && state.acc.length !== this.#kinds.length) return;
    const ok = state.acc.every((a, i) => {
      const kind = this.#kinds[i];
      return kind === 'distinct' || kind === 'values' ? Array.isArray(a) : !Array.isArray(a) && (a !== null || kind === 'min' || kind === 'max');
    });
    if (!ok) return;
    Object.assign(this, {
      start: state.start,
      count: state.count,
      firstMs: state.firstMs,
      lastMs: state.lastMs,
      uuids: state.uuids.slice(-this.limits.maxUuids),
      acc: state.acc.map((a) => (Array.isArray(a) ? a.slice(0, this.limits.maxDistinct) : a)),
    });
  }
}
