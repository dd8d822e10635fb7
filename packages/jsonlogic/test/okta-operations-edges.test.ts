import { expect } from 'chai';
import {
  compile,
  JsonLogicCompileError,
  MAX_REGEX_INPUT,
  MAX_SEARCH_DEPTH,
  MAX_SEARCH_VALUES,
  OKTA_OPERATIONS,
  parseOktaKeyValues,
  searchValues,
} from '@oktel/jsonlogic';
import { RE2JS } from 're2js';

/** Compiles with the default operation set (standard + Okta) and evaluates once. */
const evaluate = (logic: unknown, data: unknown = {}): unknown => compile(logic)(data);

/** The JsonLogicCompileError that compiling `logic` throws (any other outcome fails the test). */
function compileError(logic: unknown): JsonLogicCompileError {
  try {
    compile(logic);
  } catch (err) {
    if (err instanceof JsonLogicCompileError) return err;
    throw err;
  }
  return expect.fail(`compiled ${JSON.stringify(logic)} without an error`);
}

/** Asserts the error's class, code and where the fault is; returns its reason for further checks. */
function expectCompileError(logic: unknown, logicPath: string): string {
  const err = compileError(logic);
  expect(err.code).to.equal('ERR_JSONLOGIC_COMPILE');
  expect(err.logicPath).to.equal(logicPath);
  expect(err.context).to.deep.equal({ logicPath });
  return err.reason;
}

describe('iequals operation', () => {
  it('is false when the two strings differ in more than case', () => {
    expect(evaluate({ iequals: ['Admin@Example.com', 'admin@example.org'] })).to.equal(false);
    expect(evaluate({ iequals: ['Admin@Example.com', 'ADMIN@EXAMPLE.COM'] })).to.equal(true);
  });

  it('is false, without throwing, when either operand is missing or null', () => {
    expect(evaluate({ iequals: [{ var: 'name' }, { var: 'absent' }] }, { name: 'x' })).to.equal(false);
    expect(evaluate({ iequals: [{ var: 'absent' }, { var: 'name' }] }, { name: 'x' })).to.equal(false);
    expect(evaluate({ iequals: ['null', null] })).to.equal(false);
    expect(evaluate({ iequals: [null, 'null'] })).to.equal(false);
  });

  it('compares numbers and booleans as their string form', () => {
    expect(evaluate({ iequals: [{ var: 'n' }, '42'] }, { n: 42 })).to.equal(true);
    expect(evaluate({ iequals: ['1.5', { var: 'n' }] }, { n: 1.5 })).to.equal(true);
    expect(evaluate({ iequals: [{ var: 'b' }, 'TRUE'] }, { b: true })).to.equal(true);
    expect(evaluate({ iequals: [{ var: 'b' }, 'False'] }, { b: false })).to.equal(true);
  });

  it('does not coerce objects or arrays to strings', () => {
    expect(evaluate({ iequals: [{ var: 'o' }, '[object Object]'] }, { o: { a: 1 } })).to.equal(false);
    expect(evaluate({ iequals: [{ var: 'a' }, 'x'] }, { a: ['x'] })).to.equal(false);
  });
});

describe('lower operation', () => {
  it('lower-cases strings and passes every other value through unchanged', () => {
    expect(evaluate({ lower: 'MiXeD' })).to.equal('mixed');
    expect(evaluate({ lower: { var: 'n' } }, { n: 42 })).to.equal(42);
    expect(evaluate({ lower: { var: 'b' } }, { b: true })).to.equal(true);
    expect(evaluate({ lower: { var: 'absent' } })).to.equal(null);
  });
});

