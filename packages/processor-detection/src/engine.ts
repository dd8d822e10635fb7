import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { z } from 'zod';
import { millisFromHrTime, OktelError, type LogRecord } from '@oktel/core';
import { fieldGuard, guardAdmits, truthy, type FieldGuard } from '@oktel/jsonlogic';
import { isAbsent, logEventOf, oktaResource } from '@oktel/okta-log-event';
import { EntityCollector, eventEntities, type AlertEntities } from './alert-record.js';
import { groupKeyOf, orgOfKey, valuesOfKey, type Fire } from './correlation/item.js';
import { eventEntitiesOf, type EventEntities } from './correlation/group-entities.js';
import type { CompiledRule } from './rules/compiled-rule.js';
import { RuleContext } from './rules/rule-context.js';
import { SEVERITIES } from './rules/severity.js';
import { StatefulRule, statefulSnapshotSchema } from './correlation/stateful-rule.js';
import { ENTITY_CAP, ENTITY_OVERFLOW, ORG_ATTRIBUTE, Suppression } from './suppression.js';

export interface EngineOptions {
  rules: readonly CompiledRule[];
  suppressionWindowMs: number;
  maxAlertEventUuids: number;
  maxSuppressionEntries: number;
  /** A rule that throws on an event: `ignore` counts it and goes on, `propagate` fails the batch. */
  errorMode: 'ignore' | 'propagate';
  onRuleError?: (rule: CompiledRule, err: unknown) => void;
  onEvict?: () => void;
  /** Stateful rules: how out of order events may arrive, and how many groups each keeps. */
  allowedLatenessMs?: number;
  maxGroupsPerRule?: number;
  /** Reorder buffer bounds per stateful rule (events, estimated bytes). */
  maxBufferedEvents?: number;
  maxBufferedBytes?: number;
  /** Distinct values an aggregate keeps per group. */
  maxDistinctPerGroup?: number;
  onStateEvict?: (rule: CompiledRule) => void;
  onTooLate?: (rule: CompiledRule) => void;
  onBufferOverflow?: (rule: CompiledRule) => void;
  /** new_terms: a term forgotten to stay within max_terms_per_entity (it would alert again). */
  onTermEvict?: (rule: CompiledRule) => void;
  /** The processing clock (ms since the epoch); injectable for tests. */
  now?: () => number;
  /**
   * Idle source: once event time has not moved for this long on the processing clock, it moves
   * with the processing clock (Flink/Beam idleness). 0 (the default here) leaves event time to
   * the events alone.
   */
  idleAfterMs?: number;
  /** Events stamped further than this ahead of the processing clock do not move event time (default: no limit; the processor passes max_clock_skew). */
  maxClockSkewMs?: number;
  onFutureEvent?: (eventMs: number, nowMs: number) => void;
  /** Key correlation and suppression by org (the resource's okta.domain); default true. */
  groupByOrg?: boolean;
  /** A record whose body is not an Okta event (an `otlp` receiver delivers anything): it passes untouched. */
  onNotOktaEvent?: () => void;
  /** An event matched a rule but a group_by value is absent (Okta's "unknown", "null", empty, null): skipped for that rule. */
  onGroupByAbsent?: (rule: CompiledRule) => void;
  /** Record every item fed to a stateful rule, for `takeJournal()` (the processor's write-ahead journal). */
  journal?: boolean;
  /** Site exceptions (tuning): true when this rule's match of this event is to be ignored. */
  excludes?: (rule: CompiledRule, ctx: RuleContext) => boolean;
}

/** One journaled correlation input: rule id, event time, uuid, group key, facts. */
export type JournalEntry = [string, number, string, string, unknown];
export const journalEntrySchema = z.tuple([z.string(), z.number(), z.string(), z.string(), z.json()]);

export interface Evaluation {
  /** The rules the record matched, in load order. */
  matched: CompiledRule[];
  /** Attributes to add to the record (empty when nothing matched). */
  tags: AnyValueMap;
  /** Alert records to emit after the record. */
  alerts: LogRecord[];
}

const snapshotSchema = z.strictObject({
  version: z.literal(2),
  clockMs: z.number().nullable(),
  /** The last journal batch this snapshot contains (journal batches up to it are not replayed). */
  journalSeq: z.number().int().nonnegative().optional(),
  rules: z.array(z.tuple([z.string(), statefulSnapshotSchema])),
});
export type EngineSnapshot = z.input<typeof snapshotSchema>;
const MAX_ORGS = 10_000;
/** Event types only a prefix guard admits whose candidate rules are kept; beyond this, worked out per event. */
const MAX_INDEXED_EVENT_TYPES = 4096;
const MAX_INDEXED_TYPE_LENGTH = 128;

