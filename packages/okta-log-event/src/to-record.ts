import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { InstrumentationScope } from '@opentelemetry/core';
import { hrTimeFromMillis, type LogRecord } from '@oktel/core';
import { attributesOf, DEFAULT_ATTRIBUTE_PROFILE, type AttributeProfile } from './attributes.js';
import type { OktaLogEvent } from './log-event.js';
import { publishedMillis } from './published.js';
import { severityNumberOf } from './severity.js';

export interface RecordContext {
  /** Shared by every record of one source: exporters group records by this object's identity. */
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  /** When the event was received; defaults to now. */
  readonly observedAtMs?: number;
  /** Which attribute names to promote (see `AttributeProfile`); default `semantic`, no duplicates. */
  readonly attributeProfile?: AttributeProfile;
}

export function oktaResource(options: { domain?: string; serviceName?: string; extra?: Record<string, string> } = {}): Resource {
  const attributes: Record<string, string> = { 'service.name': options.serviceName ?? 'okta', ...(options.extra ?? {}) };
  if (options.domain) attributes['okta.domain'] = options.domain;
  return resourceFromAttributes(attributes);
}

/**
 * One Okta LogEvent as one OpenTelemetry log record. The body is the event itself, unchanged
 * (every field, nulls included), so nothing Okta sent is lost; the attributes are a promoted,
 * searchable view of the same data.
 */
export function logEventToRecord(event: OktaLogEvent, context: RecordContext): LogRecord {
  const observed = context.observedAtMs ?? Date.now();
  return {
    hrTime: hrTimeFromMillis(publishedMillis(event.published)),
    hrTimeObserved: hrTimeFromMillis(observed),
    severityNumber: severityNumberOf(event.severity),
    severityText: event.severity ?? undefined,
    body: event as unknown as AnyValue,
    eventName: event.eventType,
    attributes: attributesOf(event, context.attributeProfile ?? DEFAULT_ATTRIBUTE_PROFILE) as AnyValueMap,
    resource: context.resource,
    instrumentationScope: context.scope,
    droppedAttributesCount: 0,
  };
}

/**
 * The Okta event a record carries: the body as a map (records this package made, or an Okta
 * event forwarded as a structured OTLP body), or the body as a JSON string holding an event
 * object (a forwarder that shipped the raw line). Anything else is not an Okta event.
 * A JSON body is parsed on every call; callers that read it more than once keep the result.
 */
export function logEventOf(record: LogRecord): OktaLogEvent | undefined {
  const body = record.body;
  if (typeof body === 'string') return oktaEventFromJson(body);
  if (typeof body !== 'object' || body === null || Array.isArray(body) || body instanceof Uint8Array) return undefined;
  return hasEventIdentity(body as Record<string, unknown>) ? (body as unknown as OktaLogEvent) : undefined;
}

/**
 * What every Okta LogEvent has and detection relies on (identity, type, a readable time), checked
 * cheaply on every record: a map body from another source (the otlp receiver) that lacks them is
 * not an Okta event, and must not reach the rules as one.
 */
function hasEventIdentity(event: Record<string, unknown>): boolean {
  return (
    typeof event.uuid === 'string' && typeof event.eventType === 'string' && typeof event.published === 'string' && !Number.isNaN(Date.parse(event.published))
  );
}

/** Bodies longer than this are not parsed as events (Okta events are a few KiB). */
const MAX_JSON_BODY_CHARS = 1024 * 1024;

function oktaEventFromJson(text: string): OktaLogEvent | undefined {
  const start = text.trimStart();
  if (!start.startsWith('{') || text.length > MAX_JSON_BODY_CHARS) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  // A JSON string is free text until proven otherwise: require what every Okta LogEvent has.
  const event = value as Record<string, unknown>;
  return hasEventIdentity(event) ? (event as unknown as OktaLogEvent) : undefined;
}
