import type { Evaluator } from '@oktel/jsonlogic';
import { truthy } from '@oktel/jsonlogic';
import { z } from 'zod';
import type { Correlate } from '../rules/rule-schema.js';
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
  add(item: CorrelationItem): Fire | undefined;
  /** The event time after which this group can no longer change (its expiry key). */
  deadline(): number;
  /** Event time has reached `watermark`: close what can no longer change. */
  expire(watermark: number): { fire?: Fire; done: boolean };
  /** The pipeline is stopping: a final decision for what is open. */
  finish(): Fire | undefined;
  snapshot(): unknown;
}

function pushCapped(list: string[], uuid: string, cap: number): void {
  list.push(uuid);
  if (list.length > cap) list.splice(0, list.length - cap);
}

/** threshold: at least `count` matching events in any `window`. Keeps at most `count` times. */
export class ThresholdCorrelator implements Correlator {
  times: number[] = [];
  uuids: string[] = [];
  constructor(readonly spec: Extract<Correlate, { type: 'threshold' }>, readonly limits: GroupLimits) {}
  add(item: CorrelationItem): Fire | undefined {
    const times = this.times;
    times.push(item.ms);
    pushCapped(this.uuids, item.uuid, Math.min(this.limits.maxUuids, this.spec.count));
    let drop = 0;
    while (drop < times.length && times[drop]! < item.ms - this.spec.window) drop++;
    if (drop > 0) {
      times.splice(0, drop);
      // uuids are the newest ones: never more than the times still in the window.
      if (this.uuids.length > times.length) this.uuids.splice(0, this.uuids.length - times.length);
    }
    if (times.length < this.spec.count) return undefined;
    const result: Fire = { groupKey: item.groupKey, count: times.length, firstMs: times[0]!, lastMs: item.ms, uuids: this.uuids };
    this.times = [];
    this.uuids = [];
    return result;
  }
  deadline(): number {
    return this.times.length > 0 ? this.times[this.times.length - 1]! + this.spec.window : Number.NEGATIVE_INFINITY;
  }
  expire(watermark: number) {
    return { done: this.deadline() < watermark || this.times.length === 0 };
  }
  finish(): undefined {
    return undefined;
  }
  snapshot() {
    return { times: this.times, uuids: this.uuids };
  }
  static readonly state = z.strictObject({ times: z.array(z.number()), uuids: z.array(z.string()) });
  restore(state: z.output<typeof ThresholdCorrelator.state>): void {
    this.times = state.times.slice(-this.spec.count);
    this.uuids = state.uuids.slice(-Math.min(this.limits.maxUuids, this.spec.count));
  }
}

/** value_count: at least `distinct` different values of `field` in any `window`. Keeps at most `distinct` values. */
export class ValueCountCorrelator implements Correlator {
  /** Parallel arrays: value (as JSON), last time seen, uuid of that sighting. */
  values: string[] = [];
  times: number[] = [];
  uuids: string[] = [];
  constructor(readonly spec: Extract<Correlate, { type: 'value_count' }>, readonly limits: GroupLimits) {}
  add(item: CorrelationItem): Fire | undefined {
    if (item.facts === null || item.facts === undefined) return undefined;
    const key = typeof item.facts === 'string' ? item.facts : JSON.stringify(item.facts);
    const at = this.values.indexOf(key);
    if (at >= 0) this.#remove(at);
    this.values.push(key);
    this.times.push(item.ms);
    this.uuids.push(item.uuid);
    this.#trim(item.ms);
    if (this.values.length < this.spec.distinct) return undefined;
    const uuids = this.uuids.slice(-this.limits.maxUuids);
    const result: Fire = { groupKey: item.groupKey, count: this.values.length, firstMs: this.times[0]!, lastMs: item.ms, uuids };
    this.values = [];
    this.times = [];
    this.uuids = [];
    return result;
  }
  #remove(at: number): void {
    this.values.splice(at, 1);
    this.times.splice(at, 1);
    this.uuids.splice(at, 1);
  }
  /** Times are in arrival (event-time) order: expired values are at the front. */
  #trim(now: number): void {
    let drop = 0;
    while (drop < this.times.length && this.times[drop]! < now - this.spec.window) drop++;
    if (drop === 0) return;
    this.values.splice(0, drop);
    this.times.splice(0, drop);
    this.uuids.splice(0, drop);
  }
  deadline(): number {
    return this.times.length > 0 ? this.times[this.times.length - 1]! + this.spec.window : Number.NEGATIVE_INFINITY;
  }
  expire(watermark: number) {
    return { done: this.deadline() < watermark || this.values.length === 0 };
  }
  finish(): undefined {
    return undefined;
  }
  snapshot() {
    return { values: this.values, times: this.times, uuids: this.uuids };
  }
  static readonly state = z.strictObject({ values: z.array(z.string()), times: z.array(z.number()), uuids: z.array(z.string()) }).refine((s) => s.values.length === s.times.length && s.times.length === s.uuids.length, 'values, times and uuids differ in length');
  restore(state: z.output<typeof ValueCountCorrelator.state>): void {
    const keep = Math.max(0, state.values.length - this.spec.distinct);
    this.values = state.values.slice(keep);
    this.times = state.times.slice(keep);
    this.uuids = state.uuids.slice(keep);
  }
}

