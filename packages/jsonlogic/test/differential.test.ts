import { expect } from 'chai';
import jsonLogic from 'json-logic-js';
import { compile } from '@oktel/jsonlogic';

/** A small seeded generator so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATHS = ['eventType', 'outcome.result', 'outcome.reason', 'severity', 'count', 'score', 'flag', 'target', 'target.0.type', 'target.1.displayName', 'tags', 'missing.path', 'nested.a.b', 'empty', 'nothing', 'text'];
const LITERALS: unknown[] = ['user.session.start', 'SUCCESS', 'FAILURE', 'DENY', 'INFO', 'AppInstance', 'true', 'false', '', '0', '1', 0, 1, 2, 3.5, -1, 10, true, false, null, [], ['a', 'SUCCESS'], 'user'];

function genRule(r: () => number, depth: number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  if (depth <= 0 || r() < 0.25) return r() < 0.6 ? { var: pick(PATHS) } : pick(LITERALS);
  const sub = (): unknown => genRule(r, depth - 1);
  switch (pick(['cmp', 'cmp', 'logic', 'logic', 'not', 'if', 'in', 'arith', 'iter', 'var2', 'str', 'missing', 'minmax', 'merge'])) {
    case 'cmp':
      return { [pick(['==', '===', '!=', '!==', '>', '>=', '<', '<='])]: r() < 0.2 ? [sub(), sub(), sub()] : [sub(), sub()] };
    case 'logic':
      return { [pick(['and', 'or'])]: Array.from({ length: 1 + Math.floor(r() * 3) }, sub) };
    case 'not':
      return { [pick(['!', '!!'])]: r() < 0.5 ? [sub()] : sub() };
    case 'if':
      return { [pick(['if', '?:'])]: Array.from({ length: Math.floor(r() * 5) }, sub) };
    case 'in':
      return { in: [sub(), r() < 0.5 ? pick([['SUCCESS', 'FAILURE', 'user.session.start', 'a', 'b', 'c', 'd', 'e', 'f', 'g'], 'user.session.start', { var: 'tags' }, { var: 'text' }]) : sub()] };
    case 'arith':
      return { [pick(['+', '-', '*', '/', '%'])]: Array.from({ length: 1 + Math.floor(r() * 3) }, sub) };
    case 'iter': {
      const body = r() < 0.5 ? { '==': [{ var: pick(['type', '', 'displayName']) }, pick(['AppInstance', 'User', 'x', 1])] } : sub();
      return { [pick(['some', 'all', 'none', 'filter', 'map'])]: [{ var: pick(['target', 'tags', 'nothing', 'empty', 'count']) }, body] };
    }
    case 'var2':
      return { var: [pick(PATHS), pick(LITERALS)] };
    case 'str':
      return r() < 0.5 ? { cat: [sub(), sub()] } : { substr: [sub(), pick([0, 1, -2, 3]), ...(r() < 0.5 ? [pick([2, -1, 0])] : [])] };
    case 'missing':
      return r() < 0.5 ? { missing: [pick(PATHS), pick(PATHS)] } : { missing_some: [1 + Math.floor(r() * 2), [pick(PATHS), pick(PATHS), pick(PATHS)]] };
    case 'minmax':
      return { [pick(['min', 'max'])]: [sub(), sub()] };
    default:
      return { merge: [sub(), sub()] };
  }
}

function genEvent(r: () => number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const event: Record<string, unknown> = {
    eventType: pick(['user.session.start', 'user.authentication.sso', 'security.threat.detected']),
    outcome: r() < 0.9 ? { result: pick(['SUCCESS', 'FAILURE', 'DENY']), reason: pick([null, 'INVALID_CREDENTIALS', 'Login failures']) } : null,
    severity: pick(['INFO', 'WARN']),
    count: pick([0, 1, 2, 5, '3', null]),
    score: r() * 100,
    flag: pick([true, false, 'true', 'false', null]),
    target: r() < 0.8 ? [{ type: pick(['AppInstance', 'User']), displayName: pick(['Okta Verify', 'Slack', '']) }, { type: 'User', displayName: 'dana' }] : null,
    tags: r() < 0.7 ? ['a', 'SUCCESS', 'x'] : [],
    nested: { a: { b: pick([0, 'b', null, [1, 2]]) } },
    empty: '',
    text: 'user.session.start FAILURE',
  };
  if (r() < 0.3) delete event.outcome;
  return event;
}

function outcome(fn: () => unknown): { value?: unknown; threw?: boolean } {
  try {
    return { value: fn() };
  } catch {
    return { threw: true };
  }
}

describe('jsonlogic: differential test against json-logic-js apply', () => {
  it('gives identical results for 5 000 generated rules × 6 events', () => {
    const r = rng(20261123);
    let compared = 0;
    for (let i = 0; i < 5000; i++) {
      const rule = genRule(r, 4);
      const events = Array.from({ length: 6 }, () => genEvent(r));
      const compiled = outcome(() => compile(rule));
      for (const event of events) {
        const reference = outcome(() => jsonLogic.apply(rule as never, event));
        const ours = compiled.threw ? { threw: true } : outcome(() => (compiled.value as (d: unknown) => unknown)(event));
        expect(ours, `rule ${JSON.stringify(rule)}\nevent ${JSON.stringify(event)}`).to.deep.equal(reference);
        compared++;
      }
    }
    expect(compared).to.equal(30_000);
  });
});

describe('jsonlogic: rule sets indexed by a guard field', () => {
  it('match exactly the rules json-logic-js says hold, with and without eventType guards', async () => {
    const { compileRuleSet, pathReader } = await import('@oktel/jsonlogic');
    const r = rng(77);
    const types = ['user.session.start', 'user.authentication.sso', 'security.threat.detected'];
    const rules: unknown[] = [];
    for (let i = 0; i < 300; i++) {
      const body = genRule(r, 3);
      const pick = Math.floor(r() * 4);
      if (pick === 0) rules.push({ and: [{ '==': [{ var: 'eventType' }, types[i % 3]] }, body] });
      else if (pick === 1) rules.push({ and: [body, { in: [{ var: 'eventType' }, [types[i % 3], types[(i + 1) % 3]]] }] });
      else if (pick === 2) rules.push({ '===': ['security.threat.detected', { var: 'eventType' }] });
      else rules.push(body);
    }
    const usable = rules.filter((rule) => {
      try {
        jsonLogic.apply(rule as never, genEvent(rng(1)));
        return true;
      } catch {
        return false;
      }
    });
    const set = compileRuleSet(usable, { index: { path: 'eventType', read: pathReader('eventType', null) } });
    expect(set.guarded).to.be.greaterThan(100);
    for (let n = 0; n < 300; n++) {
      const event = genEvent(r);
      if (n % 10 === 0) event.eventType = n % 20 === 0 ? 5 : ['user.session.start'];
      const expected: number[] = [];
      usable.forEach((rule, i) => {
        try {
          if (jsonLogic.truthy(jsonLogic.apply(rule as never, event))) expected.push(i);
        } catch {
          /* a rule that throws on this event is not a match in either engine */
        }
      });
      let actual: number[];
      try {
        actual = set.matching(event);
      } catch {
        continue; // the same rule throws in both; compared per rule in the test above
      }
      expect(actual, JSON.stringify(event)).to.deep.equal(expected);
    }
  });
});
