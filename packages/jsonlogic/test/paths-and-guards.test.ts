import { expect } from 'chai';
import jsonLogic from 'json-logic-js';
import { PermanentError } from '@oktel/core';
import { compile, compileRuleSet, fieldGuard, guardAdmits, guardValues, JsonLogicCompileError, pathReader } from '@oktel/jsonlogic';

const D = 'default';
const deep = { a: { b: { c: { d: { e: 1 } } } } };

describe('jsonlogic: var paths', () => {
  it('reads paths of every depth, and gives the default for what is missing, as json-logic-js does', () => {
    const paths = ['a', 'a.b', 'a.b.c', 'a.b.c.d', 'a.b.c.d.e', 'x', 'a.x', 'a.b.x', 'a.b.c.x', 'a.b.c.d.x', 'a.b.c.d.e.f', 'x.b.c.d.e'];
    const data = [
      deep,
      { a: null },
      { a: { b: null } },
      { a: { b: { c: null } } },
      { a: { b: { c: { d: null } } } },
      { a: { b: { c: { d: { e: null } } } } },
      null,
      undefined,
      'text',
      7,
    ];
    for (const path of paths) {
      for (const d of data) {
        expect(pathReader(path, D)(d), `${path} in ${JSON.stringify(d)}`).to.deep.equal(jsonLogic.apply({ var: [path, D] }, d as never));
      }
    }
    expect(pathReader('a.b.c.d.e', D)(deep)).to.equal(1);
    expect(pathReader('a.b.c.d', D)({ a: { b: { c: { d: null } } } })).to.equal(null);
  });

  it('gives the data itself for an empty path', () => {
    for (const path of ['', null, undefined, []]) expect(pathReader(path, D)(deep)).to.equal(deep);
  });

  it('never resolves __proto__, constructor or prototype, even as own keys', () => {
    expect(pathReader('constructor', D)({ constructor: 'own' })).to.equal(D);
    expect(pathReader('a.prototype', D)({ a: { prototype: 'own' } })).to.equal(D);
    expect(pathReader('__proto__', D)(JSON.parse('{"__proto__": "own"}'))).to.equal(D);
  });

  it('reads a name a prototype also has only as an own property, strings included', () => {
    expect(pathReader('toString', D)({})).to.equal(D);
    expect(pathReader('toString', D)({ toString: 'own' })).to.equal('own');
    expect(pathReader('map', D)([])).to.equal(D);
    expect(pathReader('length', D)('xyz')).to.equal(3);
    expect(pathReader('a.length', D)({ a: 'xyz' })).to.equal(3);
    expect(pathReader('a.0.length', D)({ a: ['xy'] })).to.equal(2);
    expect(pathReader('a.toFixed', D)({ a: 5 })).to.equal(D);
    expect(pathReader('a.length', D)({ a: null })).to.equal(D);
    expect(pathReader('a.length', D)({})).to.equal(D);
    expect(pathReader('a.length.x', D)({ a: [] })).to.equal(D);
    expect(pathReader('a.length', D)({ a: { length: null } })).to.equal(null);
  });
});

