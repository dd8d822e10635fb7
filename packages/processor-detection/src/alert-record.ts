import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { hrTimeFromMillis, type LogRecord } from '@oktel/core';
import { isAbsent, isAbsentPrincipal, type OktaLogEvent } from '@oktel/okta-log-event';
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
  /** Who and what the contributing events name (see `entitiesOf` / `EntityCollector`); optional so callers can adopt it. */
  entities?: AlertEntities;
  /** What a correlation type adds (impossible travel: distance and speed; new terms: the new values). */
  attributes?: AnyValueMap;
  /** One clause the message ends with (e.g. "1,020 km in 40 min, 1,530 km/h"). */
  summary?: string;
}

/**
 * The entities an alert's contributing events name, each under its ECS / semantic-convention
 * attribute name: the distinct values (first seen first, at most `cap`) and how many further
 * distinct values were left out.
 */
export type AlertEntities = Readonly<Record<string, { readonly values: readonly string[]; readonly omitted: number }>>;

/** Entity attribute names, in the order the primary entity is chosen (the user wherever there is one, as Splunk RBA's risk object). */
export const ENTITY_ATTRIBUTES = [
  'user.name',
  'user.id',
  'user.target.name',
  'user.target.id',
  'source.ip',
  'session.id',
  'source.geo.country_iso_code',
  'source.geo.country_name',
  'source.geo.city_name',
  'user_agent.original',
  'device.id',
  'okta.device_token',
  'okta.target.name',
] as const;
type EntityAttribute = (typeof ENTITY_ATTRIBUTES)[number];

const PRIMARY_ORDER: readonly EntityAttribute[] = ['user.name', 'user.id', 'user.target.name', 'source.ip', 'session.id', 'device.id', 'okta.device_token'];

/** Okta gives country names; ECS wants ISO 3166-1 alpha-2. Built once from the runtime's ICU data. */
let countryCodes: Map<string, string> | undefined;
const RETIRED_REGION_CODES = new Set([
  'AN',
  'BU',
  'CS',
  'DD',
  'DY',
  'EU',
  'EZ',
  'FX',
  'HV',
  'NH',
  'NT',
  'QO',
  'RH',
  'SU',
  'TP',
  'UK',
  'UN',
  'VD',
  'YD',
  'YU',
  'ZR',
  'ZZ',
]);
export function countryIsoCode(name: string): string | undefined {
  if (!countryCodes) {
    countryCodes = new Map();
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        if (RETIRED_REGION_CODES.has(code) || code.startsWith('X') || code.startsWith('Q')) continue;
        const display = names.of(code);
        if (display && display !== code && !countryCodes.has(display.toLowerCase())) countryCodes.set(display.toLowerCase(), code);
      }
    }
  }
  return countryCodes.get(name.trim().toLowerCase());
}

