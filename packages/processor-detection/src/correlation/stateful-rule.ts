import { isAbsent } from '@oktel/okta-log-event';
import { compile, pathReader, truthy, type Evaluator, type PathReader } from '@oktel/jsonlogic';
import { z } from 'zod';
import type { RuleContext } from '../rules/rule-context.js';
import { ruleScope } from '../rules/rule-context.js';
import type { Correlate } from '../rules/rule-schema.js';
import {
  AggregateCorrelator,
  SequenceCorrelator,
  ThresholdCorrelator,
  ValueCountCorrelator,
  boundTo,
  type Correlator,
  type GroupLimits,
  type RuleShape,
} from './correlators.js';
import type { CorrelationItem, Fire } from './item.js';
import { MinHeap } from './min-heap.js';
import { TUNING_OPERATIONS } from '../tuning/in-list.js';
import { NewTermsCorrelator, termOf, type LearningClock } from './new-terms.js';
import { ImpossibleTravelCorrelator, travelFacts } from './impossible-travel.js';
import { EntityCollector } from '../alert-record.js';
import { ENTITY_CAP } from '../suppression.js';
import { addGroupEntities, entitiesFromFlat, entityBytes, type EventEntities } from './group-entities.js';

/** Further distinct values per entity attribute a correlation group counts beyond the ENTITY_CAP it keeps. */
const GROUP_ENTITY_OVERFLOW = 8;

export interface StatefulLimits extends GroupLimits {
  /** Events may arrive this much out of event-time order and still be correlated in order. */
  lateness: number;
  maxGroups: number;
  /** Reorder buffer bounds; beyond either, the oldest buffered event is correlated early. */
  maxBufferedEvents: number;
  maxBufferedBytes: number;
  onEvict?: () => void;
  onTooLate?: () => void;
  onBufferOverflow?: () => void;
  /** new_terms: a term forgotten to stay within max_terms_per_entity. */
  onTermEvict?: () => void;
}

type FactReader = (ctx: RuleContext) => unknown;

/** Rough heap cost of one buffered item: object and fields, its strings (UTF-16), its facts. */
function itemBytes(item: CorrelationItem): number {
  const facts = item.facts;
  const factBytes = typeof facts === 'string' ? 2 * facts.length : Array.isArray(facts) ? 16 + 16 * facts.length : 16;
  return 96 + 2 * (item.groupKey.length + item.uuid.length) + factBytes + (item.entities ? entityBytes(item.entities) : 0);
}

const itemSchema = z.tuple([z.number(), z.string(), z.string(), z.json()]);
export const statefulSnapshotSchema = z.strictObject({
  watermark: z.number().nullable(),
  buffer: z.array(itemSchema),
  groups: z.array(z.tuple([z.string(), z.unknown()])),
  /** new_terms: when the rule began to learn (event time). */
  learningSince: z.number().nullable().optional(),
});

/**
 * The stateful half of a rule with `correlate:`: events that pass the rule's `match` wait in a
 * reorder buffer (a heap on event time, bounded in events and bytes) until event time is
 * `lateness` past them, then feed a per-group correlator in time order. Groups are bounded
 * (least recently used evicted, counted) and expire through a heap keyed by window end, so the
 * per-event cost does not depend on the number of groups or the event rate.
 */
export class StatefulRule {
  readonly #spec: Correlate;
  readonly #limits: StatefulLimits;
  readonly #facts: FactReader;
  readonly #condition: Evaluator | undefined;
  /** Shared by every group of the rule. */
  readonly #shape: RuleShape<Correlate>;
  /** threshold and value_count: the correlator class bound to this rule's shape. */
  readonly #Bound: (new () => Correlator) | undefined;
  readonly #groups = new Map<string, Correlator>();
  readonly #buffer = new MinHeap<CorrelationItem>();
  #bufferedBytes = 0;
  readonly #expiry = new MinHeap<Correlator>({ stable: false });
  /** threshold, value_count, sequence, aggregate: windows of many events; the others judge one event. */
  readonly #windowed: boolean;
  /** new_terms: the rule's learning clock, shared by its entities and saved with the state. */
  readonly #learning: LearningClock = { since: null };
  #watermark = Number.NEGATIVE_INFINITY;