/** Evaluates every rule against a record and decides tags and alerts. Runtime-independent. */
export class DetectionEngine {
  readonly #options: EngineOptions;
  readonly #suppression: Suppression;
  readonly #stateful = new Map<CompiledRule, StatefulRule>();
  /** What each rule requires of eventType (undefined: nothing), parallel to the rules. */
  readonly #guards: (FieldGuard | undefined)[];
  /** Rules to test per eventType the rules name exactly, in load order (built at load: bounded by the rules). */
  readonly #byEventType = new Map<string, readonly CompiledRule[]>();
  /** Rules to test for a type no guard admits: those without a guard. */
  readonly #unguarded: readonly CompiledRule[];
  readonly #anyPrefix: boolean;
  /** Rules to test per other eventType a prefix admits, built at its first event; bounded in count and key length. */
  readonly #byPrefixedType = new Map<string, readonly CompiledRule[]>();
  readonly #now: () => number;
  readonly #lateness: number;
  readonly #skew: number;
  readonly #byOrg: boolean;
  /** Event time as far as the engine knows it: the newest event's time, or the idle clock. Never goes back. */
  #clockMs = Number.NEGATIVE_INFINITY;
  /** Where event time last moved because of an event, and when (processing time): the idle clock's origin. */
  #baseEventMs = Number.NEGATIVE_INFINITY;
  #baseAtMs = 0;
  /** The latest resource seen per org: what a stateful alert carries (events are not kept). */
  readonly #resources = new Map<string, LogRecord['resource']>();
  #journal: JournalEntry[] | undefined;