describe('startsWith, endsWith and contains operations', () => {
  it('are false when the value does not have the prefix, suffix or part', () => {
    expect(evaluate({ startsWith: ['user.session.start', 'app.'] })).to.equal(false);
    expect(evaluate({ endsWith: ['user.session.start', '.end'] })).to.equal(false);
    expect(evaluate({ contains: ['user.session.start', 'policy'] })).to.equal(false);
  });

  it('are false, without throwing, when the value is missing', () => {
    expect(evaluate({ startsWith: [{ var: 'absent' }, 'user.'] })).to.equal(false);
    expect(evaluate({ endsWith: [{ var: 'absent' }, '.start'] })).to.equal(false);
    expect(evaluate({ contains: [{ var: 'absent' }, 'session'] })).to.equal(false);
  });

  it('are false when the prefix, suffix or part is missing, even for a value spelling "undefined"', () => {
    expect(evaluate({ startsWith: ['undefined-user', { var: 'absent' }] })).to.equal(false);
    expect(evaluate({ endsWith: ['user-undefined', { var: 'absent' }] })).to.equal(false);
    expect(evaluate({ contains: ['an undefined user', { var: 'absent' }] })).to.equal(false);
    expect(evaluate({ startsWith: ['null-user', null] })).to.equal(false);
  });

  it('match numbers and booleans by their string form', () => {
    expect(evaluate({ startsWith: [{ var: 'n' }, 123] }, { n: 12345 })).to.equal(true);
    expect(evaluate({ endsWith: [{ var: 'n' }, '45'] }, { n: 12345 })).to.equal(true);
    expect(evaluate({ contains: [{ var: 'b' }, 'ru'] }, { b: true })).to.equal(true);
    expect(evaluate({ endsWith: [{ var: 'b' }, 'lse'] }, { b: false })).to.equal(true);
  });

  it('do not look inside objects or arrays', () => {
    expect(evaluate({ contains: [{ var: 'o' }, 'object'] }, { o: { a: 1 } })).to.equal(false);
    expect(evaluate({ startsWith: [{ var: 'a' }, 'x'] }, { a: ['xy'] })).to.equal(false);
  });
});

describe('isTrue operation', () => {
  it('is true only for true and the string "true" in any case, false for other types without throwing', () => {
    expect(evaluate({ isTrue: 'TRUE' })).to.equal(true);
    expect(evaluate({ isTrue: 'yes' })).to.equal(false);
    expect(evaluate({ isTrue: { var: 'n' } }, { n: 1 })).to.equal(false);
    expect(evaluate({ isTrue: { var: 'absent' } })).to.equal(false);
    expect(evaluate({ isTrue: { var: 'o' } }, { o: { true: true } })).to.equal(false);
  });
});