  constructor(spec: Correlate, limits: StatefulLimits) {
    this.#spec = spec;
    this.#limits = limits;
    this.#facts = factReader(spec);
    this.#condition = spec.type === 'aggregate' ? compile(spec.condition, { operations: TUNING_OPERATIONS }) : undefined;
    this.#shape = { spec, limits };
    this.#windowed = spec.type === 'threshold' || spec.type === 'value_count' || spec.type === 'sequence' || spec.type === 'aggregate';
    if (spec.type === 'threshold') this.#Bound = boundTo(ThresholdCorrelator, this.#shape);
    else if (spec.type === 'value_count') this.#Bound = boundTo(ValueCountCorrelator, this.#shape);
  }

  get groupCount(): number {
    return this.#groups.size;
  }

  get bufferedEvents(): number {
    return this.#buffer.size;
  }

  /** Takes one event that passed the rule's match; returns what fired as event time moved on. */
  add(ctx: RuleContext, ms: number, uuid: string, groupKey: string): Fire[] {
    return this.addItem(this.item(ctx, ms, uuid, groupKey));
  }

  /** What the rule keeps of an event: evaluated once, journaled as is (entities are not journaled). */
  item(ctx: RuleContext, ms: number, uuid: string, groupKey: string, entities?: EventEntities): CorrelationItem {
    // One object shape for every item (entities and bytes always present) keeps the hot paths monomorphic.
    return { ms, uuid, groupKey, facts: this.#facts(ctx), entities, bytes: 0 };
  }

  /** Takes an item (new, or replayed from the journal after a restart). */
  addItem(item: CorrelationItem): Fire[] {
    const ms = item.ms;
    if (ms < this.#watermark) {
      // Later than the allowed lateness: still counted, in arrival order.
      this.#limits.onTooLate?.();
      return this.#feed(item);
    }
    const watermark = Math.max(this.#watermark, ms - this.#limits.lateness);
    if (this.#buffer.size === 0 && ms <= watermark) {
      this.#watermark = watermark;
      return this.#feed(item);
    }
    item.bytes = itemBytes(item);
    this.#buffer.push(ms, item);
    this.#bufferedBytes += item.bytes;
    const fires = this.#release(watermark);
    while (this.#buffer.size > this.#limits.maxBufferedEvents || this.#bufferedBytes > this.#limits.maxBufferedBytes) {
      // Bounded memory wins over perfect order: the oldest waits no longer (counted).
      this.#limits.onBufferOverflow?.();
      const oldest = this.#buffer.pop()!;
      this.#bufferedBytes -= oldest.bytes;
      this.#watermark = Math.max(this.#watermark, oldest.ms);
      fires.push(...this.#feed(oldest));
    }
    return fires;
  }

  /** Feeds buffered events up to the watermark, in event-time order. */
  #release(watermark: number): Fire[] {
    this.#watermark = Math.max(this.#watermark, watermark);
    const fires: Fire[] = [];
    while (this.#buffer.peekKey() <= this.#watermark) {
      const item = this.#buffer.pop()!;
      this.#bufferedBytes -= item.bytes;
      fires.push(...this.#feed(item));
    }
    return fires;
  }

  /** Moves the watermark, then closes the windows behind it: only the groups whose window end has passed. */
  advance(watermark: number): Fire[] {
    const fires = this.#release(watermark);
    const later: Correlator[] = [];
    while (this.#expiry.peekKey() <= this.#watermark) {
      const correlator = this.#expiry.pop()!;
      if (this.#groups.get(correlator.key) !== correlator) continue; // evicted or replaced
      const { fire, done } = correlator.expire(this.#watermark);
      if (fire) {
        takeEntities(correlator, fire);
        fires.push(fire);
      }
      if (done) this.#groups.delete(correlator.key);
      else later.push(correlator);
    }
    for (const entry of later) this.#schedule(entry);
    return fires;
  }

  /** End of input: everything buffered is correlated and open windows are judged. */
  finish(): Fire[] {
    const fires: Fire[] = [];
    for (let item = this.#buffer.pop(); item; item = this.#buffer.pop()) fires.push(...this.#feed(item));
    this.#bufferedBytes = 0;
    for (const correlator of this.#groups.values()) {
      const fire = correlator.finish();
      if (fire) {
        takeEntities(correlator, fire);
        fires.push(fire);
      }
    }
    this.#groups.clear();
    this.#expiry.clear();
    return fires;
  }

  #schedule(correlator: Correlator): void {
    const deadline = correlator.deadline();
    this.#expiry.push(Number.isFinite(deadline) ? deadline : this.#watermark, correlator);
    // Evicted groups leave heap entries behind; past twice the live groups, rebuild from the live ones.
    if (this.#expiry.size > 2 * this.#groups.size + 1024) {
      this.#expiry.clear();
      for (const live of this.#groups.values()) {
        const d = live.deadline();
        this.#expiry.push(Number.isFinite(d) ? d : this.#watermark, live);
      }
    }
  }

  /** Entries in the expiry heap (live and stale), for tests of its bound. */
  get expiryHeapSize(): number {
    return this.#expiry.size;
  }

  #feed(item: CorrelationItem): Fire[] {
    let correlator = this.#groups.get(item.groupKey);
    let fire: Fire | undefined;
    let startedOver = false;
    if (correlator) {
      // Least recently used first: moving a group to the end keeps eviction O(1).
      this.#groups.delete(item.groupKey);
      this.#groups.set(item.groupKey, correlator);
      const before = correlator.collectionStart?.();
      fire = correlator.add(item);
      startedOver = before !== correlator.collectionStart?.();
    } else {
      if (this.#groups.size >= this.#limits.maxGroups) {
        const [evictedKey, evicted] = this.#groups.entries().next().value as [string, Correlator];
        // Its expiry-heap entry outlives it until popped: what it kept for an alert must not.
        evicted.entities = undefined;
        this.#groups.delete(evictedKey);
        this.#limits.onEvict?.();
      }
      correlator = this.#create(item.groupKey);
      this.#groups.set(item.groupKey, correlator);
      fire = correlator.add(item);
      this.#schedule(correlator);
    }
    if (!this.#windowed) {
      // new_terms, impossible_travel: the alert is about the event that fired (the correlator adds what it kept).
      if (fire && !fire.entities && item.entities) {
        const one = new EntityCollector(ENTITY_CAP, GROUP_ENTITY_OVERFLOW);
        one.addPairs(item.entities.pairs);
        fire.entities = one.result();
      }
      return fire ? [fire] : [];
    }
    // The entities of the group's events since its last alert, at most ENTITY_CAP values plus
    // GROUP_ENTITY_OVERFLOW counted ones per attribute: bounded per group, and dropped with it. Not
    // saved with the state: after a restart an alert names the entities of the events since the
    // restart (its group_by values are always there).
    // An aggregate window or a partial sequence that this event closed or dropped is judged
    // without it: its alert (if any) names its own events, and this one starts the collection over.
    const closedBefore = startedOver && (this.#spec.type === 'aggregate' || !fire);
    if (closedBefore) {
      if (fire) takeEntities(correlator, fire);
      correlator.entities = undefined;
    }
    if (item.entities && item.entities.pairs.length > 0 && countsForEntities(this.#spec, item)) {
      // A group that fires on this event hands its entities over at once: no JSON form for them.
      const current = correlator.entities ?? (fire && !closedBefore ? [] : undefined);
      correlator.entities = addGroupEntities(current, item.entities, ENTITY_CAP, GROUP_ENTITY_OVERFLOW);
    }
    if (!fire) return [];
    if (!closedBefore) takeEntities(correlator, fire);
    return [fire];
  }

  #create(key: string): Correlator {
    const correlator = this.#construct();
    correlator.key = key;
    return correlator;
  }

  #construct(): Correlator {
    switch (this.#spec.type) {
      case 'threshold':
      case 'value_count':
        return new this.#Bound!();
      case 'sequence':
        return new SequenceCorrelator(this.#spec, this.#limits);
      case 'aggregate':
        return new AggregateCorrelator(this.#spec, this.#condition!, this.#limits);
      case 'new_terms':
        return new NewTermsCorrelator(this.#spec, this.#learning, this.#limits.onTermEvict);
      case 'impossible_travel':
        return new ImpossibleTravelCorrelator(this.#spec);
    }
  }

  /** Groups in least-recently-used order, so a size-capped save keeps the most recent ones. */
  snapshot(): z.input<typeof statefulSnapshotSchema> {
    return {
      watermark: Number.isFinite(this.#watermark) ? this.#watermark : null,
      buffer: this.#buffer.sorted().map((i) => [i.ms, i.uuid, i.groupKey, (i.facts ?? null) as z.core.util.JSONType]),
      groups: [...this.#groups].map(([key, c]) => [key, c.snapshot()]),
      ...(this.#spec.type === 'new_terms' ? { learningSince: this.#learning.since } : {}),
    };
  }

  /**
   * Restores a snapshot taken by an earlier run. The snapshot is untrusted input: it has passed
   * `statefulSnapshotSchema`; each group's state is checked against its correlator's schema and
   * a group that does not fit is skipped (returned in `skipped`), never half-built.
   */
  restore(snapshot: z.output<typeof statefulSnapshotSchema>): { groups: number; skipped: number } {
    let skipped = 0;
    this.#watermark = snapshot.watermark ?? Number.NEGATIVE_INFINITY;
    if (snapshot.learningSince !== undefined && snapshot.learningSince !== null) this.#learning.since = snapshot.learningSince;
    for (const [ms, uuid, groupKey, facts] of snapshot.buffer.slice(-this.#limits.maxBufferedEvents)) {
      const item: CorrelationItem = { ms, uuid, groupKey, facts, entities: undefined, bytes: 0 };
      item.bytes = itemBytes(item);
      this.#buffer.push(ms, item);
      this.#bufferedBytes += item.bytes;
    }
    for (const [key, state] of snapshot.groups.slice(-this.#limits.maxGroups)) {
      const correlator = this.#create(key);
      const ok = restoreInto(correlator, state);
      if (!ok) {
        skipped++;
        continue;
      }
      this.#groups.set(key, correlator);
      this.#schedule(correlator);
    }
    return { groups: this.#groups.size, skipped };
  }
}

/** A value_count event without a value is not counted: it names no entity in the group's alert. */
function countsForEntities(spec: Correlate, item: CorrelationItem): boolean {
  return spec.type !== 'value_count' || (item.facts !== null && item.facts !== undefined);
}

/** A group fired: its alert carries the entities collected since its last alert, and collection starts over. */
function takeEntities(correlator: Correlator, fire: Fire): void {
  if (correlator.entities === undefined) return;
  fire.entities = entitiesFromFlat(correlator.entities);
  correlator.entities = undefined;
}

/**
 * Saved state is untrusted: it is checked against the schema the correlator's own class declares
 * (`static state`), and only what validates is restored.
 */
function restoreInto(correlator: Correlator, state: unknown): boolean {
  const { state: schema } = correlator.constructor as unknown as { state: z.ZodType };
  const parsed = schema.safeParse(state);
  if (parsed.success) (correlator as unknown as { restore(data: unknown): void }).restore(parsed.data);
  return parsed.success;
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
      const steps = spec.steps.map((s) => compile(s.match, { scope: ruleScope, operations: TUNING_OPERATIONS }));
      return (ctx) => steps.flatMap((m, i) => (truthy(m(ctx)) ? [i] : []));
    }
    case 'aggregate': {
      const parts: FactReader[] = Object.values(spec.aggregates).map((a) => {
        if ('count' in a) {
          if (a.count.match === undefined) return () => true;
          const m = compile(a.count.match, { scope: ruleScope, operations: TUNING_OPERATIONS });
          return (ctx) => truthy(m(ctx));
        }
        const field = 'distinct' in a ? a.distinct : 'sum' in a ? a.sum : 'min' in a ? a.min : 'max' in a ? a.max : a.values;
        return read(field) as FactReader;
      });
      return (ctx) => parts.map((p) => p(ctx));
    }
    case 'new_terms': {
      const fields = spec.fields.map((f) => pathReader(f, null));
      // Absent values ("unknown", "null", empty) are no term.
      return (ctx) =>
        termOf(
          fields.map((r) => {
            const v = r((ctx as RuleContext).event);
            return isAbsent(v) ? null : v;
          }),
        );
    }
    case 'impossible_travel':
      return (ctx) => travelFacts((ctx as RuleContext).event);
  }
}
