import type { OktaActor, OktaLogEvent } from '@oktel/okta-log-event';
import type { OrgApp, OrgUser, Place } from './org.js';
import type { Random } from './random.js';

/** Where a request came from: a user's usual browser, or someone else's machine. */
export interface Origin {
  ip: string;
  place: Place;
  userAgent: string;
  os: string;
  browser: string;
}

export function homeOrigin(user: OrgUser): Origin {
  return { ip: user.ip, place: user.home, userAgent: user.userAgent, os: user.os, browser: user.browser };
}

export function userActor(user: OrgUser): OktaActor {
  return { id: user.id, type: 'User', alternateId: user.login, displayName: user.name, detailEntry: null };
}

export function appTarget(app: OrgApp): OktaActor {
  return { id: app.id, type: 'AppInstance', alternateId: app.label, displayName: app.label, detailEntry: { signOnModeType: 'SAML_2_0' } };
}

export function verifyTarget(random: Random): OktaActor {
  return {
    id: random.id('pfd', 17),
    type: 'AuthenticatorEnrollment',
    alternateId: 'unknown',
    displayName: 'Okta Verify',
    detailEntry: { methodTypeUsed: 'Get a push notification', methodUsedVerifiedProperties: '[DEVICE_BOUND, HARDWARE_PROTECTED]' },
  };
}

export const BENIGN_BEHAVIORS =
  '{New Geo-Location=NEGATIVE, New Device=NEGATIVE, New IP=NEGATIVE, New State=NEGATIVE, New Country=NEGATIVE, Velocity=NEGATIVE, New City=NEGATIVE}';
export const HOSTILE_BEHAVIORS =
  '{New Geo-Location=POSITIVE, New Device=POSITIVE, New IP=POSITIVE, New State=POSITIVE, New Country=POSITIVE, Velocity=POSITIVE, New City=POSITIVE}';

export interface EventSpec {
  at: number;
  eventType: string;
  displayMessage: string;
  legacyEventType?: string | null;
  severity?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  actor: OktaActor;
  origin?: Origin;
  result: string;
  reason?: string | null;
  target?: OktaActor[] | null;
  sessionId?: string | null;
  debugData?: Record<string, string>;
  credentialType?: string | null;
}

/** A LogEvent with every field Okta sends, nulls where Okta leaves them empty. */
export function buildEvent(random: Random, spec: EventSpec): OktaLogEvent {
  const requestId = random.id('', 27);
  const o = spec.origin;
  const geo = o
    ? {
        city: o.place.city,
        state: o.place.state,
        country: o.place.country,
        postalCode: o.place.postalCode,
        geolocation: { lat: o.place.lat, lon: o.place.lon },
      }
    : null;
  return {
    actor: spec.actor,
    client: o
      ? {
          userAgent: { rawUserAgent: o.userAgent, os: o.os, browser: o.browser },
          zone: 'null',
          device: 'Computer',
          id: null,
          ipAddress: o.ip,
          geographicalContext: geo,
        }
      : { userAgent: null, zone: null, device: null, id: null, ipAddress: null, geographicalContext: null },
    device: null,
    authenticationContext: {
      authenticationProvider: null,
      credentialProvider: null,
      credentialType: spec.credentialType ?? null,
      issuer: null,
      interface: null,
      authenticationStep: 0,
      rootSessionId: spec.sessionId ?? null,
      externalSessionId: spec.sessionId ?? null,
    },
    displayMessage: spec.displayMessage,
    eventType: spec.eventType,
    outcome: { result: spec.result, reason: spec.reason ?? null },
    published: new Date(spec.at).toISOString(),
    securityContext: o
      ? { asNumber: 64496 + (o.ip.charCodeAt(o.ip.length - 1) % 50), asOrg: o.place.asOrg, isp: o.place.asOrg, domain: 'example.net', isProxy: false }
      : { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
    severity: spec.severity ?? 'INFO',
    debugContext: { debugData: { requestId, requestUri: '/idp/idx/identify', url: '/idp/idx/identify?', ...(spec.debugData ?? {}) } },
    legacyEventType: spec.legacyEventType ?? null,
    transaction: { type: 'WEB', id: requestId, detail: {} },
    uuid: random.uuid(spec.at),
    version: '0',
    request: { ipChain: o ? [{ ip: o.ip, geographicalContext: geo, version: 'V4', source: null }] : [] },
    target: spec.target === undefined ? null : spec.target,
  };
}