describe('regex operation', () => {
  it('is false, without throwing, for a missing, null or object value', () => {
    expect(evaluate({ regex: [{ var: 'absent' }, '.*'] })).to.equal(false);
    expect(evaluate({ regex: [null, '^null$'] })).to.equal(false);
    expect(evaluate({ regex: [{ var: 'o' }, 'object'] }, { o: { a: 1 } })).to.equal(false);
  });

  it('tests numbers and booleans by their string form', () => {
    expect(evaluate({ regex: [{ var: 'n' }, '^\\d{5}$'] }, { n: 12345 })).to.equal(true);
    expect(evaluate({ regex: [{ var: 'b' }, '^false$'] }, { b: false })).to.equal(true);
  });

  it(`cuts the input at MAX_REGEX_INPUT (${MAX_REGEX_INPUT}) characters: a match just inside is found, one just beyond is not`, () => {
    expect(MAX_REGEX_INPUT).to.equal(16_384);
    const rule = compile({ regex: [{ var: 'text' }, 'needle'] });
    const inside = `${'a'.repeat(MAX_REGEX_INPUT - 'needle'.length)}needle`;
    const beyond = `${'a'.repeat(MAX_REGEX_INPUT - 'needle'.length + 1)}needle`;
    expect(inside.length).to.equal(MAX_REGEX_INPUT);
    expect(rule({ text: inside })).to.equal(true);
    expect(rule({ text: beyond })).to.equal(false);
    expect(rule({ text: `needle${'a'.repeat(MAX_REGEX_INPUT)}` })).to.equal(true);
  });

  it('anchors $ at the cut: a long text is tested as its first MAX_REGEX_INPUT characters', () => {
    const rule = compile({ regex: [{ var: 'text' }, 'a$'] });
    expect(rule({ text: `${'a'.repeat(MAX_REGEX_INPUT)}b` })).to.equal(true);
    expect(rule({ text: `${'a'.repeat(MAX_REGEX_INPUT - 1)}b` })).to.equal(false);
  });

  it('refuses a pattern that is not a literal string, naming the pattern argument', () => {
    const reason = expectCompileError({ regex: [{ var: 'x' }, { var: 'pattern' }] }, 'regex[1]');
    expect(reason).to.match(/^the regex pattern must be a literal string/);
    expectCompileError({ regex: [{ var: 'x' }, 5] }, 'regex[1]');
    expectCompileError({ regex: [{ var: 'x' }] }, 'regex[1]');
  });

  it('refuses flags that are not a literal string, naming the flags argument', () => {
    const reason = expectCompileError({ regex: [{ var: 'x' }, 'a', 1] }, 'regex[2]');
    expect(reason).to.match(/^the regex flags must be a literal string/);
    expectCompileError({ or: [false, { regex: [{ var: 'x' }, 'a', { var: 'f' }] }] }, 'or[1].regex[2]');
  });

  it("reports RE2's own reason for a malformed pattern, with no hint about backreferences it does not use", () => {
    let engineMessage = '';
    try {
      RE2JS.compile('[unclosed', 0);
    } catch (err) {
      engineMessage = (err as Error).message;
    }
    expect(engineMessage).to.not.equal('');
    const reason = expectCompileError({ regex: [{ var: 'x' }, '[unclosed'] }, 'regex[1]');
    expect(reason).to.equal(`regex "[unclosed" is not accepted by the linear-time engine (RE2): ${engineMessage}`);
  });
});

