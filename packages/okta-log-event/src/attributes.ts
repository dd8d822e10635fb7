import type { AnyValueMap } from '@opentelemetry/api-logs';
import type { OktaLogEvent } from './log-event.js';

/** Okta writes the string "null" where it has no value (client.zone, client.ipAddress). */
function present(value: unknown): value is string | number | boolean {
  if (value === null || value === undefined || value === '') return false;
  if (value === 'null') return false;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

export interface AttributeMapping {
  readonly attribute: string;
  readonly source: string;
  readonly note?: string;
  readonly read: (event: OktaLogEvent) => unknown;
}

const actorIsUser = (e: OktaLogEvent): boolean => e.actor?.type === 'User';
const geo = (e: OktaLogEvent) => e.client?.geographicalContext;

/**
 * Fields promoted to attributes: OpenTelemetry semantic-convention names where one exists,
 * `okta.*` otherwise. The table is data so the package README is generated from it.
 */
export const ATTRIBUTE_MAPPINGS: readonly AttributeMapping[] = [
  { attribute: 'log.record.uid', source: 'uuid', read: (e) => e.uuid },
  { attribute: 'okta.uuid', source: 'uuid', read: (e) => e.uuid },
  { attribute: 'okta.event_type', source: 'eventType', read: (e) => e.eventType },
  { attribute: 'okta.legacy_event_type', source: 'legacyEventType', read: (e) => e.legacyEventType },
  { attribute: 'okta.display_message', source: 'displayMessage', read: (e) => e.displayMessage },
  { attribute: 'okta.outcome.result', source: 'outcome.result', read: (e) => e.outcome?.result },
  { attribute: 'okta.outcome.reason', source: 'outcome.reason', read: (e) => e.outcome?.reason },
  { attribute: 'okta.actor.id', source: 'actor.id', read: (e) => e.actor?.id },
  { attribute: 'okta.actor.type', source: 'actor.type', read: (e) => e.actor?.type },
  { attribute: 'okta.actor.alternate_id', source: 'actor.alternateId', read: (e) => e.actor?.alternateId },
  { attribute: 'okta.actor.display_name', source: 'actor.displayName', read: (e) => e.actor?.displayName },
  { attribute: 'user.id', source: 'actor.id', note: 'only when actor.type is User', read: (e) => (actorIsUser(e) ? e.actor?.id : undefined) },
  { attribute: 'user.name', source: 'actor.alternateId', note: 'only when actor.type is User (the Okta login)', read: (e) => (actorIsUser(e) ? e.actor?.alternateId : undefined) },
  { attribute: 'user.email', source: 'actor.alternateId', note: 'only when actor.type is User and the login is an email address', read: (e) => (actorIsUser(e) && /^[^@\s]+@[^@\s]+$/.test(e.actor?.alternateId ?? '') ? e.actor?.alternateId : undefined) },
  { attribute: 'user.full_name', source: 'actor.displayName', note: 'only when actor.type is User', read: (e) => (actorIsUser(e) ? e.actor?.displayName : undefined) },
  { attribute: 'client.address', source: 'client.ipAddress', read: (e) => e.client?.ipAddress },
  { attribute: 'user_agent.original', source: 'client.userAgent.rawUserAgent', read: (e) => e.client?.userAgent?.rawUserAgent },
  { attribute: 'okta.client.zone', source: 'client.zone', read: (e) => e.client?.zone },
  { attribute: 'okta.client.device', source: 'client.device', read: (e) => e.client?.device },
  { attribute: 'okta.client.id', source: 'client.id', read: (e) => e.client?.id },
  { attribute: 'geo.locality.name', source: 'client.geographicalContext.city', read: (e) => geo(e)?.city },
  { attribute: 'geo.postal_code', source: 'client.geographicalContext.postalCode', read: (e) => geo(e)?.postalCode },
  { attribute: 'geo.location.lat', source: 'client.geographicalContext.geolocation.lat', read: (e) => geo(e)?.geolocation?.lat },
  { attribute: 'geo.location.lon', source: 'client.geographicalContext.geolocation.lon', read: (e) => geo(e)?.geolocation?.lon },
  { attribute: 'okta.geo.country', source: 'client.geographicalContext.country', note: 'a country name, not the ISO code geo.country.iso_code expects', read: (e) => geo(e)?.country },
  { attribute: 'okta.geo.state', source: 'client.geographicalContext.state', note: 'a region name, not an ISO code', read: (e) => geo(e)?.state },
  { attribute: 'session.id', source: 'authenticationContext.externalSessionId', read: (e) => (e.authenticationContext?.externalSessionId === 'unknown' ? undefined : e.authenticationContext?.externalSessionId) },
  { attribute: 'okta.root_session_id', source: 'authenticationContext.rootSessionId', read: (e) => e.authenticationContext?.rootSessionId },
  { attribute: 'okta.transaction.id', source: 'transaction.id', read: (e) => e.transaction?.id },
  { attribute: 'okta.transaction.type', source: 'transaction.type', read: (e) => e.transaction?.type },
  { attribute: 'okta.request.id', source: 'debugContext.debugData.requestId', read: (e) => e.debugContext?.debugData?.requestId },
];

export function attributesOf(event: OktaLogEvent): AnyValueMap {
  const attributes: AnyValueMap = {};
  for (const mapping of ATTRIBUTE_MAPPINGS) {
    const value = mapping.read(event);
    if (present(value)) attributes[mapping.attribute] = value;
  }
  return attributes;
}

export function renderAttributeTable(): string {
  const rows = ATTRIBUTE_MAPPINGS.map((m) => `| \`${m.attribute}\` | \`${m.source}\` | ${m.note ?? ''} |`);
  return ['| attribute | Okta field | note |', '|---|---|---|', ...rows].join('\n');
}
