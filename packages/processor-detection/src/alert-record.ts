import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { hrTimeFromMillis, type LogRecord } from '@oktel/core';
import type { CompiledRule } from './rules/compiled-rule.js';
import { ALERT_SEVERITY_NUMBER } from './rules/severity.js';

export const ALERT_EVENT_NAME = 'oktel.detection.alert';
export const DETECTION_SCOPE = { name: '@oktel/processor-detection', version: '0.1.0' };

/** Group-by paths with a semantic-convention name; others become `okta.<path>`. */
const GROUP_ATTRIBUTE: Readonly<Record<string, string>> = {
  'actor.alternateId': 'user.name',
  'actor.id': 'user.id',
  'actor.displayName': 'user.full_name',
  'client.ipAddress': 'client.address',
  'client.userAgent.rawUserAgent': 'user_agent.original',
  'authenticationContext.externalSessionId': 'session.id',
  'authenticationContext.rootSessionId': 'okta.root_session_id',
};

export function groupAttributeName(path: string): string {
  return GROUP_ATTRIBUTE[path] ?? `okta.${path}`;
}

export interface AlertFacts {
  rule: CompiledRule;
  group: Readonly<Record<string, AnyValue>>;
  count: number;
  firstMs: number;
  lastMs: number;
  uuids: readonly string[];
  /** True for the follow-up that reports hits suppressed after the first alert. */
  update: boolean;
  resource: LogRecord['resource'];
}

function describeGroup(group: Readonly<Record<string, AnyValue>>): string {
  const parts = Object.entries(group).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${k}=${String(v)}`);
  return parts.length > 0 ? ` for ${parts.join(', ')}` : '';
}

/** A new record for an alert: event.kind=alert, the rule's severity, ATT&CK, group and evidence. */
export function alertRecord(facts: AlertFacts): LogRecord {
  const { rule, group, count } = facts;
  const def = rule.definition;
  const attributes: AnyValueMap = {
    'event.kind': 'alert',
    ...rule.tagAttributes,
    'security_rule.severity': def.severity,
    'security_rule.description': def.description,
    'event.risk_score': rule.riskScore,
    'oktel.alert.event_count': count,
    'oktel.alert.first_event_time': new Date(facts.firstMs).toISOString(),
    'oktel.alert.last_event_time': new Date(facts.lastMs).toISOString(),
    'oktel.alert.event_uuids': [...facts.uuids],
    'oktel.alert.update': facts.update,
  };
  if (def.references.length > 0) attributes['security_rule.reference'] = def.references[0]!;
  for (const [path, value] of Object.entries(group)) if (value !== null && value !== undefined) attributes[groupAttributeName(path)] = value;
  const when = facts.firstMs === facts.lastMs ? `at ${new Date(facts.firstMs).toISOString()}` : `between ${new Date(facts.firstMs).toISOString()} and ${new Date(facts.lastMs).toISOString()}`;
  const body = `${def.name}${describeGroup(group)}: ${count} event${count === 1 ? "" : "s"} ${when}${facts.update ? " (update: more hits after the first alert)" : ""}.`;
  return {
    hrTime: hrTimeFromMillis(facts.lastMs),
    hrTimeObserved: hrTimeFromMillis(Date.now()),
    severityNumber: ALERT_SEVERITY_NUMBER[def.severity],
    severityText: def.severity.toUpperCase(),
    body,
    eventName: ALERT_EVENT_NAME,
    attributes,
    resource: facts.resource,
    instrumentationScope: DETECTION_SCOPE,
    droppedAttributesCount: 0,
  };
}
