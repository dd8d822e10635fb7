import { publishedMillis } from './published.js';

/**
 * The Okta System Log LogEvent as the API returns it (GET /api/v1/logs). Every nested object
 * may be null; only the fields oktel reads are typed, the rest is carried through untouched.
 */
export interface OktaActor {
  id?: string | null;
  type?: string | null;
  alternateId?: string | null;
  displayName?: string | null;
  detailEntry?: Record<string, unknown> | null;
}

export interface OktaLogEvent {
  uuid: string;
  published: string;
  eventType: string;
  version?: string;
  severity?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | string;
  legacyEventType?: string | null;
  displayMessage?: string | null;
  actor?: OktaActor | null;
  client?: {
    id?: string | null;
    userAgent?: { rawUserAgent?: string | null; os?: string | null; browser?: string | null } | null;
    zone?: string | null;
    device?: string | null;
    ipAddress?: string | null;
    geographicalContext?: {
      city?: string | null;
      state?: string | null;
      country?: string | null;
      postalCode?: string | null;
      geolocation?: { lat?: number | null; lon?: number | null } | null;
    } | null;
  } | null;
  device?: Record<string, unknown> | null;
  authenticationContext?: {
    externalSessionId?: string | null;
    rootSessionId?: string | null;
    credentialType?: string | null;
    [key: string]: unknown;
  } | null;
  outcome?: { result?: string | null; reason?: string | null } | null;
  target?: OktaActor[] | null;
  transaction?: { id?: string | null; type?: string | null; detail?: Record<string, unknown> | null } | null;
  debugContext?: { debugData?: Record<string, unknown> | null } | null;
  securityContext?: Record<string, unknown> | null;
  request?: { ipChain?: unknown[] | null } | null;
  [key: string]: unknown;
}

/**
 * How deeply an event may nest. Okta's deepest documented paths (debugContext.debugData,
 * target[].detailEntry) are under 10 levels; a hostile or broken source can send thousands,
 * which overflow recursive serializers downstream. Refused where the event is parsed.
 */
export const MAX_EVENT_DEPTH = 64;

/** The nesting depth of a JSON value, walked iteratively so a hostile value cannot overflow the stack; stops counting past `limit`. */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Why a parsed JSON value is not a LogEvent oktel can carry, or undefined when it is.
 * Only what the pipeline depends on is checked (identity, time, type); everything else is Okta's business.
 */
export function logEventProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `expected a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`;
  const event = value as Record<string, unknown>;
  for (const key of ['uuid', 'published', 'eventType'] as const) {
    if (typeof event[key] !== 'string' || event[key] === '') return `missing or empty "${key}"`;
  }
  if (Number.isNaN(publishedMillis(event.published as string))) return `"published" is not an ISO 8601 timestamp: ${JSON.stringify(event.published)}`;
  if (jsonDepthExceeds(event, MAX_EVENT_DEPTH)) return `nested deeper than ${MAX_EVENT_DEPTH} levels`;
  return undefined;
}
