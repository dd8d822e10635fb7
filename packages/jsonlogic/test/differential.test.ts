import { expect } from 'chai';
import jsonLogic from 'json-logic-js';
import { compile, compileRuleSet, JsonLogicCompileError, pathReader } from '@oktel/jsonlogic';

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

/** Path segments shared by generated rules and events, so generated paths sometimes meet. */
const SEGMENTS = ['a', 'b', 'c', 'n', 'x_y', '0', '1'];

function randomPath(r: () => number): string {
  return Array.from({ length: 1 + Math.floor(r() * 3) }, () => SEGMENTS[Math.floor(r() * SEGMENTS.length)]).join('.');
}

const PATHS = [
  'eventType',
  'outcome.result',
  'outcome.reason',
  'severity',
  'count',
  'score',
  'flag',
  'target',
  'target.0.type',
  'target.1.displayName',
  'tags',
  'missing.path',
  'nested.a.b',
  'empty',
  'nothing',
  'text',
];
const LITERALS: unknown[] = [
  'user.session.start',
  'SUCCESS',
  'FAILURE',
  'DENY',
  'INFO',
  'AppInstance',
  'true',
  'false',
  '',
  '0',
  '1',
  0,
  1,
  2,
  3.5,
  -1,
  10,
  true,
  false,
  null,
  [],
  ['a', 'SUCCESS'],
  'user',
];

function genRule(r: () => number, depth: number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const path = (): string => (r() < 0.3 ? randomPath(r) : pick(PATHS));
  if (depth <= 0 || r() < 0.25) return r() < 0.6 ? { var: path() } : pick(LITERALS);
  const sub = (): unknown => genRule(r, depth - 1);
  switch (pick(['cmp', 'cmp', 'logic', 'logic', 'not', 'if', 'in', 'arith', 'iter', 'reduce', 'var2', 'str', 'missing', 'minmax', 'merge', 'unknown'])) {
    case 'cmp':
      return { [pick(['==', '===', '!=', '!==', '>', '>=', '<', '<='])]: r() < 0.2 ? [sub(), sub(), sub()] : [sub(), sub()] };
    case 'logic':
      return { [pick(['and', 'or'])]: Array.from({ length: 1 + Math.floor(r() * 3) }, sub) };
    case 'not':
      return { [pick(['!', '!!'])]: r() < 0.5 ? [sub()] : sub() };
    case 'if':
      return { [pick(['if', '?:'])]: Array.from({ length: Math.floor(r() * 5) }, sub) };
    case 'in':
      return {
        in: [
          sub(),
          r() < 0.5
            ? pick([['SUCCESS', 'FAILURE', 'user.session.start', 'a', 'b', 'c', 'd', 'e', 'f', 'g'], 'user.session.start', { var: 'tags' }, { var: 'text' }])
            : sub(),
        ],
      };
    case 'arith':
      return { [pick(['+', '-', '*', '/', '%'])]: Array.from({ length: 1 + Math.floor(r() * 3) }, sub) };
    case 'iter': {
      const body = r() < 0.5 ? { '==': [{ var: pick(['type', '', 'displayName']) }, pick(['AppInstance', 'User', 'x', 1])] } : sub();
      return { [pick(['some', 'all', 'none', 'filter', 'map'])]: [{ var: pick(['target', 'tags', 'nothing', 'empty', 'count']) }, body] };
    }
    case 'reduce': {
      const body = pick([
        { '+': [{ var: 'current' }, { var: 'accumulator' }] },
        { '*': [{ var: 'current' }, { var: 'accumulator' }] },
        { cat: [{ var: 'accumulator' }, { var: pick(['current', 'current.type', 'current.displayName']) }] },
        { if: [{ '>': [{ var: 'current' }, { var: 'accumulator' }] }, { var: 'current' }, { var: 'accumulator' }] },
      ]);
      return {
        reduce: [{ var: pick(['numbers', 'target', 'tags', 'nothing', 'empty', 'count', path()]) }, r() < 0.8 ? body : sub(), pick([0, 1, '', null, -1])],
      };
    }
    case 'unknown':
      // An operation neither engine knows: json-logic-js throws when it reaches it, ours refuses the rule.
      return { [pick(['nope', 'regex_match', 'sum'])]: [sub()] };
    case 'var2':
      return { var: [path(), pick(LITERALS)] };
    case 'str':
      return r() < 0.5 ? { cat: [sub(), sub()] } : { substr: [sub(), pick([0, 1, -2, 3]), ...(r() < 0.5 ? [pick([2, -1, 0])] : [])] };
    case 'missing':
      return r() < 0.5 ? { missing: [path(), path()] } : { missing_some: [1 + Math.floor(r() * 2), [path(), path(), path()]] };
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
    target:
      r() < 0.8
        ? [
            { type: pick(['AppInstance', 'User']), displayName: pick(['Okta Verify', 'Slack', '']) },
            { type: 'User', displayName: 'dana' },
          ]
        : null,
    tags: r() < 0.7 ? ['a', 'SUCCESS', 'x'] : [],
    nested: { a: { b: pick([0, 'b', null, [1, 2]]) } },
    empty: '',
    text: 'user.session.start FAILURE',
  };
  if (r() < 0.3) delete event.outcome;
  if (r() < 0.8) event.numbers = Array.from({ length: Math.floor(r() * 5) }, () => pick([0, 1, 2, 7, -3, 2.5, '4']));
  // Fields at generated paths, so the data's shape varies from event to event.
  for (let k = Math.floor(r() * 5); k > 0; k--) setPath(event, randomPath(r), pick([...LITERALS, { b: 1 }, [0, 'a']]));
  return event;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === undefined) node[key] = {};
    if (typeof node[key] !== 'object' || node[key] === null) return;
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = structuredClone(value); // never a literal the rules share
}

