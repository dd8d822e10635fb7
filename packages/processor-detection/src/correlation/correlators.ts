import type { Evaluator } from '@oktel/jsonlogic';
import { truthy } from '@oktel/jsonlogic';
import type { Correlate } from '../rules/rule-schema.js';
import type { CorrelationItem, Fire } from './item.js';

/** Per-group state of one kind of correlation. Items arrive in event-time order. */
export interface Correlator {
  add(item: CorrelationItem): Fire | undefined;
  /** Event time has reached `watermark`: close what can no longer change. Returns fires and whether the group is finished. */
  expire(watermark: number): { fire?: Fire; done: boolean };
  /** The pipeline is stopping: a final decision for what is open. */
  finish(): Fire | undefined;
  snapshot(): unknown;
}

const MAX_UUIDS = 1000;

function fire(items: readonly { ms: number; uuid: string }[], first: CorrelationItem): Fire {
  return { group: first.group, count: items.length, firstMs: items[0]!.ms, lastMs: items.at(-1)!.ms, uuids: items.slice(-MAX_UUIDS).map((i) => i.uuid), resource: first.resource };
}

/** threshold: at least `count` matching events in any `window`. */
export class ThresholdCorrelator implements Correlator {
  items: CorrelationItem[] = [];
  constructor(readonly spec: Extract<Correlate, { type: 'threshold' }>) {}
  add(item: CorrelationItem): Fire | undefined {
    this.items.push(item);
    while (this.items[0]!.ms < item.ms - this.spec.window) this.items.shift();
    if (this.items.length < this.spec.count) return undefined;
    const result = fire(this.items, item);
    this.items = [];
    return result;
  }
  expire(watermark: number) {
    while (this.items.length > 0 && this.items[0]!.ms < watermark - this.spec.window) this.items.shift();
    return { done: this.items.length === 0 };
  }
  finish(): undefined {
    return undefined;
  }
  snapshot() {
    return this.items.map(({ resource: _r, ...rest }) => rest);
  }
}

/** value_count: at least `distinct` different values of `field` in any `window`. */
export class ValueCountCorrelator implements Correlator {
  values = new Map<string, CorrelationItem>();
  constructor(readonly spec: Extract<Correlate, { type: 'value_count' }>) {}
  add(item: CorrelationItem): Fire | undefined {
    if (item.facts === null || item.facts === undefined) return undefined;
    const key = JSON.stringify(item.facts);
    this.values.delete(key);
    this.values.set(key, item);
    for (const [k, v] of this.values) if (v.ms < item.ms - this.spec.window) this.values.delete(k);
    if (this.values.size < this.spec.distinct) return undefined;
    const items = [...this.values.values()].sort((a, b) => a.ms - b.ms);
    this.values.clear();
    return fire(items, item);
  }
  expire(watermark: number) {
    for (const [k, v] of this.values) if (v.ms < watermark - this.spec.window) this.values.delete(k);
    return { done: this.values.size === 0 };
  }
  finish(): undefined {
    return undefined;
  }
  snapshot() {
    return [...this.values.values()].map(({ resource: _r, ...rest }) => rest);
  }
}

/**
 * sequence: the steps in order, each at least `min_count` times, all within `window` of the
 * sequence's first event (Elastic EQL `sequence … with maxspan` and `runs`). An expired partial
 * sequence is dropped, and the current event may start a new one.
 */
export class SequenceCorrelator implements Correlator {
  at = -1;
  counts: number[] = [];
  items: CorrelationItem[] = [];
  constructor(readonly spec: Extract<Correlate, { type: 'sequence' }>) {}
  add(item: CorrelationItem): Fire | undefined {
    const steps = item.facts as number[];
    const n = this.spec.steps.length;
    if (this.at >= 0 && item.ms - this.items[0]!.ms > this.spec.window) this.#reset();
    if (this.at < 0) {
      if (!steps.includes(0)) return undefined;
      this.at = 0;
      this.counts = new Array<number>(n).fill(0);
    }
    if (this.at + 1 < n && this.counts[this.at]! >= this.spec.steps[this.at]!.min_count && steps.includes(this.at + 1)) this.at++;
    if (!steps.includes(this.at)) return undefined;
    this.counts[this.at]!++;
    this.items.push(item);
    if (this.at === n - 1 && this.counts[this.at]! >= this.spec.steps[this.at]!.min_count) {
      const result = fire(this.items, item);
      this.#reset();
      return result;
    }
    return undefined;
  }
  #reset(): void {
    this.at = -1;
    this.counts = [];
    this.items = [];
  }
  expire(watermark: number) {
    if (this.at >= 0 && watermark - this.items[0]!.ms > this.spec.window) this.#reset();
    return { done: this.at < 0 };
  }
  finish(): undefined {
    return undefined;
  }
  snapshot() {
    return { at: this.at, counts: this.counts, items: this.items.map(({ resource: _r, ...rest }) => rest) };
  }
}

type AggregateSpec = Extract<Correlate, { type: 'aggregate' }>['aggregates'][string];

/** aggregate: named aggregates per group over tumbling windows, judged by a JsonLogic condition when the window closes. */
export class AggregateCorrelator implements Correlator {
  start = -1;
  items: CorrelationItem[] = [];
  constructor(readonly spec: Extract<Correlate, { type: 'aggregate' }>, readonly condition: Evaluator) {}

  add(item: CorrelationItem): Fire | undefined {
    let closed: Fire | undefined;
    if (this.start >= 0 && item.ms >= this.start + this.spec.window) closed = this.#close();
    if (this.start < 0) this.start = item.ms;
    this.items.push(item);
    return closed;
  }

  /** The aggregate values of the open window, by name: what the condition sees. */
  values(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const names = Object.keys(this.spec.aggregates);
    names.forEach((name, i) => {
      const spec = this.spec.aggregates[name]! as AggregateSpec;
      const facts = this.items.map((it) => (it.facts as unknown[])[i]);
      if ('count' in spec) out[name] = facts.filter((f) => f === true).length;
      else if ('distinct' in spec) out[name] = new Set(facts.filter((f) => f !== null && f !== undefined).map((f) => JSON.stringify(f))).size;
      else if ('values' in spec) out[name] = [...new Set(facts.filter((f) => f !== null && f !== undefined))].slice(0, 100);
      else {
        const nums = facts.map(Number).filter((x) => Number.isFinite(x));
        out[name] = 'sum' in spec ? nums.reduce((a, b) => a + b, 0) : nums.length === 0 ? null : 'min' in spec ? Math.min(...nums) : Math.max(...nums);
      }
    });
    return out;
  }

  #close(): Fire | undefined {
    const items = this.items;
    const matched = items.length > 0 && truthy(this.condition(this.values()));
    this.start = -1;
    this.items = [];
    return matched ? fire(items, items.at(-1)!) : undefined;
  }

  expire(watermark: number) {
    if (this.start >= 0 && watermark >= this.start + this.spec.window) return { fire: this.#close(), done: true };
    return { done: this.start < 0 };
  }

  finish(): Fire | undefined {
    return this.start >= 0 ? this.#close() : undefined;
  }

  snapshot() {
    return { start: this.start, items: this.items.map(({ resource: _r, ...rest }) => rest) };
  }
}
