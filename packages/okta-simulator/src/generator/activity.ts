import type { OktaLogEvent } from '@oktel/okta-log-event';
import { appTarget, BENIGN_BEHAVIORS, buildEvent, homeOrigin, userActor, verifyTarget } from './events.js';
import type { Org, OrgUser } from './org.js';
import type { Random } from './random.js';

/** A normal workday sign-in: password, Okta Verify push approved, SSO into a few apps. */
export function benignSignIn(random: Random, org: Org, user: OrgUser, at: number): OktaLogEvent[] {
  const origin = homeOrigin(user);
  const actor = userActor(user);
  const session = random.id('idx', 25);
  const debug = { behaviors: BENIGN_BEHAVIORS, risk: '{level=LOW}', threatSuspected: 'false' };
  let t = at;
  const step = (): number => (t += random.int(400, 4000));
  const events: OktaLogEvent[] = [];
  if (random.chance(0.06)) {
    events.push(
      buildEvent(random, {
        at: step(),
        eventType: 'user.session.start',
        displayMessage: 'User login to Okta',
        legacyEventType: 'core.user_auth.login_failed',
        severity: 'WARN',
        actor,
        origin,
        result: 'FAILURE',
        reason: 'INVALID_CREDENTIALS',
        credentialType: 'PASSWORD',
        debugData: debug,
      }),
    );
  }
  events.push(
    buildEvent(random, {
      at: step(),
      eventType: 'policy.evaluate_sign_on',
      displayMessage: 'Evaluation of sign-on policy',
      actor,
      origin,
      result: 'ALLOW',
      reason: 'Sign-on policy evaluation resulted in ALLOW',
      sessionId: session,
      debugData: debug,
    }),
    buildEvent(random, {
      at: step(),
      eventType: 'system.push.send_factor_verify_push',
      displayMessage: 'Push notification sent',
      actor,
      origin,
      result: 'SUCCESS',
      sessionId: session,
      target: [verifyTarget(random)],
      debugData: { ...debug, factor: 'OKTA_VERIFY_PUSH' },
    }),
    buildEvent(random, {
      at: step(),
      eventType: 'user.authentication.auth_via_mfa',
      displayMessage: 'Authentication of user via MFA',
      actor,
      origin,
      result: 'SUCCESS',
      sessionId: session,
      target: [verifyTarget(random)],
      debugData: { ...debug, factor: 'OKTA_VERIFY_PUSH', factorIntent: 'AUTHENTICATION', pushOnlyResponseType: 'OV_RESPONSE_APPROVE' },
    }),
    buildEvent(random, {
      at: step(),
      eventType: 'user.session.start',
      displayMessage: 'User login to Okta',
      legacyEventType: 'core.user_auth.login_success',
      actor,
      origin,
      result: 'SUCCESS',
      sessionId: session,
      credentialType: 'PASSWORD',
      debugData: debug,
    }),
  );
  for (let i = random.int(1, 3); i > 0; i--) {
    const app = random.pick(org.apps);
    events.push(
      buildEvent(random, {
        at: step(),
        eventType: 'user.authentication.sso',
        displayMessage: 'User single sign on to app',
        legacyEventType: 'app.auth.sso',
        actor,
        origin,
        result: 'SUCCESS',
        sessionId: session,
        target: [appTarget(app)],
        debugData: debug,
      }),
    );
  }
  if (random.chance(0.3)) {
    events.push(
      buildEvent(random, {
        at: step() + 3_600_000,
        eventType: 'user.session.end',
        displayMessage: 'User logout from Okta',
        legacyEventType: 'core.user_auth.logout_success',
        actor,
        origin,
        result: 'SUCCESS',
        sessionId: session,
      }),
    );
  }
  return events;
}

/** Routine admin work: group membership and app assignment by an admin. */
export function benignAdminChange(random: Random, org: Org, admin: OrgUser, at: number): OktaLogEvent[] {
  const subject = random.pick(org.users);
  const app = random.pick(org.apps);
  const origin = homeOrigin(admin);
  const actor = userActor(admin);
  const session = random.id('idx', 25);
  const userTarget = { id: subject.id, type: 'User', alternateId: subject.login, displayName: subject.name, detailEntry: null };
  return random.chance(0.5)
    ? [
        buildEvent(random, {
          at,
          eventType: 'group.user_membership.add',
          displayMessage: 'Add user to group membership',
          legacyEventType: 'core.user_group_member.user_add',
          actor,
          origin,
          result: 'SUCCESS',
          sessionId: session,
          target: [userTarget, { id: random.id('00g', 17), type: 'UserGroup', alternateId: 'unknown', displayName: 'Engineering', detailEntry: null }],
        }),
      ]
    : [
        buildEvent(random, {
          at,
          eventType: 'application.user_membership.add',
          displayMessage: 'Add user to application membership',
          legacyEventType: 'app.generic.provision.assign_user_to_app',
          actor,
          origin,
          result: 'SUCCESS',
          sessionId: session,
          target: [{ ...userTarget, type: 'AppUser' }, appTarget(app)],
        }),
      ];
}