describe('cidr operation', () => {
  const inNetworks = (networks: unknown, ip: unknown): unknown => evaluate({ cidr: [{ var: 'ip' }, networks] }, { ip });

  it('accepts one network given as a string rather than a list', () => {
    expect(inNetworks('10.0.0.0/8', '10.20.30.40')).to.equal(true);
    expect(inNetworks('10.0.0.0/8', '11.0.0.1')).to.equal(false);
  });

  it('reads a network without a prefix as the single address (/32 for IPv4, /128 for IPv6)', () => {
    expect(inNetworks(['10.1.2.3'], '10.1.2.3')).to.equal(true);
    expect(inNetworks(['10.1.2.3'], '10.1.2.4')).to.equal(false);
    expect(inNetworks(['2001:db8::1'], '2001:db8::1')).to.equal(true);
    expect(inNetworks(['2001:db8::1'], '2001:db8::2')).to.equal(false);
  });

  it('accepts a /0 prefix, matching every address of its family', () => {
    expect(inNetworks(['0.0.0.0/0'], '203.0.113.9')).to.equal(true);
    expect(inNetworks(['::/0'], '2001:db8::9')).to.equal(true);
  });

  it('accepts a /32 prefix on an IPv4 network and a /128 on an IPv6 one', () => {
    expect(inNetworks(['10.1.2.3/32'], '10.1.2.3')).to.equal(true);
    expect(inNetworks(['10.1.2.3/32'], '10.1.2.2')).to.equal(false);
    expect(inNetworks(['2001:db8::1/128'], '2001:db8::1')).to.equal(true);
    expect(inNetworks(['2001:db8::1/128'], '2001:db8::3')).to.equal(false);
  });

  it('accepts IPv6 prefixes longer than 32', () => {
    expect(inNetworks(['2001:db8:0:1::/64'], '2001:db8:0:1::5')).to.equal(true);
    expect(inNetworks(['2001:db8:0:1::/64'], '2001:db8:0:2::5')).to.equal(false);
  });

  it('refuses a /33 prefix on an IPv4 network and a /129 on an IPv6 one', () => {
    expectCompileError({ cidr: [{ var: 'ip' }, ['10.0.0.0/33']] }, 'cidr[1]');
    expectCompileError({ cidr: [{ var: 'ip' }, ['2001:db8::/129']] }, 'cidr[1]');
  });

  it('refuses negative, fractional and non-numeric prefixes', () => {
    expectCompileError({ cidr: [{ var: 'ip' }, ['10.0.0.0/-1']] }, 'cidr[1]');
    expectCompileError({ cidr: [{ var: 'ip' }, ['10.0.0.0/8.5']] }, 'cidr[1]');
    expectCompileError({ cidr: [{ var: 'ip' }, ['10.0.0.0/abc']] }, 'cidr[1]');
  });

  it('refuses a network whose prefix is empty, rather than reading it as /0 (every address)', () => {
    // Number('') is 0: without a check, "10.0.0.0/" (a truncated "/8", say) matches the whole Internet.
    expectCompileError({ cidr: [{ var: 'ip' }, ['10.0.0.0/']] }, 'cidr[1]');
    expectCompileError({ cidr: [{ var: 'ip' }, ['2001:db8::/']] }, 'cidr[1]');
  });

  it('reads a prefix as decimal digits only, and refuses a second slash', () => {
    for (const network of ['10.0.0.0/0x8', '10.0.0.0/1e1', '10.0.0.0/ 8', '10.0.0.0/+8', '10.0.0.0/8/16']) {
      expectCompileError({ cidr: [{ var: 'ip' }, [network]] }, 'cidr[1]');
    }
  });

  it('refuses malformed addresses, with or without a prefix', () => {
    expectCompileError({ cidr: [{ var: 'ip' }, ['10.0.0/8']] }, 'cidr[1]');
    expectCompileError({ cidr: [{ var: 'ip' }, ['not-a-network/8']] }, 'cidr[1]');
    expectCompileError({ cidr: [{ var: 'ip' }, ['256.0.0.1']] }, 'cidr[1]');
    expectCompileError({ cidr: [{ var: 'ip' }, ''] }, 'cidr[1]');
  });

  it('refuses a network that is not a literal string, at its index in the list', () => {
    const reason = expectCompileError({ cidr: [{ var: 'ip' }, ['10.0.0.0/8', 5]] }, 'cidr[1][1]');
    expect(reason).to.match(/^a network must be a literal string/);
    expectCompileError({ cidr: [{ var: 'ip' }, [{ var: 'net' }]] }, 'cidr[1][0]');
    expectCompileError({ cidr: [{ var: 'ip' }, 5] }, 'cidr[1]');
    expectCompileError({ and: [true, { cidr: [{ var: 'ip' }, null] }] }, 'and[1].cidr[1]');
  });

  it('does not match an address of the other family', () => {
    expect(inNetworks(['2001:db8::/32'], '10.1.2.3')).to.equal(false);
    expect(inNetworks(['10.0.0.0/8'], '2001:db8::1')).to.equal(false);
  });

  it('is false, without throwing, for a missing, malformed or non-string address', () => {
    expect(inNetworks(['10.0.0.0/8'], undefined)).to.equal(false);
    expect(evaluate({ cidr: [{ var: 'absent' }, ['0.0.0.0/0']] })).to.equal(false);
    expect(inNetworks(['0.0.0.0/0'], 'not-an-ip')).to.equal(false);
    expect(inNetworks(['0.0.0.0/0'], 10)).to.equal(false);
    expect(inNetworks(['0.0.0.0/0'], { a: 1 })).to.equal(false);
  });
});

