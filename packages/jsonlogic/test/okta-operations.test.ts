import { expect } from 'chai';
import { compile, JsonLogicCompileError, parseOktaKeyValues } from '@oktel/jsonlogic';

const event = {
  eventType: 'user.account.privilege.grant',
  actor: { alternateId: 'Dana.Whitfield@Example.com' },
  client: { ipAddress: '10.20.30.40' },
  securityContext: { isProxy: true },
  target: [
    { type: 'User', displayName: 'Sam' },
    { type: 'AppInstance', displayName: 'Salesforce' },
  ],
  debugContext: {
    debugData: {
      threatSuspected: 'true',
      behaviors: '{New Geo-Location=NEGATIVE, New Device=POSITIVE, New IP=POSITIVE, Velocity=BAD_REQUEST}',
      risk: '{reasons=Anomalous Location, Anomalous Device, level=HIGH}',
      logOnlySecurityData: '{"risk":{"reasons":"Anomalous Device","level":"MEDIUM"},"behaviors":{"New Device":"POSITIVE"}}',
    },
  },
};
const run = (logic: unknown): unknown => compile(logic)(event);

describe('jsonlogic: operations for Okta detections', () => {
  it('compares case-insensitively', () => {
    expect(run({ iequals: [{ var: 'actor.alternateId' }, 'dana.whitfield@example.com'] })).to.equal(true);
    expect(run({ iequals: [{ var: 'missing' }, 'x'] })).to.equal(false);
    expect(run({ '==': [{ lower: { var: 'actor.alternateId' } }, 'dana.whitfield@example.com'] })).to.equal(true);
  });

  it('matches prefixes, suffixes and substrings, false on non-strings', () => {
    expect(run({ startsWith: [{ var: 'eventType' }, 'user.account.privilege'] })).to.equal(true);
    expect(run({ endsWith: [{ var: 'actor.alternateId' }, '@Example.com'] })).to.equal(true);
    expect(run({ contains: [{ var: 'eventType' }, 'privilege'] })).to.equal(true);
    expect(run({ contains: [{ var: 'target' }, 'User'] })).to.equal(false);
  });

  it('treats "true" and true alike with isTrue', () => {
    expect(run({ isTrue: { var: 'debugContext.debugData.threatSuspected' } })).to.equal(true);
    expect(run({ isTrue: { var: 'securityContext.isProxy' } })).to.equal(true);
    expect(compile({ isTrue: { var: 'x' } })({ x: 'false' })).to.equal(false);
  });

  it('tests regular expressions compiled once, with RE2 flags', () => {
    expect(run({ regex: [{ var: 'actor.alternateId' }, '^dana\\.', 'i'] })).to.equal(true);
    expect(run({ regex: [{ var: 'actor.alternateId' }, '^dana\\.'] })).to.equal(false);
    expect(compile({ regex: [{ var: 'x' }, '^a.b$', 's'] })({ x: 'a\nb' })).to.equal(true);
    expect(compile({ regex: [{ var: 'x' }, '^b$', 'm'] })({ x: 'a\nb' })).to.equal(true);
    expect(() => compile({ regex: [{ var: 'x' }, { var: 'pattern' }] })).to.throw(JsonLogicCompileError, 'must be a literal string');
    expect(() => compile({ regex: [{ var: 'x' }, '[unclosed'] })).to.throw(
      JsonLogicCompileError,
      'regex[1]: regex "[unclosed" is not accepted by the linear-time engine',
    );
    expect(() => compile({ regex: [{ var: 'x' }, 'a', 'g'] })).to.throw(JsonLogicCompileError, 'regex[2]: unsupported regex flags');
  });

  it('refuses at load what a linear-time engine cannot run: backreferences and lookaround', () => {
    expect(() => compile({ regex: [{ var: 'x' }, '(a)\\1'] })).to.throw(JsonLogicCompileError, 'backreferences and lookaround are not supported');
    expect(() => compile({ regex: [{ var: 'x' }, '^(?=.*[0-9]).{8,}$'] })).to.throw(JsonLogicCompileError, 'backreferences and lookaround are not supported');
    expect(() => compile({ and: [true, { regex: [{ var: 'x' }, '(?<!a)b'] }] })).to.throw(JsonLogicCompileError, 'and[1].regex[1]');
  });

  it('accepts patterns that backtrack exponentially elsewhere, and matches them in linear time', () => {
    // Under a backtracking engine, (a+)+$ and (\w|\d)+$ against a long near-miss never finish.
    const nested = compile({ regex: [{ var: 'x' }, '(a+)+$'] });
    expect(nested({ x: `${'a'.repeat(5000)}!` })).to.equal(false);
    const alternation = compile({ regex: [{ var: 'x' }, '(\\w|\\d)+$'] });
    expect(alternation({ x: `${'a1'.repeat(20)}!` })).to.equal(false);
    expect(alternation({ x: 'a1'.repeat(20) })).to.equal(true);
  });

  it('checks CIDR membership for IPv4 and IPv6', () => {
    expect(run({ cidr: [{ var: 'client.ipAddress' }, ['10.0.0.0/8', '2001:db8::/32']] })).to.equal(true);
    expect(run({ cidr: [{ var: 'client.ipAddress' }, '192.168.0.0/16'] })).to.equal(false);
    expect(compile({ cidr: [{ var: 'ip' }, ['2001:db8::/32']] })({ ip: '2001:db8::1' })).to.equal(true);
    expect(compile({ cidr: [{ var: 'ip' }, ['10.0.0.0/8']] })({ ip: 'null' })).to.equal(false);
    expect(() => compile({ cidr: [{ var: 'ip' }, ['10.0.0.0/33']] })).to.throw(JsonLogicCompileError, 'cidr[1]: "10.0.0.0/33" is not an IPv4 or IPv6 network');
  });

  it('matches any element of an array of objects with some', () => {
    expect(run({ some: [{ var: 'target' }, { '==': [{ var: 'type' }, 'AppInstance'] }] })).to.equal(true);
    expect(run({ some: [{ var: 'target' }, { '==': [{ var: 'type' }, 'UserGroup'] }] })).to.equal(false);
  });

  it("parses Okta's {key=value, …} strings, values with commas included", () => {
    expect(run({ kv: [{ var: 'debugContext.debugData.behaviors' }, 'New Device'] })).to.equal('POSITIVE');
    expect(run({ kv: [{ var: 'debugContext.debugData.risk' }, 'level'] })).to.equal('HIGH');
    expect(run({ kv: [{ var: 'debugContext.debugData.risk' }, 'reasons'] })).to.equal('Anomalous Location, Anomalous Device');
    expect(parseOktaKeyValues('{level=LOW}')).to.deep.equal({ level: 'LOW' });
    expect(parseOktaKeyValues('not a map')).to.equal(null);
    expect(run({ kv: [{ var: 'debugContext.debugData.behaviors' }, 'constructor'] })).to.equal(null);
  });

  it('hands consecutive rules reading the same {key=value} string a map none of them can change', () => {
    const first = parseOktaKeyValues('{New Device=POSITIVE, New IP=NEGATIVE}');
    expect(() => {
      (first as Record<string, string>)['New IP'] = 'POSITIVE';
    }).to.throw(TypeError);
    expect(parseOktaKeyValues('{New Device=POSITIVE, New IP=NEGATIVE}')).to.deep.equal({ 'New Device': 'POSITIVE', 'New IP': 'NEGATIVE' });
    expect(parseOktaKeyValues('{New Device=NEGATIVE}')).to.deep.equal({ 'New Device': 'NEGATIVE' });
    expect(Object.isFrozen(parseOktaKeyValues('{}'))).to.equal(true);
  });

  it('reads JSON-in-a-string fields', () => {
    expect(run({ json: [{ var: 'debugContext.debugData.logOnlySecurityData' }, 'risk.level'] })).to.equal('MEDIUM');
    expect(run({ json: [{ var: 'debugContext.debugData.logOnlySecurityData' }, 'behaviors.New Device'] })).to.equal('POSITIVE');
    expect(run({ json: [{ var: 'debugContext.debugData.logOnlySecurityData' }, 'risk.constructor'] })).to.equal(null);
    expect(run({ json: ['{broken', 'a'] })).to.equal(null);
  });
});