  constructor(options: EngineOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#lateness = options.allowedLatenessMs ?? 60_000;
    // Off unless asked for: rule tests and replays of recorded data must not depend on the host's clock.
    this.#skew = options.maxClockSkewMs ?? Number.POSITIVE_INFINITY;
    this.#byOrg = options.groupByOrg ?? true;
    if (options.journal) this.#journal = [];
    this.#guards = options.rules.map((rule) => fieldGuard(rule.definition.match, 'eventType'));
    this.#unguarded = options.rules.filter((_, i) => this.#guards[i] === undefined);
    this.#anyPrefix = this.#guards.some((g) => g !== undefined && g.prefixes.length > 0);
    for (const guard of this.#guards)
      for (const value of guard?.values ?? []) if (!this.#byEventType.has(value)) this.#byEventType.set(value, this.#admitted(value));
    for (const rule of options.rules) {
      if (!rule.definition.correlate) continue;
      this.#stateful.set(
        rule,
        new StatefulRule(rule.definition.correlate, {
          lateness: this.#lateness,
          maxGroups: options.maxGroupsPerRule ?? 10_000,
          maxBufferedEvents: options.maxBufferedEvents ?? 100_000,
          maxBufferedBytes: options.maxBufferedBytes ?? 32 * 1024 * 1024,
          maxUuids: options.maxAlertEventUuids,
          maxDistinct: options.maxDistinctPerGroup ?? 1000,
          onEvict: () => options.onStateEvict?.(rule),
          onTooLate: () => options.onTooLate?.(rule),
          onBufferOverflow: () => options.onBufferOverflow?.(rule),
          onTermEvict: () => options.onTermEvict?.(rule),
        }),
      );
    }
    this.#suppression = new Suppression({
      defaultWindowMs: options.suppressionWindowMs,
      maxEventUuids: options.maxAlertEventUuids,
      maxEntries: options.maxSuppressionEntries,
      ...(options.onEvict ? { onEvict: options.onEvict } : {}),
    });
  }

  get rules(): readonly CompiledRule[] {
    return this.#options.rules;
  }

  /** Event time as the engine knows it (ms), or -Infinity before the first event. */
  get clockMs(): number {
    return this.#clockMs;
  }

  /**
   * The event time used for correlation: the event's own, unless it is stamped beyond the
   * clock-skew allowance, where it counts as happening at the current event time (or now, before
   * any event) so a wrong clock upstream can neither drag the watermark forward nor open a
   * suppression window that silences real alerts.
   */
  #observe(eventMs: number): number {
    const now = this.#now();
    if (eventMs > now + this.#skew) {
      this.#options.onFutureEvent?.(eventMs, now);
      return Number.isFinite(this.#clockMs) ? this.#clockMs : now;
    }
    if (eventMs > this.#clockMs) {
      this.#clockMs = eventMs;
      this.#baseEventMs = eventMs;
      this.#baseAtMs = now;
    }
    return eventMs;
  }

  evaluate(record: Pick<LogRecord, 'body' | 'attributes' | 'resource' | 'hrTime'>): Evaluation {
    const event = logEventOf(record as LogRecord);
    if (!event || !looksLikeOktaEvent(event)) {
      this.#options.onNotOktaEvent?.();
      return { matched: [], tags: {}, alerts: [] };
    }
    const eventMs = this.#observe(millisFromHrTime(record.hrTime));
    const ctx = new RuleContext(event, record.attributes, record.resource.attributes as Record<string, unknown>);
    const matched: CompiledRule[] = [];
    const eventType = (event as { eventType?: unknown }).eventType;
    const candidates = typeof eventType === 'string' ? this.#candidatesFor(eventType) : this.#options.rules;
    for (const rule of candidates) {
      let result: unknown;
      try {
        result = rule.match(ctx);
      } catch (err) {
        this.#options.onRuleError?.(rule, err);
        if (this.#options.errorMode === 'propagate') throw err;
        continue;
      }
      if (truthy(result) && !this.#options.excludes?.(rule, ctx)) matched.push(rule);
    }
    if (matched.length === 0) return { matched, tags: {}, alerts: [] };

    const org = this.#byOrg ? orgOf(record.resource) : '';
    if (this.#resources.get(org) !== record.resource) {
      if (!this.#resources.has(org) && this.#resources.size >= MAX_ORGS) this.#resources.delete(this.#resources.keys().next().value as string);
      this.#resources.set(org, record.resource);
    }
    const alerts: LogRecord[] = [];
    const single: CompiledRule[] = [];
    let shared: EventEntities | undefined;
    let entities: AlertEntities | undefined;
    // Most rules group by the same paths (the actor): their values and group key are built once
    // per event, and the groups of those rules share one key string.
    const grouped: { signature: string; values: unknown[]; key: string | undefined }[] = [];
    for (const rule of matched) {
      let group = grouped.find((g) => g.signature === rule.groupBySignature);
      if (!group) {
        group = { signature: rule.groupBySignature, values: rule.groupBy.map(({ read }) => read(event) ?? null), key: undefined };
        grouped.push(group);
      }
      const values = group.values;
      const stateful = this.#stateful.get(rule);
      if (stateful) {
        // Absent means absent: "unknown" sessions or null addresses are not one group.
        if (values.some(isAbsent)) {
          this.#options.onGroupByAbsent?.(rule);
          continue;
        }
        const key = (group.key ??= groupKeyOf(org, values));
        shared ??= eventEntitiesOf(eventEntities(event));
        const item = stateful.item(ctx, eventMs, event.uuid, key, shared);
        this.#journal?.push([rule.definition.id, item.ms, item.uuid, item.groupKey, item.facts ?? null]);
        for (const fire of stateful.addItem(item)) alerts.push(...this.#alert(rule, fire));
      } else {
        single.push(rule);
        // A single event is evidence on its own: it alerts, but an absent value is no group (counted).
        const group: Record<string, AnyValue> = {};
        let absent = false;
        rule.groupBy.forEach(({ path }, i) => {
          const value = values[i];
          if (isAbsent(value)) absent = true;
          group[path] = (isAbsent(value) ? null : value) as AnyValue;
        });
        if (absent) this.#options.onGroupByAbsent?.(rule);
        if (!entities) {
          const collector = new EntityCollector(ENTITY_CAP, ENTITY_OVERFLOW);
          collector.addPairs((shared ??= eventEntitiesOf(eventEntities(event))).pairs);
          entities = collector.result();
        }
        alerts.push(
          ...this.#suppression.hit(rule, group, org, { count: 1, firstMs: eventMs, lastMs: eventMs, uuids: [event.uuid], entities }, record.resource),
        );
      }
    }
    // Stateful rules speak through their alerts; only single-event matches tag the raw record.
    return { matched: single, tags: single.length > 0 ? tagsFor(single) : {}, alerts };
  }

  /** Event types that only a prefix guard admits whose candidate rules are kept (bounded, for tests). */
  get indexedEventTypes(): number {
    return this.#byPrefixedType.size;
  }

  #admitted(eventType: string): readonly CompiledRule[] {
    return this.#options.rules.filter((_, i) => {
      const guard = this.#guards[i];
      return guard === undefined || guardAdmits(guard, eventType);
    });
  }

  #candidatesFor(eventType: string): readonly CompiledRule[] {
    const exact = this.#byEventType.get(eventType);
    if (exact) return exact;
    if (!this.#anyPrefix) return this.#unguarded;
    const known = this.#byPrefixedType.get(eventType);
    if (known) return known;
    const rules = this.#admitted(eventType);
    if (rules.length === this.#unguarded.length) return this.#unguarded;
    // Okta's event types are a few hundred names of under 100 characters. A source that invents
    // them (or sends long ones) must not grow this: only short names are kept, and only so many.
    if (eventType.length <= MAX_INDEXED_TYPE_LENGTH && this.#byPrefixedType.size < MAX_INDEXED_EVENT_TYPES) this.#byPrefixedType.set(eventType, rules);
    return rules;
  }

  #alert(rule: CompiledRule, fire: Fire): LogRecord[] {
    const org = orgOfKey(fire.groupKey);
    const values = valuesOfKey(fire.groupKey);
    const group: Record<string, AnyValue> = {};
    rule.groupBy.forEach(({ path }, i) => (group[path] = (values[i] ?? null) as AnyValue));
    if (fire.terms) Object.assign(group, fire.terms);
    let resource = this.#resources.get(org);
    if (!resource) {
      resource = oktaResource(org ? { domain: org } : {});
      this.#resources.set(org, resource);
    }
    return this.#suppression.hit(rule, group, org, fire, resource);
  }

  /**
   * Alerts that event time has settled: correlation windows closed, suppression follow-ups.
   * With `idleAfterMs`, an idle stream's event time moves on with the processing clock, so this
   * also closes what a quiet night would otherwise leave open until the next event.
   */
  expired(): LogRecord[] {
    const now = this.#now();
    const idleAfter = this.#options.idleAfterMs ?? 0;
    if (idleAfter > 0 && Number.isFinite(this.#baseEventMs) && now - this.#baseAtMs >= idleAfter) {
      this.#clockMs = Math.max(this.#clockMs, this.#baseEventMs + (now - this.#baseAtMs));
    }
    const alerts: LogRecord[] = [];
    const watermark = this.#clockMs - this.#lateness;
    for (const [rule, stateful] of this.#stateful) for (const fire of stateful.advance(watermark)) alerts.push(...this.#alert(rule, fire));
    return [...alerts, ...this.#suppression.expire(this.#clockMs)];
  }

  /** The input ended or the pipeline is stopping: judge open correlation windows, then report suppressed hits. */
  flush(): LogRecord[] {
    const alerts: LogRecord[] = [];
    for (const [rule, stateful] of this.#stateful) for (const fire of stateful.finish()) alerts.push(...this.#alert(rule, fire));
    return [...alerts, ...this.#suppression.flush()];
  }

  /** Follow-ups for suppressed hits only; correlation windows stay open (their state is being saved). */
  flushSuppression(): LogRecord[] {
    return this.#suppression.flush();
  }

  /** Correlation state, for the storage extension. Groups are listed least recently used first. */
  snapshot(): EngineSnapshot {
    return {
      version: 2,
      clockMs: Number.isFinite(this.#clockMs) ? this.#clockMs : null,
      rules: [...this.#stateful].map(([rule, s]) => [rule.definition.id, s.snapshot()]),
    };
  }

  /**
   * Restores saved state. It is untrusted input: anything that does not match the schema throws
   * a `StateFormatError` before any state is touched (the caller sets the file aside); single
   * groups that do not fit their rule are skipped and counted. Maps only: no key from the file
   * ever becomes an object property.
   */
  restore(raw: unknown): { groups: number; skipped: number; journalSeq: number } {
    const parsed = snapshotSchema.safeParse(raw);
    if (!parsed.success)
      throw new StateFormatError(
        parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`)
          .join('; '),
      );
    const byId = new Map(parsed.data.rules);
    let groups = 0;
    let skipped = 0;
    for (const [rule, stateful] of this.#stateful) {
      const state = byId.get(rule.definition.id);
      if (state === undefined) continue;
      const result = stateful.restore(state);
      groups += result.groups;
      skipped += result.skipped;
    }
    if (parsed.data.clockMs !== null && parsed.data.clockMs > this.#clockMs) {
      this.#clockMs = parsed.data.clockMs;
      this.#baseEventMs = parsed.data.clockMs;
      this.#baseAtMs = this.#now();
    }
    return { groups, skipped, journalSeq: parsed.data.journalSeq ?? 0 };
  }

  /** The correlation inputs since the last call, with the event time they left the clock at. */
  takeJournal(): { clockMs: number; entries: JournalEntry[] } | undefined {
    if (!this.#journal || this.#journal.length === 0) return undefined;
    const entries = this.#journal;
    this.#journal = [];
    return { clockMs: this.#clockMs, entries };
  }

  /**
   * Re-applies journaled inputs after a restore (state catches up with what the receiver already
   * checkpointed). Their alerts were delivered before the journal was written, so fires are
   * dropped here; only the state moves. Entries of rules no longer loaded are skipped.
   */
  replay(entries: readonly JournalEntry[], clockMs: number): void {
    const byId = new Map([...this.#stateful].map(([rule, s]) => [rule.definition.id, s]));
    for (const [id, ms, uuid, groupKey, facts] of entries) byId.get(id)?.addItem({ ms, uuid, groupKey, facts, entities: undefined, bytes: 0 });
    if (clockMs > this.#clockMs) {
      this.#clockMs = clockMs;
      this.#baseEventMs = clockMs;
      this.#baseAtMs = this.#now();
    }
  }

  /** Open correlation groups, per rule id. */
  stateSizes(): Record<string, number> {
    return Object.fromEntries([...this.#stateful].map(([rule, s]) => [rule.definition.id, s.groupCount]));
  }

  /** Entries in the expiry heaps of every stateful rule and of suppression (bounded by the live groups). */
  get heapEntries(): number {
    let n = this.#suppression.heapSize;
    for (const s of this.#stateful.values()) n += s.expiryHeapSize;
    return n;
  }

  /** Events waiting in reorder buffers, all rules together. */
  get bufferedEvents(): number {
    let n = 0;
    for (const s of this.#stateful.values()) n += s.bufferedEvents;
    return n;
  }
}

/** Saved correlation state that does not have the expected shape. */
export class StateFormatError extends OktelError {
  constructor(reason: string) {
    super('DETECTION_STATE_INVALID', `saved correlation state does not validate: ${reason}`, { context: { reason } });
  }
}

/** A map body is only an Okta event if it carries what every LogEvent has: a uuid or an eventType. */
function looksLikeOktaEvent(event: object): boolean {
  const e = event as { uuid?: unknown; eventType?: unknown };
  return typeof e.uuid === 'string' || typeof e.eventType === 'string';
}

function orgOf(resource: LogRecord['resource']): string {
  const domain = (resource.attributes as Record<string, unknown>)[ORG_ATTRIBUTE];
  return typeof domain === 'string' ? domain : '';
}

/** One rule: its values as scalars; several: arrays, in load order; plus the highest severity. */
export function tagsFor(matched: readonly CompiledRule[]): AnyValueMap {
  const highest = SEVERITIES[Math.max(...matched.map((r) => r.severityRank))]!;
  if (matched.length === 1) return { ...matched[0]!.tagAttributes, 'security_rule.severity': highest };
  const tags: AnyValueMap = { 'threat.framework': 'MITRE ATT&CK', 'security_rule.severity': highest };
  for (const key of ['security_rule.uuid', 'security_rule.name', 'security_rule.version']) tags[key] = matched.map((r) => r.tagAttributes[key] as AnyValue);
  // Ids and names are parallel arrays; a tactic two rules share is listed once.
  for (const kind of ['tactic', 'technique'] as const) {
    const byId = new Map<string, AnyValue>();
    for (const rule of matched) {
      const ids = rule.tagAttributes[`threat.${kind}.id`] as string[];
      const names = rule.tagAttributes[`threat.${kind}.name`] as AnyValue[];
      ids.forEach((id, i) => byId.has(id) || byId.set(id, names[i]!));
    }
    tags[`threat.${kind}.id`] = [...byId.keys()];
    tags[`threat.${kind}.name`] = [...byId.values()];
  }
  return tags;
}
