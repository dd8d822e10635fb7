import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { millisFromHrTime, type LogRecord } from '@oktel/core';
import { guardValues, truthy } from '@oktel/jsonlogic';
import { logEventOf } from '@oktel/okta-log-event';
import type { Fire } from './correlation/item.js';
import type { CompiledRule } from './rules/compiled-rule.js';
import { RuleContext } from './rules/rule-context.js';
import { SEVERITIES } from './rules/severity.js';
import { StatefulRule } from './correlation/stateful-rule.js';
import { Suppression } from './suppression.js';

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
  onStateEvict?: (rule: CompiledRule) => void;
  onTooLate?: (rule: CompiledRule) => void;
}

export interface Evaluation {
  /** The rules the record matched, in load order. */
  matched: CompiledRule[];
  /** Attributes to add to the record (empty when nothing matched). */
  tags: AnyValueMap;
  /** Alert records to emit after the record. */
  alerts: LogRecord[];
}

/** Evaluates every rule against a record and decides tags and alerts. Runtime-independent. */
export class DetectionEngine {
  readonly #options: EngineOptions;
  readonly #suppression: Suppression;
  readonly #stateful = new Map<CompiledRule, StatefulRule>();
  /** Rules to test per eventType (rules that pin eventType are skipped for other events). */
  readonly #byEventType = new Map<string, CompiledRule[]>();
  readonly #unguarded: CompiledRule[] = [];
  #maxEventMs = Number.NEGATIVE_INFINITY;
  #lastResource: LogRecord['resource'] | undefined;

  constructor(options: EngineOptions) {
    this.#options = options;
    const guarded = new Map<string, Set<CompiledRule>>();
    for (const rule of options.rules) {
      const values = guardValues(rule.definition.match, 'eventType');
      if (!values) this.#unguarded.push(rule);
      else for (const v of values) guarded.set(v, (guarded.get(v) ?? new Set()).add(rule));
    }
    for (const [value, rules] of guarded) this.#byEventType.set(value, options.rules.filter((r) => rules.has(r) || this.#unguarded.includes(r)));
    for (const rule of options.rules) {
      if (!rule.definition.correlate) continue;
      this.#stateful.set(rule, new StatefulRule(rule.definition.correlate, {
        lateness: options.allowedLatenessMs ?? 60_000,
        maxGroups: options.maxGroupsPerRule ?? 10_000,
        onEvict: () => options.onStateEvict?.(rule),
        onTooLate: () => options.onTooLate?.(rule),
      }));
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

  evaluate(record: Pick<LogRecord, 'body' | 'attributes' | 'resource' | 'hrTime'>): Evaluation {
    const event = logEventOf(record as LogRecord);
    if (!event) return { matched: [], tags: {}, alerts: [] };
    const ctx = new RuleContext(event, record.attributes, record.resource.attributes as Record<string, unknown>);
    const matched: CompiledRule[] = [];
    const eventType = (event as { eventType?: unknown }).eventType;
    const candidates = typeof eventType === 'string' ? (this.#byEventType.get(eventType) ?? this.#unguarded) : this.#options.rules;
    for (const rule of candidates) {
      let result: unknown;
      try {
        result = rule.match(ctx);
      } catch (err) {
        this.#options.onRuleError?.(rule, err);
        if (this.#options.errorMode === 'propagate') throw err;
        continue;
      }
      if (truthy(result)) matched.push(rule);
    }
    if (matched.length === 0) return { matched, tags: {}, alerts: [] };

    const eventMs = millisFromHrTime(record.hrTime);
    this.#maxEventMs = Math.max(this.#maxEventMs, eventMs);
    this.#lastResource = record.resource;
    const alerts: LogRecord[] = [];
    const single: CompiledRule[] = [];
    for (const rule of matched) {
      const group: Record<string, AnyValue> = {};
      for (const { path, read } of rule.groupBy) group[path] = read(event) as AnyValue;
      const stateful = this.#stateful.get(rule);
      if (stateful) {
        for (const fire of stateful.add(ctx, eventMs, event.uuid, group, record.resource)) alerts.push(...this.#alert(rule, fire));
      } else {
        single.push(rule);
        alerts.push(...this.#suppression.hit(rule, group, { count: 1, firstMs: eventMs, lastMs: eventMs, uuids: [event.uuid] }, record.resource));
      }
    }
    // Stateful rules speak through their alerts; only single-event matches tag the raw record.
    return { matched: single, tags: single.length > 0 ? tagsFor(single) : {}, alerts };
  }

  #alert(rule: CompiledRule, fire: Fire): LogRecord[] {
    const resource = fire.resource ?? this.#lastResource;
    if (!resource) return [];
    return this.#suppression.hit(rule, fire.group, fire, resource);
  }

  /** Alerts that event time has settled: correlation windows closed, suppression follow-ups. */
  expired(): LogRecord[] {
    const alerts: LogRecord[] = [];
    const watermark = this.#maxEventMs - (this.#options.allowedLatenessMs ?? 60_000);
    for (const [rule, stateful] of this.#stateful) for (const fire of stateful.advance(watermark)) alerts.push(...this.#alert(rule, fire));
    return [...alerts, ...this.#suppression.expire()];
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

  /** Correlation state by rule id, for the storage extension. */
  snapshot(): Record<string, unknown> {
    return Object.fromEntries([...this.#stateful].map(([rule, s]) => [rule.definition.id, s.snapshot()]));
  }

  restore(snapshot: Record<string, unknown>, fallback: LogRecord['resource']): number {
    let restored = 0;
    for (const [rule, stateful] of this.#stateful) {
      const state = snapshot[rule.definition.id];
      if (state === undefined) continue;
      stateful.restore(state, fallback);
      restored += stateful.groupCount;
    }
    return restored;
  }

  /** Open correlation groups, per rule id. */
  stateSizes(): Record<string, number> {
    return Object.fromEntries([...this.#stateful].map(([rule, s]) => [rule.definition.id, s.groupCount]));
  }
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