/**
 * sequence: the steps in order, each at least `min_count` times, all within `window` of the
 * sequence's first event (Elastic EQL `sequence … with maxspan` and `runs`). An expired partial
 * sequence is dropped, and the current event may start a new one. Keeps counts, not events.
 */
export class SequenceCorrelator implements Correlator {
  at = -1;
  counts: number[] = [];
  firstMs = 0;
  lastMs = 0;
  total = 0;
  uuids: string[] = [];
  constructor(readonly spec: Extract<Correlate, { type: 'sequence' }>, readonly limits: GroupLimits) {}
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
  static readonly state = z.strictObject({ at: z.number().int().min(-1), counts: z.array(z.number().int().nonnegative()), firstMs: z.number(), lastMs: z.number(), total: z.number().int().nonnegative(), uuids: z.array(z.string()) });
  restore(state: z.output<typeof SequenceCorrelator.state>): void {
    const n = this.spec.steps.length;
    if (state.at >= n || (state.at >= 0 && state.counts.length !== n)) return;
    Object.assign(this, { at: state.at, counts: state.counts, firstMs: state.firstMs, lastMs: state.lastMs, total: state.total, uuids: state.uuids.slice(-this.limits.maxUuids) });
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
  readonly #kinds: string[];
  constructor(readonly spec: Extract<Correlate, { type: 'aggregate' }>, readonly condition: Evaluator, readonly limits: GroupLimits) {
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

  #key = '';
  /** The group key is needed for a fire raised by expiry; the rule sets it when it creates the group. */
  set groupKey(key: string) {
    this.#key = key;
  }

  deadline(): number {
    return this.start >= 0 ? this.start + this.spec.window : Number.NEGATIVE_INFINITY;
  }

  expire(watermark: number) {
    if (this.start >= 0 && watermark >= this.start + this.spec.window) return { fire: this.#close(this.#key), done: true };
    return { done: this.start < 0 };
  }

  finish(): Fire | undefined {
    return this.start >= 0 ? this.#close(this.#key) : undefined;
  }

  snapshot() {
    return { start: this.start, count: this.count, firstMs: this.firstMs, lastMs: this.lastMs, uuids: this.uuids, acc: this.acc };
  }
  static readonly state = z.strictObject({ start: z.number(), count: z.number().int().nonnegative(), firstMs: z.number(), lastMs: z.number(), uuids: z.array(z.string()), acc: z.array(z.union([z.number(), z.null(), z.array(z.string())])) });
  restore(state: z.output<typeof AggregateCorrelator.state>): void {
    if (state.start >= 0 && state.acc.length !== this.#kinds.length) return;
    const ok = state.acc.every((a, i) => {
      const kind = this.#kinds[i];
      return kind === 'distinct' || kind === 'values' ? Array.isArray(a) : !Array.isArray(a) && (a !== null || kind === 'min' || kind === 'max');
    });
    if (!ok) return;
    Object.assign(this, { start: state.start, count: state.count, firstMs: state.firstMs, lastMs: state.lastMs, uuids: state.uuids.slice(-this.limits.maxUuids), acc: state.acc.map((a) => (Array.isArray(a) ? a.slice(0, this.limits.maxDistinct) : a)) });
  }
}
