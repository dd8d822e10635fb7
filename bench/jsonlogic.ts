// pnpm bench jsonlogic — compiled JsonLogic vs json-logic-js apply, 120 rules over realistic Okta events.
import jsonLogic from 'json-logic-js';
import { compile, compileRuleSet, pathReader } from '@oktel/jsonlogic';
import { generateActivity, Random } from '@oktel/okta-simulator';

const EVENT_TYPES = [
  'user.session.start',
  'user.authentication.sso',
  'user.authentication.auth_via_mfa',
  'system.push.send_factor_verify_push',
  'policy.evaluate_sign_on',
  'security.threat.detected',
  'user.account.lock',
  'group.user_membership.add',
  'application.user_membership.add',
  'user.mfa.factor.deactivate',
  'app.generic.unauth_app_access_attempt',
  'user.identity_verification',
];
const RESULTS = ['SUCCESS', 'FAILURE', 'DENY', 'ALLOW', 'CHALLENGE'];

/** Okta-style detection predicates using only standard JsonLogic, so both engines can run them. */
export function benchmarkRules(count: number, seed = 7): unknown[] {
  const r = new Random(seed);
  const rules: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const clauses: unknown[] = [{ '==': [{ var: 'eventType' }, r.pick(EVENT_TYPES)] }];
    if (r.chance(0.7)) clauses.push({ '==': [{ var: 'outcome.result' }, r.pick(RESULTS)] });
    if (r.chance(0.4)) clauses.push({ in: [{ var: 'client.geographicalContext.country' }, ['Netherlands', 'Brazil', 'Singapore', 'Russia', 'North Korea']] });
    if (r.chance(0.4))
      clauses.push({ some: [{ var: 'target' }, { '==': [{ var: 'type' }, r.pick(['AppInstance', 'AuthenticatorEnrollment', 'User', 'UserGroup'])] }] });
    if (r.chance(0.3)) clauses.push({ '!': { in: [{ var: 'actor.alternateId' }, ['system@okta.com', 'svc-backup@example.com']] } });
    if (r.chance(0.3)) clauses.push({ '==': [{ var: 'debugContext.debugData.factor' }, 'OKTA_VERIFY_PUSH'] });
    if (r.chance(0.2)) clauses.push({ in: ['Anomalous', { var: 'debugContext.debugData.risk' }] });
    rules.push(r.chance(0.2) ? { or: [{ and: clauses }, { '==': [{ var: 'severity' }, 'ERROR'] }] } : { and: clauses });
  }
  return rules;
}

export function runJsonLogicBenchmark(options: { rules: number; events: number; rounds: number }) {
  const rules = benchmarkRules(options.rules);
  const { events } = generateActivity({
    seed: 3,
    start: Date.parse('2026-11-20T00:00:00Z'),
    signIns: Math.ceil(options.events / 6),
    meanGapMs: 10_000,
    scenarios: ['mfa_push_fatigue', 'credential_stuffing'],
  });
  const sample = events.slice(0, options.events);
  const compiled = rules.map((rule) => compile(rule));

  // Both must agree before speed means anything.
  let agreeing = 0;
  for (const event of sample.slice(0, 500))
    for (let i = 0; i < rules.length; i++) if (jsonLogic.truthy(jsonLogic.apply(rules[i] as never, event)) === !!compiled[i]!(event)) agreeing++;

  const time = (fn: () => number): { ms: number; matches: number } => {
    fn(); // warm-up
    const start = process.hrtime.bigint();
    let matches = 0;
    for (let round = 0; round < options.rounds; round++) matches += fn();
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, matches };
  };
  const naive = time(() => {
    let m = 0;
    for (const event of sample) for (const rule of rules) if (jsonLogic.truthy(jsonLogic.apply(rule as never, event))) m++;
    return m;
  });
  const fast = time(() => {
    let m = 0;
    for (const event of sample) for (const rule of compiled) if (rule(event)) m++;
    return m;
  });
  const set = compileRuleSet(rules, { index: { path: 'eventType', read: pathReader('eventType', null) } });
  const indexed = time(() => {
    let m = 0;
    for (const event of sample) m += set.matching(event).length;
    return m;
  });
  const evaluations = sample.length * rules.length * options.rounds;
  return {
    rules: rules.length,
    events: sample.length,
    evaluations,
    agreement: `${agreeing}/${Math.min(500, sample.length) * rules.length}`,
    naiveEvalsPerSec: Math.round(evaluations / (naive.ms / 1000)),
    compiledEvalsPerSec: Math.round(evaluations / (fast.ms / 1000)),
    naiveEventsPerSec: Math.round((sample.length * options.rounds) / (naive.ms / 1000)),
    compiledEventsPerSec: Math.round((sample.length * options.rounds) / (fast.ms / 1000)),
    speedup: Number((naive.ms / fast.ms).toFixed(1)),
    ruleSetEventsPerSec: Math.round((sample.length * options.rounds) / (indexed.ms / 1000)),
    ruleSetSpeedup: Number((naive.ms / indexed.ms).toFixed(1)),
    guardedRules: set.guarded,
    sameMatches: naive.matches === fast.matches && naive.matches === indexed.matches,
  };
}