describe('jsonlogic: guard values of a rule', () => {
  const ev = { var: 'eventType' };
  const cases: [string, unknown, string[] | undefined][] = [
    ['== with the path first', { '==': [ev, 'a'] }, ['a']],
    ['== with the path second', { '==': ['a', ev] }, ['a']],
    ['===', { '===': [ev, 'a'] }, ['a']],
    ['var as a one-element list', { '==': [{ var: ['eventType'] }, 'a'] }, ['a']],
    ['var with a default', { '==': [{ var: ['eventType', 'a'] }, 'a'] }, undefined],
    ['another path', { '==': [{ var: 'other' }, 'a'] }, undefined],
    ['a var node with another key', { '==': [{ var: 'eventType', x: 1 }, 'a'] }, undefined],
    ['a number', { '==': [ev, 5] }, undefined],
    ['!=', { '!=': [ev, 'a'] }, undefined],
    ['three arguments', { '==': [ev, 'a', 'b'] }, undefined],
    ['arguments not a list', { '==': ev }, undefined],
    ['in a list of strings', { in: [ev, ['a', 'b']] }, ['a', 'b']],
    ['in a list with a number', { in: [ev, ['a', 1]] }, undefined],
    ['in a string', { in: [ev, 'abc'] }, undefined],
    ['in with the path second', { in: ['a', ev] }, undefined],
    ['in with three arguments', { in: [ev, ['a'], 'x'] }, undefined],
    ['!= with a list', { '!=': [ev, ['a', 'b']] }, undefined],
    ['a string == another path', { '==': ['a', { var: 'other' }] }, undefined],
    ['a not of a list holding a guard', { '!': [{ '==': [ev, 'a'] }] }, undefined],
    ['a clause of and', { and: [{ '==': [{ var: 'x' }, 1] }, { '==': [ev, 'a'] }] }, ['a']],
    ['an or whose one branch is guarded', { or: [{ '==': [ev, 'a'] }] }, ['a']],
    [
      'an or whose every branch is guarded: the union',
      { or: [{ '==': [ev, 'a'] }, { and: [{ in: [ev, ['b', 'c']] }, { '==': [{ var: 'x' }, 1] }] }] },
      ['a', 'b', 'c'],
    ],
    ['an or with one unguarded branch', { or: [{ '==': [ev, 'a'] }, { '==': [{ var: 'x' }, 1] }] }, undefined],
    ['an empty or', { or: [] }, undefined],
    ['startsWith (a prefix: not exact values)', { startsWith: [ev, 'user.'] }, undefined],
    ['an or with a startsWith branch', { or: [{ '==': [ev, 'a'] }, { startsWith: [ev, 'user.'] }] }, undefined],
    ['two operations in one node', { '==': [ev, 'a'], and: [] }, undefined],
    ['a literal', 'a', undefined],
    ['null', null, undefined],
    ['a list', [{ '==': [ev, 'a'] }], undefined],
  ];
  for (const [name, rule, expected] of cases) {
    it(`${name}: ${expected ? expected.join(', ') : 'none'}`, () => {
      const found = guardValues(rule, 'eventType');
      expect(found === undefined ? undefined : [...found].sort()).to.deep.equal(expected);
    });
  }

  // fieldGuard also gives prefixes, which guardValues folds into "no exact guard": each case here
  // tells a prefix guard from none.
  const fieldCases: [string, unknown, { values: string[]; prefixes: string[] } | undefined][] = [
    ['startsWith', { startsWith: [ev, 'user.'] }, { values: [], prefixes: ['user.'] }],
    ['startsWith with the path second', { startsWith: ['user.', ev] }, undefined],
    ['startsWith of another path', { startsWith: [{ var: 'other' }, 'user.'] }, undefined],
    ['startsWith of a number', { startsWith: [ev, 5] }, undefined],
    ['startsWith with three arguments', { startsWith: [ev, 'user.', 'x'] }, undefined],
    ['startsWith with arguments not a list', { startsWith: ev }, undefined],
    ['endsWith', { endsWith: [ev, '.start'] }, undefined],
    ['!=', { '!=': [ev, 'a'] }, undefined],
    ['startsWith as a clause of and', { and: [{ '==': [{ var: 'x' }, 1] }, { startsWith: [ev, 'p.'] }] }, { values: [], prefixes: ['p.'] }],
    ['an or of == and startsWith', { or: [{ '==': [ev, 'a'] }, { startsWith: [ev, 'user.'] }] }, { values: ['a'], prefixes: ['user.'] }],
    ['an or with an unguarded branch', { or: [{ startsWith: [ev, 'user.'] }, { '==': [{ var: 'x' }, 1] }] }, undefined],
    ['an empty or', { or: [] }, undefined],
    ['an or whose arguments are not a list', { or: { '==': [ev, 'a'] } }, undefined],
    ['a not', { '!': { '==': [ev, 'a'] } }, undefined],
    ['two operations in one node', { startsWith: [ev, 'a'], or: [] }, undefined],
    ['null', null, undefined],
    ['a list', [{ startsWith: [ev, 'a'] }], undefined],
  ];
  for (const [name, rule, expected] of fieldCases) {
    it(`field guard, ${name}: ${expected ? JSON.stringify(expected) : 'none'}`, () => {
      const found = fieldGuard(rule, 'eventType');
      expect(found === undefined ? undefined : { values: [...found.values].sort(), prefixes: [...found.prefixes] }).to.deep.equal(expected);
    });
  }

  it('gives prefixes for startsWith, alone or in an or, and admits exactly the values the rule could match', () => {
    const guard = fieldGuard(
      { or: [{ '==': [ev, 'a.b'] }, { startsWith: [ev, 'user.'] }, { and: [{ startsWith: [ev, 'policy.'] }, { '==': [{ var: 'x' }, 1] }] }] },
      'eventType',
    )!;
    expect([...guard.values]).to.deep.equal(['a.b']);
    expect(guard.prefixes).to.deep.equal(['user.', 'policy.']);
    for (const value of ['a.b', 'user.session.start', 'policy.rule.update']) expect(guardAdmits(guard, value), value).to.equal(true);
    for (const value of ['a.bc', 'User.session.start', 'app.user.add', 'policy']) expect(guardAdmits(guard, value), value).to.equal(false);
    expect(fieldGuard({ startsWith: [ev, 5] }, 'eventType')).to.equal(undefined);
    expect(fieldGuard({ startsWith: [{ var: 'other' }, 'user.'] }, 'eventType')).to.equal(undefined);
  });

  it('counts guarded rules, and still loosely matches a non-string field value', () => {
    const rules = [{ '==': [ev, '5'] }, { '===': [ev, '5'] }, { '!!': [1] }, { in: [ev, ['a']] }];
    const set = compileRuleSet(rules, { index: { path: 'eventType', read: pathReader('eventType', null) } });
    expect(set.size).to.equal(4);
    expect(set.guarded).to.equal(3);
    expect(set.matching({ eventType: 5 })).to.deep.equal([0, 2]);
    expect(set.matching({ eventType: '5' })).to.deep.equal([0, 1, 2]);
    expect(set.matching({ eventType: 'a' })).to.deep.equal([2, 3]);
    expect(set.matching({ eventType: 'zzz' })).to.deep.equal([2]);
  });

  it('without an index, tests every rule', () => {
    const set = compileRuleSet([{ '==': [ev, 'a'] }, { '!!': [0] }, { '!!': [1] }]);
    expect([set.size, set.guarded]).to.deep.equal([3, 0]);
    expect(set.matching({ eventType: 'a' })).to.deep.equal([0, 2]);
  });
});

describe('jsonlogic: compile errors', () => {
  it('are permanent, with a stable code and the JsonLogic path in message and context', () => {
    let caught: unknown;
    try {
      compile({ and: [true, { nope: [] }] });
    } catch (e) {
      caught = e;
    }
    const err = caught as JsonLogicCompileError;
    expect(err).to.be.instanceOf(PermanentError);
    expect(err.code).to.equal('ERR_JSONLOGIC_COMPILE');
    expect(err.context).to.deep.equal({ logicPath: 'and[1]' });
    expect(err.message).to.equal('and[1]: unrecognized operation "nope"');
    expect(new JsonLogicCompileError('', 'why').message).to.equal('why');
  });
});
