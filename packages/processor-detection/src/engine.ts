import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { millisFromHrTime, type LogRecord } from '@oktel/core';
import { truthy } from '@oktel/jsonlogic';
import { logEventOf } from '@oktel/okta-log-event';
import type { CompiledRule } from './rules/compiled-rule.js';
import { RuleContext } from './rules/rule-context.js';
import { SEVERITIES } from './rules/severity.js';
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

  constructor(options: EngineOptions) {
    this.#options = options;
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
    for (const rule of this.#options.rules) {
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
    const alerts: LogRecord[] = [];
    for (const rule of matched) {
      const group: Record<string, AnyValue> = {};
      for (const { path, read } of rule.groupBy) group[path] = read(event) as AnyValue;
      alerts.push(...this.#suppression.hit(rule, group, eventMs, event.uuid, record.resource));
    }
    return { matched, tags: tagsFor(matched), alerts };
  }

  /** Follow-up alerts for suppression windows that event time has closed. */
  expired(): LogRecord[] {
    return this.#suppression.expire();
  }

  /** Follow-up alerts for every open window: the pipeline is stopping. */
  flush(): LogRecord[] {
    return this.#suppression.flush();
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
