import { expect } from 'chai';
import jsonLogic from 'json-logic-js';
import { compile, JsonLogicCompileError } from '@oktel/jsonlogic';

describe('jsonlogic: var reads own properties only', () => {
  it('never reaches Object.prototype or a constructor, where json-logic-js does', () => {
    for (const path of ['__proto__', 'constructor', 'constructor.name', 'toString', 'eventType.constructor', 'a.__proto__.polluted', 'prototype']) {
      expect(compile({ var: path })({ eventType: 'x', a: {} }), path).to.equal(null);
    }
    // The reference implementation leaks inherited members; the compiled form must not.
    expect(jsonLogic.apply({ var: 'constructor.name' } as never, {})).to.equal('Object');
  });

  it('an event carrying __proto__ or constructor keys cannot change a rule result or another event', () => {
    const rule = compile({ and: [{ '==': [{ var: 'eventType' }, 'user.session.start'] }, { '!': { var: 'isAdmin' } }] });
    const hostile = JSON.parse(
      '{"eventType":"app.generic.unauth_app_access_attempt","__proto__":{"eventType":"user.session.start","isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}',
    ) as object;
    const benign = { eventType: 'user.session.start' };
    expect(rule(hostile)).to.equal(false);
    expect(rule(benign)).to.equal(true);
    expect(({} as Record<string, unknown>).isAdmin).to.equal(undefined);
    expect(compile({ var: '__proto__.eventType' })(hostile)).to.equal(null);
  });

  it('rejects an unknown operation at compile time with its JsonLogic path', () => {
    expect(() => compile({ and: [{ '==': [1, 1] }, { or: [true, { regexp: ['a', 'b'] }] }] })).to.throw(
      JsonLogicCompileError,
      'and[1].or[1]: unrecognized operation "regexp"',
    );
  });
});