function outcome(fn: () => unknown): { value?: unknown; threw?: boolean } {
  try {
    return { value: fn() };
  } catch {
    return { threw: true };
  }
}

describe('jsonlogic: differential test against json-logic-js apply', () => {
  it('gives identical results for 5 000 generated rules × 6 events, and refuses every rule json-logic-js throws on', () => {
    const r = rng(20261123);
    let compared = 0;
    let refusedByBoth = 0;
    let reduced = 0;
    for (let i = 0; i < 5000; i++) {
      const rule = genRule(r, 4);
      const events = Array.from({ length: 6 }, () => genEvent(r));
      let evaluate: ((d: unknown) => unknown) | undefined;
      let refusal: unknown;
      try {
        evaluate = compile(rule);
      } catch (err) {
        refusal = err;
      }
      for (const event of events) {
        const reference = outcome(() => jsonLogic.apply(rule as never, event));
        const where = `rule ${JSON.stringify(rule)}\nevent ${JSON.stringify(event)}`;
        compared++;
        if (!evaluate) {
          // Ours refuses at compile any rule naming an unknown operation, also one that
          // json-logic-js would never reach on this event; never a rule without one.
          expect(refusal, where).to.be.instanceOf(JsonLogicCompileError);
          expect((refusal as Error).message, where).to.contain('unrecognized operation');
          if (reference.threw) refusedByBoth++;
          continue;
        }
        expect(reference.threw, `json-logic-js throws on a rule ours compiled: ${where}`).to.equal(undefined);
        expect(
          outcome(() => evaluate!(event)),
          where,
        ).to.deep.equal(reference);
        if (JSON.stringify(rule).includes('"reduce"')) reduced++;
      }
    }
    expect(compared).to.equal(30_000);
    // The comparison reaches refusals and reduce, not only the easy cases.
    expect(refusedByBoth, 'cases both engines refuse').to.be.greaterThan(200);
    expect(reduced, 'cases evaluating a reduce').to.be.greaterThan(500);
  });
});

describe('jsonlogic: rule sets indexed by a guard field', () => {
  it('match exactly the rules json-logic-js says hold, with and without eventType guards', () => {
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
    const options = { index: { path: 'eventType', read: pathReader('eventType', null) } };
    const known = rules.filter((rule) => !JSON.stringify(rule).match(/"(nope|regex_match|sum)"/));
    // One rule with an unknown operation refuses the whole set, naming the fault.
    expect(() => compileRuleSet([...known, { and: [{ '==': [{ var: 'eventType' }, 'x'] }, { nope: [1] }] }], options)).to.throw(
      JsonLogicCompileError,
      'and[1]: unrecognized operation "nope"',
    );
    const set = compileRuleSet(known, options);
    expect(set.guarded).to.be.greaterThan(100);
    for (let n = 0; n < 300; n++) {
      const event = genEvent(r);
      if (n % 10 === 0) event.eventType = n % 20 === 0 ? 5 : ['user.session.start'];
      const expected = known.flatMap((rule, i) => (jsonLogic.truthy(jsonLogic.apply(rule as never, event)) ? [i] : []));
      // No try/catch: a set that throws where json-logic-js does not fails here.
      expect(set.matching(event), JSON.stringify(event)).to.deep.equal(expected);
    }
  });
});
