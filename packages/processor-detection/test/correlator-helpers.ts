import { compile } from '@oktel/jsonlogic';
import {
  AggregateCorrelator,
  boundTo,
  type GroupLimits,
  SequenceCorrelator,
  ThresholdCorrelator,
  ValueCountCorrelator,
} from '../src/correlation/correlators.js';
import type { CorrelationItem } from '../src/correlation/item.js';
import { type Correlate, correlateSchema } from '../src/rules/rule-schema.js';

/** Every correlator here counts in a 10 s window (specs are written as in a rule: `window: 10s`). */
export const WINDOW = 10_000;

export const LIMITS: GroupLimits = { maxUuids: 20, maxDistinct: 1000 };

/** A `correlate` block parsed the way a rule's is (durations to ms, `min_count` defaulted). */
export function spec<T extends Correlate['type']>(input: { type: T } & Record<string, unknown>): Extract<Correlate, { type: T }> {
  const parsed = correlateSchema.parse(input);
  if (parsed.type !== input.type) throw new Error(`parsed a ${parsed.type}, not a ${input.type}`);
  return parsed as Extract<Correlate, { type: T }>;
}

/** One event of group `g` as a correlator sees it; facts `null` when not given (an explicit `undefined` stays `undefined`). */
export function item(ms: number, uuid: string, ...facts: [] | [unknown]): CorrelationItem {
  return { ms, uuid, groupKey: 'g', facts: facts.length === 0 ? null : facts[0], entities: undefined, bytes: 0 };
}

export function threshold(count: number, limits: Partial<GroupLimits> = {}): ThresholdCorrelator {
  const Bound = boundTo(ThresholdCorrelator, { spec: spec({ type: 'threshold', window: '10s', count }), limits: { ...LIMITS, ...limits } });
  const c = new Bound() as ThresholdCorrelator;
  c.key = 'g';
  return c;
}

export function valueCount(distinct: number, limits: Partial<GroupLimits> = {}): ValueCountCorrelator {
  const Bound = boundTo(ValueCountCorrelator, {
    spec: spec({ type: 'value_count', window: '10s', field: 'client.ipAddress', distinct }),
    limits: { ...LIMITS, ...limits },
  });
  const c = new Bound() as ValueCountCorrelator;
  c.key = 'g';
  return c;
}

/** A sequence of steps `s0`, `s1`, … with these min_counts; an item's facts are the indexes of the steps it matches. */
export function sequence(minCounts: number[], limits: Partial<GroupLimits> = {}): SequenceCorrelator {
  const steps = minCounts.map((min_count, i) => ({ name: `s${i}`, match: { '==': [{ var: 'eventType' }, `e${i}`] }, min_count }));
  const c = new SequenceCorrelator(spec({ type: 'sequence', window: '10s', steps }), { ...LIMITS, ...limits });
  c.key = 'g';
  return c;
}

/** An aggregate correlator; an item's facts are one value per aggregate, in the order given. */
export function aggregate(aggregates: Record<string, unknown>, condition: unknown, limits: Partial<GroupLimits> = {}): AggregateCorrelator {
  const s = spec({ type: 'aggregate', window: '10s', aggregates, condition });
  const c = new AggregateCorrelator(s, compile(s.condition), { ...LIMITS, ...limits });
  c.key = 'g';
  return c;
}