function text(value: unknown): string | undefined {
  if (isAbsent(value)) return undefined;
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** One entity value of one event: attribute name and value. */
export type EntityPair = readonly [string, string];

/**
 * The entity values one event names, extracted once: what a correlation item keeps of the event
 * for its alert (a few short strings, never the event). Absent values and the principal that
 * names nobody are left out.
 */
export function eventEntities(event: OktaLogEvent): EntityPair[] {
  const out: EntityPair[] = [];
  const put = (name: EntityAttribute, raw: unknown) => {
    const value = text(raw);
    if (value !== undefined) out.push([name, value]);
  };
  const actor = event.actor;
  if (actor?.type === 'User' && !isAbsentPrincipal(actor)) {
    put('user.name', actor.alternateId);
    put('user.id', actor.id);
  }
  // Okta's contract, not a guarantee: a hostile or broken source may send any shape here.
  for (const target of Array.isArray(event.target) ? event.target : []) {
    if (!target || typeof target !== 'object' || isAbsentPrincipal(target)) continue;
    if (target.type === 'User') {
      put('user.target.name', target.alternateId);
      put('user.target.id', target.id);
    } else {
      put('okta.target.name', target.displayName ?? target.alternateId);
    }
  }
  const client = event.client;
  put('source.ip', client?.ipAddress);
  put('session.id', event.authenticationContext?.externalSessionId);
  const country = text(client?.geographicalContext?.country);
  if (country) {
    put('source.geo.country_name', country);
    put('source.geo.country_iso_code', countryIsoCode(country));
  }
  put('source.geo.city_name', client?.geographicalContext?.city);
  put('user_agent.original', client?.userAgent?.rawUserAgent);
  put('device.id', (event.device as { id?: unknown } | null | undefined)?.id);
  put('okta.device_token', event.debugContext?.debugData?.dtHash);
  return out;
}

/**
 * Collects the entities of an alert's events one event at a time, in bounded memory: per attribute
 * at most `cap` kept values and a set of at most `overflowLimit` further values to count them
 * (beyond that the omitted count is a lower bound). Absent values (Okta's "unknown", "null", …)
 * and the principal that names nobody are never entities.
 */
export class EntityCollector {
  readonly #cap: number;
  readonly #overflowLimit: number;
  readonly #kept = new Map<EntityAttribute, string[]>();
  readonly #overflow = new Map<EntityAttribute, Set<string>>();
  readonly #extraOmitted = new Map<EntityAttribute, number>();

  constructor(cap = 5, overflowLimit = 1_000) {
    this.#cap = Math.max(1, cap);
    this.#overflowLimit = overflowLimit;
  }

  #put(name: EntityAttribute, raw: unknown): void {
    const value = text(raw);
    if (value === undefined) return;
    const kept = this.#kept.get(name) ?? [];
    if (kept.includes(value)) return;
    if (kept.length < this.#cap) {
      kept.push(value);
      this.#kept.set(name, kept);
      return;
    }
    const overflow = this.#overflow.get(name) ?? new Set<string>();
    if (overflow.size < this.#overflowLimit) overflow.add(value);
    this.#overflow.set(name, overflow);
  }

  add(event: OktaLogEvent): void {
    this.addPairs(eventEntities(event));
  }

  /** Adds what `eventEntities` extracted earlier (a correlation item carries it instead of the event). */
  addPairs(pairs: readonly EntityPair[]): void {
    for (const [name, value] of pairs) this.#put(name as EntityAttribute, value);
  }

  /** Adds another alert's entities (a suppression follow-up); their omitted counts add up. */
  merge(entities: AlertEntities): void {
    for (const [name, entity] of Object.entries(entities)) {
      if (!(ENTITY_ATTRIBUTES as readonly string[]).includes(name)) continue;
      for (const value of entity.values) this.#put(name as EntityAttribute, value);
      this.#extraOmitted.set(name as EntityAttribute, (this.#extraOmitted.get(name as EntityAttribute) ?? 0) + entity.omitted);
    }
  }

  result(): AlertEntities {
    const out: Record<string, { values: string[]; omitted: number }> = {};
    for (const name of ENTITY_ATTRIBUTES) {
      const values = this.#kept.get(name);
      if (values) out[name] = { values: [...values], omitted: (this.#overflow.get(name)?.size ?? 0) + (this.#extraOmitted.get(name) ?? 0) };
    }
    return out;
  }
}

/** The entities named by a set of events (pure): at most `cap` distinct values per entity plus the count of the rest. */
export function entitiesOf(events: readonly OktaLogEvent[], cap = 5): AlertEntities {
  const collector = new EntityCollector(cap);
  for (const event of events) collector.add(event);
  return collector.result();
}

/** The alert's primary entity: the user wherever there is one, else the address, session or device. */
export function primaryEntity(entities: AlertEntities): { attribute: string; value: string; others: number } | undefined {
  for (const name of PRIMARY_ORDER) {
    const entity = entities[name];
    if (entity && entity.values.length > 0) return { attribute: name, value: entity.values[0]!, others: entity.values.length - 1 + entity.omitted };
  }
  return undefined;
}

/**
 * Writes entities as attributes: one distinct value as a string, several as a string array (the
 * way ECS fields hold one or many), `oktel.alert.entities_omitted.<name>` when values were left
 * out, and `oktel.alert.primary_entity.*`. Attributes already set (the group-by values) win.
 */
export function writeEntityAttributes(attributes: AnyValueMap, entities: AlertEntities): void {
  for (const [name, entity] of Object.entries(entities)) {
    if (entity.values.length === 0) continue;
    if (!(name in attributes)) attributes[name] = entity.values.length === 1 && entity.omitted === 0 ? entity.values[0]! : [...entity.values];
    if (entity.omitted > 0) attributes[`oktel.alert.entities_omitted.${name}`] = entity.omitted;
  }
  const primary = primaryEntity(entities);
  if (primary) {
    attributes['oktel.alert.primary_entity.type'] = primary.attribute;
    attributes['oktel.alert.primary_entity.value'] = primary.value;
  }
}

function describePrimary(entities: AlertEntities | undefined, group: Readonly<Record<string, AnyValue>>): string {
  const primary = entities ? primaryEntity(entities) : undefined;
  if (!primary) return '';
  if (Object.values(group).some((v) => v === primary.value)) return '';
  const noun = primary.attribute.startsWith('user.target')
    ? 'target user'
    : primary.attribute.startsWith('user.')
      ? 'user'
      : primary.attribute === 'source.ip'
        ? 'address'
        : primary.attribute === 'session.id'
          ? 'session'
          : 'device';
  return ` (${noun} ${primary.value}${primary.others > 0 ? ` and ${primary.others} more` : ''})`;
}

function describeGroup(group: Readonly<Record<string, AnyValue>>): string {
  const parts = Object.entries(group)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`);
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
  if (facts.attributes) for (const [k, v] of Object.entries(facts.attributes)) if (!(k in attributes)) attributes[k] = v;
  if (facts.entities) writeEntityAttributes(attributes, facts.entities);
  const when =
    facts.firstMs === facts.lastMs
      ? `at ${new Date(facts.firstMs).toISOString()}`
      : `between ${new Date(facts.firstMs).toISOString()} and ${new Date(facts.lastMs).toISOString()}`;
  const body = `${def.name}${describeGroup(group)}${describePrimary(facts.entities, group)}: ${count} event${count === 1 ? '' : 's'} ${when}${facts.summary ? `, ${facts.summary}` : ''}${facts.update ? ' (update: more hits after the first alert)' : ''}.`;
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
