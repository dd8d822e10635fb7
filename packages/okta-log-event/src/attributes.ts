import type { AnyValueMap } from '@opentelemetry/api-logs';
import { isAbsent } from './absent.js';
import type { OktaLogEvent } from './log-event.js';

/**
 * Which names promoted attributes carry. Each promoted Okta field has an `okta.*` name and, where
 * the semantic conventions define one that fits, a semantic-convention name:
 * - `semantic` (default): the semantic-convention name where one applies to this event, the
 *   `okta.*` name otherwise — every field once, nothing lost, no duplicates;
 * - `okta`: only `okta.*` names (what Okta-specific dashboards and the Elastic integration key on);
 * - `both`: both names where both exist (the pre-0.2 behaviour; costs ~30 % more attributes).
 */
export const ATTRIBUTE_PROFILES = ['semantic', 'okta', 'both'] as const;
export type AttributeProfile = (typeof ATTRIBUTE_PROFILES)[number];
export const DEFAULT_ATTRIBUTE_PROFILE: AttributeProfile = 'semantic';

export interface AttributeMapping {
  /** The Okta field, as a dotted path in the event. */
  readonly source: string;
  /** The `okta.*` name: used by the `okta` and `both` profiles, and by `semantic` where no semantic name applies. */
  readonly okta: string;
  /** The semantic-convention name, if one fits. */
  readonly semantic?: string;
  /** When the semantic name applies to this event (e.g. `user.*` only when the actor is a user). */
  readonly semanticWhen?: (event: OktaLogEvent) => boolean;
  readonly note?: string;
  readonly read: (event: OktaLogEvent) => unknown;
}

const actorIsUser = (e: OktaLogEvent): boolean => e.actor?.type === 'User';
const geo = (e: OktaLogEvent) => e.client?.geographicalContext;

/**
 * Fields promoted to attributes. The table is data so the package README is generated from it.
 * `user.email` is not promoted separately: it would repeat `user.name` (the Okta login) on every event.
 */
export const ATTRIBUTE_MAPPINGS: readonly AttributeMapping[] = [
  { source: 'uuid', semantic: 'log.record.uid', okta: 'okta.uuid', read: (e) => e.uuid },
  { source: 'eventType', okta: 'okta.event_type', note: "also the record's EventName", read: (e) => e.eventType },
  { source: 'legacyEventType', okta: 'okta.legacy_event_type', read: (e) => e.legacyEventType },
  { source: 'displayMessage', okta: 'okta.display_message', read: (e) => e.displayMessage },
  { source: 'outcome.result', okta: 'okta.outcome.result', read: (e) => e.outcome?.result },
  { source: 'outcome.reason', okta: 'okta.outcome.reason', read: (e) => e.outcome?.reason },
  { source: 'actor.type', okta: 'okta.actor.type', read: (e) => e.actor?.type },
  {
    source: 'actor.id',
    semantic: 'user.id',
    semanticWhen: actorIsUser,
    okta: 'okta.actor.id',
    note: 'semantic name only when actor.type is User',
    read: (e) => e.actor?.id,
  },
  {
    source: 'actor.alternateId',
    semantic: 'user.name',
    semanticWhen: actorIsUser,
    okta: 'okta.actor.alternate_id',
    note: 'semantic name only when actor.type is User (the Okta login)',
    read: (e) => e.actor?.alternateId,
  },
  {
    source: 'actor.displayName',
    semantic: 'user.full_name',
    semanticWhen: actorIsUser,
    okta: 'okta.actor.display_name',
    note: 'semantic name only when actor.type is User',
    read: (e) => e.actor?.displayName,
  },
  { source: 'client.ipAddress', semantic: 'client.address', okta: 'okta.client.ip_address', read: (e) => e.client?.ipAddress },
  { source: 'client.userAgent.rawUserAgent', semantic: 'user_agent.original', okta: 'okta.client.user_agent', read: (e) => e.client?.userAgent?.rawUserAgent },
  { source: 'client.zone', okta: 'okta.client.zone', read: (e) => e.client?.zone },
  { source: 'client.device', okta: 'okta.client.device', read: (e) => e.client?.device },
  { source: 'client.id', okta: 'okta.client.id', read: (e) => e.client?.id },
  { source: 'client.geographicalContext.city', semantic: 'geo.locality.name', okta: 'okta.geo.city', read: (e) => geo(e)?.city },
  { source: 'client.geographicalContext.postalCode', semantic: 'geo.postal_code', okta: 'okta.geo.postal_code', read: (e) => geo(e)?.postalCode },
  { source: 'client.geographicalContext.geolocation.lat', semantic: 'geo.location.lat', okta: 'okta.geo.lat', read: (e) => geo(e)?.geolocation?.lat },
  { source: 'client.geographicalContext.geolocation.lon', semantic: 'geo.location.lon', okta: 'okta.geo.lon', read: (e) => geo(e)?.geolocation?.lon },
  {
    source: 'client.geographicalContext.country',
    okta: 'okta.geo.country',
    note: 'a country name, not the ISO code geo.country.iso_code expects',
    read: (e) => geo(e)?.country,
  },
  { source: 'client.geographicalContext.state', okta: 'okta.geo.state', note: 'a region name, not an ISO code', read: (e) => geo(e)?.state },
  {
    source: 'authenticationContext.externalSessionId',
    semantic: 'session.id',
    okta: 'okta.external_session_id',
    read: (e) => e.authenticationContext?.externalSessionId,
  },
  { source: 'authenticationContext.rootSessionId', okta: 'okta.root_session_id', read: (e) => e.authenticationContext?.rootSessionId },
  { source: 'transaction.id', okta: 'okta.transaction.id', read: (e) => e.transaction?.id },
  { source: 'transaction.type', okta: 'okta.transaction.type', read: (e) => e.transaction?.type },
  { source: 'debugContext.debugData.requestId', okta: 'okta.request.id', read: (e) => e.debugContext?.debugData?.requestId },
];

function promotable(value: unknown): value is string | number | boolean {
  if (isAbsent(value)) return false;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** The names a mapping writes for one event under a profile. */
function namesFor(mapping: AttributeMapping, event: OktaLogEvent, profile: AttributeProfile): string[] {
  const semantic = mapping.semantic !== undefined && (mapping.semanticWhen?.(event) ?? true) ? mapping.semantic : undefined;
  if (profile === 'okta') return [mapping.okta];
  if (profile === 'both') return semantic ? [mapping.okta, semantic] : [mapping.okta];
  return [semantic ?? mapping.okta];
}

/** The promoted attributes of one event. Absent values (see `isAbsent`) are never promoted. */
export function attributesOf(event: OktaLogEvent, profile: AttributeProfile = DEFAULT_ATTRIBUTE_PROFILE): AnyValueMap {
  const attributes: AnyValueMap = {};
  for (const mapping of ATTRIBUTE_MAPPINGS) {
    const value = mapping.read(event);
    if (!promotable(value)) continue;
    for (const name of namesFor(mapping, event, profile)) attributes[name] = value;
  }
  return attributes;
}

export function renderAttributeTable(): string {
  const rows = ATTRIBUTE_MAPPINGS.map((m) => `| \`${m.source}\` | ${m.semantic ? `\`${m.semantic}\`` : '—'} | \`${m.okta}\` | ${m.note ?? ''} |`);
  return [
    '| Okta field | semantic name (`semantic`, `both`) | `okta.*` name (`okta`, `both`; `semantic` when no semantic name applies) | note |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}
