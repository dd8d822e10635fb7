import type { OktaLogEvent } from '@oktel/okta-log-event';
import { appTarget, buildEvent, HOSTILE_BEHAVIORS, homeOrigin, userActor, verifyTarget, type Origin } from './events.js';
import { HOSTILE_PLACES, type Org, type OrgUser } from './org.js';
import type { Random } from './random.js';

export const SCENARIOS = [
  'mfa_push_fatigue',
  'credential_stuffing',
  'threatinsight_detection',
  'identity_verification_denied',
  'unauthorized_app_access',
  'session_roaming_after_push',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

function hostileOrigin(random: Random): Origin {
  const place = random.pick(HOSTILE_PLACES);
  return {
    ip: `${place.ipPrefix}${random.int(2, 250)}`,
    place,
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    os: 'Windows 10',
    browser: 'CHROME',
  };
}

const hostileDebug = { behaviors: HOSTILE_BEHAVIORS, risk: '{reasons=Anomalous Location, Anomalous Device, level=HIGH}', threatSuspected: 'false' };

/** Stolen password, then push after push until the tired user approves one (Identity Engine events). */
function mfaPushFatigue(random: Random, _org: Org, victim: OrgUser, at: number): OktaLogEvent[] {
  const attacker = hostileOrigin(random);
  const actor = userActor(victim);
  const session = random.id('idx', 25);
  const events: OktaLogEvent[] = [];
  let t = at;
  const denials = random.int(3, 6);
  for (let i = 0; i <= denials; i++) {
    t += random.int(15_000, 60_000);
    events.push(
      buildEvent(random, {
        at: t,
        eventType: 'system.push.send_factor_verify_push',
        displayMessage: 'Push notification sent',
        actor,
        origin: attacker,
        result: 'SUCCESS',
        sessionId: session,
        target: [verifyTarget(random)],
        debugData: { ...hostileDebug, factor: 'OKTA_VERIFY_PUSH' },
      }),
    );
    t += random.int(3_000, 20_000);
    const approved = i === denials;
    events.push(
      buildEvent(random, {
        at: t,
        eventType: 'user.authentication.auth_via_mfa',
        displayMessage: 'Authentication of user via MFA',
        severity: approved ? 'INFO' : 'WARN',
        actor,
        origin: attacker,
        result: approved ? 'SUCCESS' : 'FAILURE',
        reason: approved ? null : 'INVALID_CREDENTIALS',
        sessionId: session,
        target: [verifyTarget(random)],
        debugData: {
          ...hostileDebug,
          factor: 'OKTA_VERIFY_PUSH',
          factorIntent: 'AUTHENTICATION',
          pushOnlyResponseType: approved ? 'OV_RESPONSE_APPROVE' : 'OV_RESPONSE_DENY',
        },
      }),
    );
  }
  events.push(
    buildEvent(random, {
      at: t + 2_000,
      eventType: 'user.session.start',
      displayMessage: 'User login to Okta',
      legacyEventType: 'core.user_auth.login_success',
      actor,
      origin: attacker,
      result: 'SUCCESS',
      sessionId: session,
      credentialType: 'PASSWORD',
      debugData: hostileDebug,
    }),
  );
  return events;
}

/** Many logins for many (mostly unknown) usernames from a few addresses; ThreatInsight notices. */
function credentialStuffing(random: Random, org: Org, _victim: OrgUser, at: number): OktaLogEvent[] {
  const sources = [hostileOrigin(random), hostileOrigin(random)];
  const events: OktaLogEvent[] = [];
  let t = at;
  for (let i = 0; i < 40; i++) {
    t += random.int(200, 1500);
    const known = random.chance(0.2) ? random.pick(org.users) : undefined;
    const login = known?.login ?? `${random.id('', 6).toLowerCase()}@example.com`;
    events.push(
      buildEvent(random, {
        at: t,
        eventType: 'user.session.start',
        displayMessage: 'User login to Okta',
        legacyEventType: 'core.user_auth.login_failed',
        severity: 'WARN',
        actor: { id: known?.id ?? 'unknown', type: 'User', alternateId: login, displayName: known?.name ?? 'unknown', detailEntry: null },
        origin: random.pick(sources),
        result: 'FAILURE',
        reason: known ? 'INVALID_CREDENTIALS' : 'VERIFICATION_ERROR',
        credentialType: 'PASSWORD',
        debugData: hostileDebug,
      }),
    );
  }
  for (const source of sources) {
    t += random.int(1000, 5000);
    events.push(
      buildEvent(random, {
        at: t,
        eventType: 'security.threat.detected',
        displayMessage: 'Request from suspicious actor',
        severity: 'WARN',
        actor: { id: source.ip, type: 'IP address', alternateId: 'unknown', displayName: 'unknown', detailEntry: null },
        origin: source,
        result: 'DENY',
        reason: 'Login failures with high unknown users count',
        debugData: { threatSuspected: 'true', threatDetections: '{"Login failures with high unknown users count":"HIGH"}' },
      }),
    );
  }
  return events;
}

/** ThreatInsight flags a password spray from a known-bad address. */
function threatInsight(random: Random, _org: Org, _victim: OrgUser, at: number): OktaLogEvent[] {
  const source = hostileOrigin(random);
  return [
    buildEvent(random, {
      at,
      eventType: 'security.threat.detected',
      displayMessage: 'Request from suspicious actor',
      severity: 'WARN',
      actor: { id: source.ip, type: 'IP address', alternateId: 'unknown', displayName: 'unknown', detailEntry: null },
      origin: source,
      result: 'DENY',
      reason: 'Password Spray',
      debugData: { threatSuspected: 'true', threatDetections: '{"Password Spray":"HIGH"}' },
    }),
  ];
}

function identityVerificationDenied(random: Random, _org: Org, victim: OrgUser, at: number): OktaLogEvent[] {
  const attacker = hostileOrigin(random);
  const actor = userActor(victim);
  return [
    buildEvent(random, {
      at,
      eventType: 'user.identity_verification.start',
      displayMessage: 'User started identity verification',
      actor,
      origin: attacker,
      result: 'SUCCESS',
    }),
    buildEvent(random, {
      at: at + random.int(30_000, 120_000),
      eventType: 'user.identity_verification',
      displayMessage: 'User identity verification',
      severity: 'WARN',
      actor,
      origin: attacker,
      result: 'DENY',
      reason: 'Identity verification failed',
      target: [
        {
          id: random.id('idv', 17),
          type: 'UserIdentityVerificationResourceDetails',
          alternateId: 'unknown',
          displayName: 'Persona',
          detailEntry: { assurance_level: 'FAILED' },
        },
      ],
    }),
  ];
}

function unauthorizedAppAccess(random: Random, org: Org, victim: OrgUser, at: number): OktaLogEvent[] {
  const app = random.pick(org.apps);
  return [
    buildEvent(random, {
      at,
      eventType: 'app.generic.unauth_app_access_attempt',
      displayMessage: 'User attempted unauthorized access to app',
      severity: 'WARN',
      actor: userActor(victim),
      origin: homeOrigin(victim),
      result: 'FAILURE',
      reason: 'User is not assigned to app',
      sessionId: random.id('idx', 25),
      target: [appTarget(app)],
    }),
  ];
}

/** A push approved at home, then the same session used from another country minutes later. */
function sessionRoaming(random: Random, org: Org, victim: OrgUser, at: number): OktaLogEvent[] {
  const actor = userActor(victim);
  const home = homeOrigin(victim);
  const thief = hostileOrigin(random);
  const session = random.id('idx', 25);
  const debugHome = {
    behaviors:
      '{New Geo-Location=NEGATIVE, New Device=POSITIVE, New IP=POSITIVE, New State=NEGATIVE, New Country=NEGATIVE, Velocity=NEGATIVE, New City=NEGATIVE}',
    risk: '{level=MEDIUM}',
    threatSuspected: 'false',
  };
  const events = [
    buildEvent(random, {
      at: at + 1_000,
      eventType: 'system.push.send_factor_verify_push',
      displayMessage: 'Push notification sent',
      actor,
      origin: home,
      result: 'SUCCESS',
      sessionId: session,
      target: [verifyTarget(random)],
      debugData: { ...debugHome, factor: 'OKTA_VERIFY_PUSH' },
    }),
    buildEvent(random, {
      at: at + 2_000,
      eventType: 'system.push.send_factor_verify_push',
      displayMessage: 'Push notification sent',
      actor,
      origin: thief,
      result: 'SUCCESS',
      sessionId: session,
      target: [verifyTarget(random)],
      debugData: { ...hostileDebug, factor: 'OKTA_VERIFY_PUSH' },
    }),
    buildEvent(random, {
      at: at + 10_000,
      eventType: 'user.authentication.auth_via_mfa',
      displayMessage: 'Authentication of user via MFA',
      actor,
      origin: home,
      result: 'SUCCESS',
      sessionId: session,
      target: [verifyTarget(random)],
      debugData: { ...debugHome, factor: 'OKTA_VERIFY_PUSH', pushOnlyResponseType: 'OV_RESPONSE_APPROVE' },
    }),
    buildEvent(random, {
      at: at + 15_000,
      eventType: 'user.authentication.auth_via_mfa',
      displayMessage: 'Authentication of user via MFA',
      severity: 'WARN',
      actor,
      origin: thief,
      result: 'FAILURE',
      reason: 'INVALID_CREDENTIALS',
      sessionId: session,
      target: [verifyTarget(random)],
      debugData: { ...hostileDebug, factor: 'OKTA_VERIFY_PUSH', pushOnlyResponseType: 'OV_RESPONSE_DENY' },
    }),
  ];
  const app = random.pick(org.apps);
  events.push(
    buildEvent(random, {
      at: at + 255_000,
      eventType: 'user.authentication.sso',
      displayMessage: 'User single sign on to app',
      legacyEventType: 'app.auth.sso',
      actor,
      origin: thief,
      result: 'SUCCESS',
      sessionId: session,
      target: [appTarget(app)],
      debugData: hostileDebug,
    }),
  );
  return events;
}

export const SCENARIO_BUILDERS: Record<ScenarioName, (random: Random, org: Org, victim: OrgUser, at: number) => OktaLogEvent[]> = {
  mfa_push_fatigue: mfaPushFatigue,
  credential_stuffing: credentialStuffing,
  threatinsight_detection: threatInsight,
  identity_verification_denied: identityVerificationDenied,
  unauthorized_app_access: unauthorizedAppAccess,
  session_roaming_after_push: sessionRoaming,
};
