import { expect } from 'chai';
import { loadRules, missingTestKinds, runRuleTest, DetectionEngine } from '@oktel/processor-detection';
import { OKTA_RULES_DIR } from '@oktel/rules-okta';
import { generateActivity, SCENARIOS } from '@oktel/okta-simulator';
import { logEventToRecord, oktaResource } from '@oktel/okta-log-event';

const { loaded, issues } = loadRules([OKTA_RULES_DIR]);
const rules = loaded?.rules ?? [];
const COMPARES_WITH_USER_BASELINE = new Set(['okta-user-sign-ins-from-many-countries', 'okta-impossible-travel']);

describe('okta rule pack', () => {
  it('loads without a single fault', () => {
    expect(issues).to.deep.equal([]);
    expect(rules.length).to.be.greaterThan(0);
  });

  it('has the seed detections under their ids', () => {
    expect(rules.map((r) => r.definition.id)).to.include.members([
      'okta-identity-verification-denied',
      'okta-push-denied-then-login',
      'okta-threatinsight-unknown-users-spike',
      'okta-unauthorized-app-access',
      'okta-verify-push-source-response-mismatch',
    ]);
  });

  for (const rule of rules) {
    describe(rule.definition.id, () => {
      it('carries a positive and a negative test', () => {
        expect(missingTestKinds(rule)).to.deep.equal([]);
      });
      // Each rule test runs inside its own it(), not while mocha collects the suite: what it
      // exercises is then covered by that test (mutation testing runs only the covering tests).
      for (const test of rule.definition.tests) {
        it(`${test.name} (${test.expect})`, () => {
          const result = runRuleTest(rule, test);
          expect(result.passed, result.detail).to.equal(true);
        });
      }
    });
  }

  describe('against generated org activity', () => {
    const context = { resource: oktaResource({ domain: 'example.okta.com' }), scope: { name: 'test' } };
    const alertsFor = (scenarios: readonly (typeof SCENARIOS)[number][]) => {
      const engine = new DetectionEngine({
        rules,
        suppressionWindowMs: 3_600_000,
        maxAlertEventUuids: 20,
        maxSuppressionEntries: 10_000,
        errorMode: 'propagate',
      });
      const { events, injected } = generateActivity({ seed: 99, start: Date.parse('2026-11-20T08:00:00Z'), signIns: 400, meanGapMs: 60_000, scenarios });
      const alerts = events.flatMap((e) => engine.evaluate(logEventToRecord(e, context)).alerts).concat(engine.flush());
      return { alerts, injected };
    };

    it('stays silent on a benign day of sign-ins, SSO and admin work', () => {
      expect(alertsFor([]).alerts.map((a) => a.body)).to.deep.equal([]);
    });

    it('alerts on the injected attacks, and only with their events', () => {
      const { alerts, injected } = alertsFor(SCENARIOS);
      const attackUuids = new Set(injected.flatMap((i) => i.uuids));
      expect(alerts.length).to.be.greaterThan(0);
      for (const alert of alerts) {
        const uuids = alert.attributes['oktel.alert.event_uuids'] as string[];
        // Rules that compare a user's sign-ins with each other carry the victim's own sign-in as the
        // other half of the evidence; every other alert is made of attack events only.
        if (COMPARES_WITH_USER_BASELINE.has(String(alert.attributes['security_rule.uuid'])))
          expect(
            uuids.some((u) => attackUuids.has(u)),
            String(alert.body),
          ).to.equal(true);
        else for (const uuid of uuids) expect(attackUuids.has(uuid), String(alert.body)).to.equal(true);
      }
      const fired = new Set(alerts.map((a) => a.attributes['security_rule.uuid']));
      expect([...fired]).to.include.members([
        'okta-identity-verification-denied',
        'okta-threatinsight-unknown-users-spike',
        'okta-unauthorized-app-access',
        'okta-push-denied-then-login',
        'okta-verify-push-source-response-mismatch',
      ]);
    });
  });
});

describe('okta rule pack: lint', () => {
  it('has no lint findings (ATT&CK v19 ids and names, reachable conditions, tests, references)', async () => {
    const { lintRules } = await import('@oktel/processor-detection');
    expect(lintRules(rules)).to.deep.equal([]);
  });
});