describe('kv operation and parseOktaKeyValues', () => {
  it('ignores whitespace around the braces and around keys and values', () => {
    expect(parseOktaKeyValues('  {level = HIGH}\n')).to.deep.equal({ level: 'HIGH' });
    expect(parseOktaKeyValues('{ New Device = POSITIVE, New IP=NEGATIVE }')).to.deep.equal({ 'New Device': 'POSITIVE', 'New IP': 'NEGATIVE' });
  });

  it('is null for a text without both braces', () => {
    expect(parseOktaKeyValues('level=HIGH')).to.equal(null);
    expect(parseOktaKeyValues('{level=HIGH')).to.equal(null);
    expect(parseOktaKeyValues('level=HIGH}')).to.equal(null);
    expect(parseOktaKeyValues('')).to.equal(null);
  });

  it('gives an empty frozen map for an empty body', () => {
    for (const text of ['{}', '{   }']) {
      const map = parseOktaKeyValues(text);
      expect(map).to.deep.equal({});
      expect(Object.isFrozen(map)).to.equal(true);
    }
  });

  it('keeps ", " inside a value when no key= follows it', () => {
    expect(parseOktaKeyValues('{reasons=Anomalous Location, unusual device, level=HIGH}')).to.deep.equal({
      reasons: 'Anomalous Location, unusual device',
      level: 'HIGH',
    });
    expect(parseOktaKeyValues('{reasons=a, b, c}')).to.deep.equal({ reasons: 'a, b, c' });
  });

  it('reads keys with spaces, dots and dashes, and values holding "="', () => {
    expect(parseOktaKeyValues('{New Geo-Location=NEGATIVE, device.os=Mac OS X, x-y=1, query=a=b}')).to.deep.equal({
      'New Geo-Location': 'NEGATIVE',
      'device.os': 'Mac OS X',
      'x-y': '1',
      query: 'a=b',
    });
  });

  it('keeps an empty value, and drops a piece with an empty key', () => {
    expect(parseOktaKeyValues('{a=, b=2}')).to.deep.equal({ a: '', b: '2' });
    expect(parseOktaKeyValues('{=x, b=2}')).to.deep.equal({ b: '2' });
  });

  it('keeps the last few parses, so texts read in turns are parsed once each, and never answers for another text', () => {
    const behaviors = '{New Device=POSITIVE, New IP=NEGATIVE}';
    const risk = '{level=HIGH}';
    const first = parseOktaKeyValues(behaviors);
    const riskMap = parseOktaKeyValues(risk);
    // Read in turns, as rules on one event do: the same frozen maps, not new parses.
    expect(parseOktaKeyValues(behaviors)).to.equal(first);
    expect(parseOktaKeyValues(risk)).to.equal(riskMap);
    // More texts than slots: each still gets its own map.
    const texts = ['{a=1}', '{a=2}', '{a=3}', '{a=4}', '{a=5}', '{a=6}'];
    for (let round = 0; round < 2; round++) for (const [i, text] of texts.entries()) expect(parseOktaKeyValues(text)).to.deep.equal({ a: String(i + 1) });
    expect(parseOktaKeyValues(behaviors)).to.deep.equal({ 'New Device': 'POSITIVE', 'New IP': 'NEGATIVE' });
  });

  it('is null for a value that is not a string, also right after parsing a string', () => {
    expect(parseOktaKeyValues('{a=1}')).to.deep.equal({ a: '1' });
    expect(parseOktaKeyValues(undefined)).to.equal(null);
    expect(parseOktaKeyValues(null)).to.equal(null);
    expect(parseOktaKeyValues(42)).to.equal(null);
    expect(parseOktaKeyValues({ a: '1' })).to.equal(null);
  });

  it('is null through kv for a missing or non-map value, or a key that is not a string', () => {
    expect(evaluate({ kv: [{ var: 'absent' }, 'level'] })).to.equal(null);
    expect(evaluate({ kv: [{ var: 'n' }, 'level'] }, { n: 7 })).to.equal(null);
    expect(evaluate({ kv: ['no braces', 'level'] })).to.equal(null);
    expect(evaluate({ kv: ['{1=one}', 1] })).to.equal(null);
    expect(evaluate({ kv: ['{level=HIGH}', 'absent'] })).to.equal(null);
  });

  it('gives the whole map through kv without a key, and null for a value that is no map', () => {
    expect(evaluate({ kv: '{level=HIGH, reasons=x}' })).to.deep.equal({ level: 'HIGH', reasons: 'x' });
    expect(evaluate({ kv: [{ var: 'absent' }] })).to.equal(null);
  });
});

