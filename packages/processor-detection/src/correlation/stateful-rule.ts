import type { AnyValue } from '@opentelemetry/api-logs';
import type { LogRecord } from '@oktel/core';
import { compile, pathReader, truthy, type Evaluator, type PathReader } from '@oktel/jsonlogic';
import type { RuleContext } from '../rules/rule-context.js';
import { ruleScope } from '../rules/rule-context.js';
import type { Correlate } from '../rules/rule-schema.js';
import { AggregateCorrelator, SequenceCorrelator, ThresholdCorrelator, ValueCountCorrelator, type Correlator } from './correlators.js';
import type { CorrelationItem, Fire } from './item.js';

export interface StatefulLimits {
  /** Events may arrive this much out of event-time order and still be correlated in order. */
  lateness: number;
  maxGroups: number;
  onEvict?: () => void;
  onTooLate?: () => void;
}

type FactReader = (ctx: RuleContext) => unknown;

/**
 * The stateful half of a rule with `correlate:`: events that pass the rule's `match` wait in a
 * reorder buffer until event time is `lateness` past them, then feed a per-group correlator in
 * time order. Groups are bounded (oldest evicted, counted) and expire once their window is over.
 */
export class StatefulRule {
  readonly #spec: Correlate;
  readonly #limits: StatefulLimits;
  readonly #facts: FactReader;
  readonly #condition: Evaluator | undefined;
  readonly #groups = new Map<string, Correlator>();
  #buffer: CorrelationItem[] = [];
  #watermark = Number.NEGATIVE_INFINITY;

  constructor(spec: Correlate, limits: StatefulLimits) {
    this.#spec = spec;
    this.#limits = limits;
    this.#facts = factReader(spec);
    this.#condition = spec.type === 'aggregate' ? compile(spec.condition) : undefined;
  }

  get groupCount(): number {
    return this.#groups.size;
  }

  /** Takes one event that passed the rule's match; returns what fired as event time moved on. */
  add(ctx: RuleContext, ms: number, uuid: string, group: Record<string, AnyValue>, resource: LogRecord['resource']): Fire[] {
    const item: CorrelationItem = { ms, uuid, groupKey: JSON.stringify(group), group, facts: this.#facts(ctx), resource };
    if (ms < this.#watermark) {
      // Later than the allowed lateness: still counted, in arrival order.
      this.#limits.onTooLate?.();
      return this.#feed(item);
    }
    const at = this.#buffer.findLastIndex((b) => b.ms <= ms);
    this.#buffer.splice(at + 1, 0, item);
    return this.#release(Math.max(this.#watermark, ms - this.#limits.lateness));
  }

  /** Feeds buffered events up to the watermark, in event-time order. Per event: no sweep of all groups. */
  #release(watermark: number): Fire[] {
    this.#watermark = Math.max(this.#watermark, watermark);
    const fires: Fire[] = [];
    while (this.#buffer.length > 0 && this.#buffer[0]!.ms <= this.#watermark) fires.push(...this.#feed(this.#buffer.shift()!));
    return fires;
  }

  /** Moves the watermark, then closes the windows behind it (once per batch: it visits every group). */
  advance(watermark: number): Fire[] {
    const fires = this.#release(watermark);
    for (const [key, correlator] of this.#groups) {
      const { fire, done } = correlator.expire(this.#watermark);
      if (fire) fires.push(fire);
      if (done) this.#groups.delete(key);
    }
    return fires;
  }

  /** End of input: everything buffered is correlated and open windows are judged. */
  finish(): Fire[] {
    const fires: Fire[] = [];
    for (const item of this.#buffer.splice(0)) fires.push(...this.#feed(item));
    for (const correlator of this.#groups.values()) {
      const fire = correlator.finish();
      if (fire) fires.push(fire);
    }
    this.#groups.clear();
    return fires;
  }

  #feed(item: CorrelationItem): Fire[] {
    let correlator = this.#groups.get(item.groupKey);
    if (correlator) this.#groups.delete(item.groupKey);
    else {
      if (this.#groups.size >= this.#limits.maxGroups) {
        this.#groups.delete(this.#groups.keys().next().value as string);
        this.#limits.onEvict?.();
      }
      correlator = this.#create();
    }
    this.#groups.set(item.groupKey, correlator);
    const fire = correlator.add(item);
    return fire ? [fire] : [];
  }

  #create(): Correlator {
    switch (this.#spec.type) {
      case 'threshold':
        return new ThresholdCorrelator(this.#spec);
      case 'value_count':
        return new ValueCountCorrelator(this.#spec);
      case 'sequence':
        return new SequenceCorrelator(this.#spec);
      case 'aggregate':
        return new AggregateCorrelator(this.#spec, this.#condition!);
    }
  }

  snapshot(): unknown {
    return {
      watermark: Number.isFinite(this.#watermark) ? this.#watermark : null,
      buffer: this.#buffer.map(({ resource: _r, ...rest }) => rest),
      groups: [...this.#groups].map(([key, c]) => [key, c.snapshot()]),
    };
  }

  /** Restores a snapshot taken by an earlier run (records' resources are not kept: alerts get `fallback`). */
  restore(snapshot: unknown, fallback: LogRecord['resource']): void {
    const s = snapshot as { watermark: number | null; buffer: Omit<CorrelationItem, 'resource'>[]; groups: [string, unknown][] };
    this.#watermark = s.watermark ?? Number.NEGATIVE_INFINITY;
    this.#buffer = s.buffer.map((i) => ({ ...i, resource: fallback }));
    for (const [key, state] of s.groups) {
      const correlator = this.#create();
      const items = (raw: unknown[]): CorrelationItem[] => (raw as Omit<CorrelationItem, 'resource'>[]).map((i) => ({ ...i, resource: fallback }));
      if (correlator instanceof ThresholdCorrelator) correlator.items = items(state as unknown[]);
      else if (correlator instanceof ValueCountCorrelator) for (const i of items(state as unknown[])) correlator.values.set(JSON.stringify(i.facts), i);
      else if (correlator instanceof SequenceCorrelator) Object.assign(correlator, { ...(state as object), items: items((state as { items: unknown[] }).items) });
      else if (correlator instanceof AggregateCorrelator) Object.assign(correlator, { start: (state as { start: number }).start, items: items((state as { items: unknown[] }).items) });
      this.#groups.set(key, correlator);
    }
  }
}

/** What each event contributes, evaluated once when it arrives (no context kept afterwards). */
function factReader(spec: Correlate): FactReader {
  const read = (path: string): PathReader => {
    const r = pathReader(path, null);
    return (ctx) => r((ctx as RuleContext).event);
  };
  switch (spec.type) {
    case 'threshold':
      return () => null;
    case 'value_count':
      return read(spec.field) as FactReader;
    case 'sequence': {
      const steps = spec.steps.map((s) => compile(s.match, { scope: ruleScope }));
      return (ctx) => steps.flatMap((m, i) => (truthy(m(ctx)) ? [i] : []));
    }
    case 'aggregate': {
      const parts: FactReader[] = Object.values(spec.aggregates).map((a) => {
        if ('count' in a) {
          if (a.count.match === undefined) return () => true;
          const m = compile(a.count.match, { scope: ruleScope });
          return (ctx) => truthy(m(ctx));
        }
        const field = 'distinct' in a ? a.distinct : 'sum' in a ? a.sum : 'min' in a ? a.min : 'max' in a ? a.max : a.values;
        return read(field) as FactReader;
      });
      return (ctx) => parts.map((p) => p(ctx));
    }
  }
}