describe('json operation', () => {
  const data = { text: '{"risk":{"level":"HIGH","reasons":["a","b"]}}' };

  it('without a path, gives the whole parsed value', () => {
    expect(evaluate({ json: { var: 'text' } }, data)).to.deep.equal({ risk: { level: 'HIGH', reasons: ['a', 'b'] } });
    expect(evaluate({ json: '5' })).to.equal(5);
    expect(evaluate({ json: '"s"' })).to.equal('s');
  });

  it('with a path, reads it in the parsed value, array indexes included', () => {
    expect(evaluate({ json: [{ var: 'text' }, 'risk.level'] }, data)).to.equal('HIGH');
    expect(evaluate({ json: [{ var: 'text' }, 'risk.reasons.1'] }, data)).to.equal('b');
    expect(evaluate({ json: [{ var: 'text' }, 'risk.absent'] }, data)).to.equal(null);
  });

  it('is null for invalid JSON, with or without a path', () => {
    expect(evaluate({ json: '{broken' })).to.equal(null);
    expect(evaluate({ json: [''] })).to.equal(null);
    expect(evaluate({ json: ['{broken', 'a'] })).to.equal(null);
  });

  it('passes an already-parsed object or array through, and reads the path in it', () => {
    const parsed = { risk: { level: 'LOW' } };
    expect(evaluate({ json: { var: 'p' } }, { p: parsed })).to.deep.equal(parsed);
    expect(evaluate({ json: [{ var: 'p' }, 'risk.level'] }, { p: parsed })).to.equal('LOW');
    expect(evaluate({ json: [{ var: 'a' }, '0'] }, { a: ['first'] })).to.equal('first');
  });

  it('is null for a number or boolean, which is not JSON text', () => {
    expect(evaluate({ json: { var: 'n' } }, { n: 5 })).to.equal(null);
    expect(evaluate({ json: { var: 'b' } }, { b: true })).to.equal(null);
    expect(evaluate({ json: [{ var: 'n' }, 'a'] }, { n: 5 })).to.equal(null);
    expect(evaluate({ json: { var: 'absent' } })).to.equal(null);
  });
});

describe('search operation', () => {
  const nest = (levels: number, wrap: (inner: unknown) => unknown): unknown => {
    let value: unknown = 'needle';
    for (let i = 0; i < levels; i++) value = wrap(value);
    return value;
  };

  it('finds text in nested objects and arrays, whatever the case of needle or value', () => {
    const event = { a: [{ b: { c: 'Deep Value' } }], d: 'UPPER' };
    expect(evaluate({ search: [{ var: '' }, 'deep VALUE'] }, event)).to.equal(true);
    expect(evaluate({ search: [{ var: '' }, 'upper'] }, event)).to.equal(true);
    expect(evaluate({ search: [{ var: '' }, 'shallow'] }, event)).to.equal(false);
  });

  it('matches exact case only in "cased" mode', () => {
    const event = { a: ['Mimikatz'] };
    expect(evaluate({ search: [{ var: '' }, 'mimikatz', 'cased'] }, event)).to.equal(false);
    expect(evaluate({ search: [{ var: '' }, 'Mimikatz', 'cased'] }, event)).to.equal(true);
  });

  it('searchValues is case-insensitive unless told otherwise', () => {
    expect(searchValues({ a: 'abc' }, 'ABC')).to.equal(true);
    expect(searchValues({ a: 'ABC' }, 'abc')).to.equal(true);
    expect(searchValues({ a: 'abc' }, 'ABC', true)).to.equal(false);
  });

  it('takes a number needle as its text, and is false for a null or boolean needle', () => {
    expect(evaluate({ search: [{ var: '' }, 52] }, { geo: { lat: 52.52 } })).to.equal(true);
    expect(evaluate({ search: [{ var: '' }, 7] }, { path: '/v7/x' })).to.equal(true);
    expect(evaluate({ search: [{ var: '' }, null] }, { a: 'null' })).to.equal(false);
    expect(evaluate({ search: [{ var: '' }, true] }, { a: 'true' })).to.equal(false);
    expect(evaluate({ search: [{ var: '' }, { var: 'absent' }] }, { a: 'undefined' })).to.equal(false);
  });

  it('skips null, boolean and missing values without throwing', () => {
    const event = { a: null, b: true, c: [null, false, 'hit'], d: { e: null } };
    expect(evaluate({ search: [{ var: '' }, 'hit'] }, event)).to.equal(true);
    expect(evaluate({ search: [{ var: '' }, 'true'] }, event)).to.equal(false);
    expect(evaluate({ search: [{ var: '' }, 'null'] }, event)).to.equal(false);
    expect(searchValues(null, 'x')).to.equal(false);
  });

  it(`reads text nested ${MAX_SEARCH_DEPTH} objects deep and not one level deeper`, () => {
    expect(MAX_SEARCH_DEPTH).to.equal(32);
    expect(
      searchValues(
        nest(MAX_SEARCH_DEPTH, (v) => ({ next: v })),
        'needle',
      ),
    ).to.equal(true);
    expect(
      searchValues(
        nest(MAX_SEARCH_DEPTH + 1, (v) => ({ next: v })),
        'needle',
      ),
    ).to.equal(false);
  });

  it(`counts arrays as levels too: ${MAX_SEARCH_DEPTH} nested arrays are read, one more is not`, () => {
    expect(
      searchValues(
        nest(MAX_SEARCH_DEPTH, (v) => [v]),
        'needle',
      ),
    ).to.equal(true);
    expect(
      searchValues(
        nest(MAX_SEARCH_DEPTH + 1, (v) => [v]),
        'needle',
      ),
    ).to.equal(false);
  });

  it('finds a needle that is exactly the MAX_SEARCH_VALUES-th value visited, not the next', () => {
    // Visits: the outer array, the inner array, its fillers, then the needle.
    const within = [Array.from({ length: MAX_SEARCH_VALUES - 3 }, () => 'x'), 'needle'];
    const past = [Array.from({ length: MAX_SEARCH_VALUES - 2 }, () => 'x'), 'needle'];
    expect(searchValues(within, 'needle')).to.equal(true);
    expect(searchValues(past, 'needle')).to.equal(false);
  });
});

describe('standard operations "!" and log', () => {
  it('"!" negates the truthiness of its first argument and ignores the rest', () => {
    expect(evaluate({ '!': [false, true] })).to.equal(true);
    expect(evaluate({ '!': [1, 0] })).to.equal(false);
  });

  it('log returns its argument unchanged', () => {
    expect(evaluate({ log: 'x' })).to.equal('x');
    const value = { a: [1] };
    expect(evaluate({ log: { var: 'v' } }, { v: value })).to.equal(value);
  });
});

describe('operation descriptions', () => {
  it('describe every Okta operation, stating the limits the code applies', () => {
    for (const [name, op] of Object.entries(OKTA_OPERATIONS)) {
      expect(op.description, name).to.be.a('string').with.length.greaterThan(20);
    }
    expect(OKTA_OPERATIONS.regex!.description).to.include(`inputs are cut at ${MAX_REGEX_INPUT / 1024} KiB`);
    expect(OKTA_OPERATIONS.search!.description).to.include(`Depth ≤ ${MAX_SEARCH_DEPTH}`);
  });
});
