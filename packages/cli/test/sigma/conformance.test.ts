import { expect } from 'chai';
import { matcher, okta, refusal, sigma } from './helpers.js';

const E = (eventType: string, rest: Record<string, unknown> = {}): Record<string, unknown> => ({ eventType, ...rest });

describe('Sigma rules specification v2: detection', () => {
  describe('search identifiers', () => {
    it('joins the entries of a map with AND', () => {
      const m = matcher({ selection: { eventType: 'user.session.start', 'outcome.result': 'FAILURE' }, condition: 'selection' });
      expect(m(E('user.session.start', { outcome: { result: 'FAILURE' } }))).to.equal(true);
      expect(m(E('user.session.start', { outcome: { result: 'SUCCESS' } }))).to.equal(false);
    });
    it('joins the values of a list with OR, and |all joins them with AND', () => {
      const any = matcher({ sel: { displayMessage: ['Max sign in attempts exceeded', 'User login to Okta'] }, condition: 'sel' });
      expect(any(E('x', { displayMessage: 'User login to Okta' }))).to.equal(true);
      expect(any(E('x', { displayMessage: 'Other' }))).to.equal(false);
      const all = matcher({ sel: { 'displayMessage|contains|all': ['login', 'okta'] }, condition: 'sel' });
      expect(all(E('x', { displayMessage: 'User login to Okta' }))).to.equal(true);
      expect(all(E('x', { displayMessage: 'User login to Slack' }))).to.equal(false);
    });
    it('joins the maps of a list with OR', () => {
      const m = matcher({ sel: [{ eventType: 'user.session.start' }, { 'displayMessage|contains': 'password' }], condition: 'sel' });
      expect(m(E('user.session.start'))).to.equal(true);
      expect(m(E('x', { displayMessage: 'Reset password' }))).to.equal(true);
      expect(m(E('x', { displayMessage: 'Reset factor' }))).to.equal(false);
    });
  });

  describe('strings', () => {
    it('matches case-insensitively unless the cased modifier says otherwise', () => {
      expect(matcher({ s: { displayMessage: 'user login to okta' }, condition: 's' })(E('x', { displayMessage: 'User Login to Okta' }))).to.equal(true);
      const cased = matcher({ s: { 'displayMessage|cased': 'user login to okta' }, condition: 's' });
      expect(cased(E('x', { displayMessage: 'User Login to Okta' }))).to.equal(false);
      expect(cased(E('x', { displayMessage: 'user login to okta' }))).to.equal(true);
    });
    it('treats * as any run of characters and ? as exactly one', () => {
      const m = matcher({ s: { 'actor.alternateId': 'svc_?ackup*@example.com' }, condition: 's' });
      expect(m(E('x', { actor: { alternateId: 'svc_backup01@example.com' } }))).to.equal(true);
      expect(m(E('x', { actor: { alternateId: 'svc_ackup01@example.com' } }))).to.equal(false);
    });
    it('reads \\* and \\? as plain characters, \\\\ as a backslash, and a lone backslash as itself', () => {
      const star = matcher({ s: { displayMessage: 'deal 50\\*' }, condition: 's' });
      expect(star(E('x', { displayMessage: 'deal 50*' }))).to.equal(true);
      expect(star(E('x', { displayMessage: 'deal 500' }))).to.equal(false);
      const q = matcher({ s: { displayMessage: 'why\\?' }, condition: 's' });
      expect(q(E('x', { displayMessage: 'why?' }))).to.equal(true);
      expect(q(E('x', { displayMessage: 'whyy' }))).to.equal(false);
      const lone = matcher({ s: { displayMessage: 'C:\\Windows' }, condition: 's' });
      expect(lone(E('x', { displayMessage: 'c:\\windows' }))).to.equal(true);
      const escapedThenWild = matcher({ s: { displayMessage: 'dir\\\\*' }, condition: 's' });
      expect(escapedThenWild(E('x', { displayMessage: 'dir\\anything' }))).to.equal(true);
    });
    it('matches an empty value only against an empty string', () => {
      const m = matcher({ s: { 'outcome.reason': '' }, condition: 's' });
      expect(m(E('x', { outcome: { reason: '' } }))).to.equal(true);
      expect(m(E('x', { outcome: { reason: 'x' } }))).to.equal(false);
    });
    it('matches null when the field is absent or null, and refuses null inside a list', () => {
      const m = matcher({ s: { 'outcome.reason': null }, condition: 's' });
      expect(m(E('x', { outcome: {} }))).to.equal(true);
      expect(m(E('x', { outcome: { reason: null } }))).to.equal(true);
      expect(m(E('x', { outcome: { reason: '' } }))).to.equal(false);
      expect(refusal({ s: { 'outcome.reason': ['', null] }, condition: 's' })).to.match(/null cannot be part of a list/);
    });
    it('compares numbers and booleans as their text', () => {
      expect(matcher({ s: { 'securityContext.isProxy': 'true' }, condition: 's' })(E('x', { securityContext: { isProxy: true } }))).to.equal(true);
      expect(matcher({ s: { 'securityContext.asNumber': 16509 }, condition: 's' })(E('x', { securityContext: { asNumber: '16509' } }))).to.equal(true);
    });
  });

  describe('modifiers', () => {
    it('contains, startswith and endswith put wildcards around, before or after the value', () => {
      const ev = E('x', { debugContext: { debugData: { requestUri: '/api/v1/Admin/users' } } });
      expect(matcher({ s: { 'debugContext.debugData.requestUri|contains': '/admin/' }, condition: 's' })(ev)).to.equal(true);
      expect(matcher({ s: { 'debugContext.debugData.requestUri|startswith': '/API/' }, condition: 's' })(ev)).to.equal(true);
      expect(matcher({ s: { 'debugContext.debugData.requestUri|endswith': '/USERS' }, condition: 's' })(ev)).to.equal(true);
      expect(matcher({ s: { 'debugContext.debugData.requestUri|startswith': '/admin' }, condition: 's' })(ev)).to.equal(false);
      expect(matcher({ s: { 'debugContext.debugData.requestUri|contains': 'v?/ad*us' }, condition: 's' })(ev)).to.equal(true);
    });
    it('re is case-sensitive; i, m and s are its sub-modifiers', () => {
      const ev = E('x', { displayMessage: 'First line\nSecond LINE' });
      expect(matcher({ s: { 'displayMessage|re': 'second' }, condition: 's' })(ev)).to.equal(false);
      expect(matcher({ s: { 'displayMessage|re|i': 'second' }, condition: 's' })(ev)).to.equal(true);
      expect(matcher({ s: { 'displayMessage|re': '^Second' }, condition: 's' })(ev)).to.equal(false);
      expect(matcher({ s: { 'displayMessage|re|m': '^Second' }, condition: 's' })(ev)).to.equal(true);
      expect(matcher({ s: { 'displayMessage|re': 'line.Second' }, condition: 's' })(ev)).to.equal(false);
      expect(matcher({ s: { 'displayMessage|re|s': 'line.Second' }, condition: 's' })(ev)).to.equal(true);
    });
    it('refuses a regex the linear-time rules reject, naming the rule', () => {
      // The compiler passes it through; the detection engine rejects it at load (see loading tests).
      expect(refusal({ s: { 'displayMessage|re': '(a+)+$' }, condition: 's' })).to.equal(undefined);
    });
    it('cidr matches IPv4 and IPv6 networks', () => {
      const m = matcher({ s: { 'client.ipAddress|cidr': ['10.0.0.0/8', '2001:db8::/32'] }, condition: 's' });
      expect(m(E('x', { client: { ipAddress: '10.1.2.3' } }))).to.equal(true);
      expect(m(E('x', { client: { ipAddress: '2001:db8::1' } }))).to.equal(true);
      expect(m(E('x', { client: { ipAddress: '11.1.2.3' } }))).to.equal(false);
    });
    it('base64 and base64offset match the encoded value, the latter at any offset', () => {
      const encoded = Buffer.from('xx evil payload yy').toString('base64');
      expect(
        matcher({ s: { 'debugContext.debugData.blob|base64': 'evil' }, condition: 's' })(
          E('x', { debugContext: { debugData: { blob: Buffer.from('evil').toString('base64') } } }),
        ),
      ).to.equal(true);
      for (const prefix of ['', 'a', 'ab', 'abc']) {
        const text = Buffer.from(`${prefix}evil payload`).toString('base64');
        expect(
          matcher({ s: { 'debugContext.debugData.blob|base64offset|contains': 'evil payload' }, condition: 's' })(
            E('x', { debugContext: { debugData: { blob: text } } }),
          ),
          prefix,
        ).to.equal(true);
      }
      expect(
        matcher({ s: { 'debugContext.debugData.blob|base64offset|contains': 'good payload' }, condition: 's' })(
          E('x', { debugContext: { debugData: { blob: encoded } } }),
        ),
      ).to.equal(false);
      expect(refusal({ s: { 'displayMessage|utf16le': 'x' }, condition: 's' })).to.match(/only makes sense with base64/);
    });
    it('exists checks presence', () => {
      expect(
        matcher({ s: { 'debugContext.debugData.risk|exists': true }, condition: 's' })(E('x', { debugContext: { debugData: { risk: '{level=HIGH}' } } })),
      ).to.equal(true);
      expect(matcher({ s: { 'debugContext.debugData.risk|exists': true }, condition: 's' })(E('x', {}))).to.equal(false);
      expect(matcher({ s: { 'debugContext.debugData.risk|exists': false }, condition: 's' })(E('x', {}))).to.equal(true);
    });
    it('lt, lte, gt and gte compare numbers; a missing or non-numeric field never matches', () => {
      const gt = matcher({ s: { 'securityContext.asNumber|gt': 1000 }, condition: 's' });
      expect(gt(E('x', { securityContext: { asNumber: 16509 } }))).to.equal(true);
      expect(gt(E('x', { securityContext: { asNumber: '999' } }))).to.equal(false);
      expect(gt(E('x', {}))).to.equal(false);
      const lt = matcher({ s: { 'securityContext.asNumber|lt': 1000 }, condition: 's' });
      expect(lt(E('x', {}))).to.equal(false);
      expect(lt(E('x', { securityContext: { asNumber: '' } }))).to.equal(false);
      expect(matcher({ s: { 'securityContext.asNumber|lte': 1000 }, condition: 's' })(E('x', { securityContext: { asNumber: 1000 } }))).to.equal(true);
      expect(matcher({ s: { 'securityContext.asNumber|gte': 1001 }, condition: 's' })(E('x', { securityContext: { asNumber: 1000 } }))).to.equal(false);
    });
    it('neq matches a different value', () => {
      const m = matcher({ s: { 'outcome.result|neq': 'SUCCESS' }, condition: 's' });
      expect(m(E('x', { outcome: { result: 'FAILURE' } }))).to.equal(true);
      expect(m(E('x', { outcome: { result: 'success' } }))).to.equal(false);
    });
    it('fieldref compares two fields of the event', () => {
      const m = matcher({ s: { 'actor.alternateId|fieldref': 'target.0.alternateId' }, condition: 's' });
      expect(m(E('x', { actor: { alternateId: 'Dana@x.com' }, target: [{ alternateId: 'dana@x.com' }] }))).to.equal(true);
      expect(m(E('x', { actor: { alternateId: 'sam@x.com' }, target: [{ alternateId: 'dana@x.com' }] }))).to.equal(false);
      expect(m(E('x', {}))).to.equal(false);
    });
    it('windash matches every dash variant of a flag', () => {
      const m = matcher({ s: { 'client.userAgent.rawUserAgent|windash|contains': ' -enc ' }, condition: 's' });
      for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015'])
        expect(m(E('x', { client: { userAgent: { rawUserAgent: `tool ${dash}enc x` } } })), dash).to.equal(true);
      expect(m(E('x', { client: { userAgent: { rawUserAgent: 'tool enc x' } } }))).to.equal(false);
    });
    it('expand fills %placeholders% from config, and refuses the rule naming an unknown one', () => {
      const m = matcher({ s: { 'actor.alternateId|expand': '%admins%' }, condition: 's' }, { placeholders: { admins: ['root@x.com', 'ops-*@x.com'] } });
      expect(m(E('x', { actor: { alternateId: 'OPS-1@x.com' } }))).to.equal(true);
      expect(m(E('x', { actor: { alternateId: 'dana@x.com' } }))).to.equal(false);
      expect(refusal({ s: { 'actor.alternateId|expand': '%admins%' }, condition: 's' })).to.match(/placeholder %admins% has no value/);
      // Without expand, %name% is a literal value.
      expect(matcher({ s: { displayMessage: '%admins%' }, condition: 's' })(E('x', { displayMessage: '%ADMINS%' }))).to.equal(true);
    });
    it('time modifiers read a part of the ISO timestamp (UTC), alone or with lt/lte/gt/gte', () => {
      const at = (published: string) => E('x', { published });
      const night = matcher({ s: { 'published|hour|lt': 6 }, condition: 's' });
      expect(night(at('2026-11-20T05:59:00.000Z'))).to.equal(true);
      expect(night(at('2026-11-20T06:00:00.000Z'))).to.equal(false);
      expect(night(E('x', {}))).to.equal(false);
      expect(matcher({ s: { 'published|month': [11, 12] }, condition: 's' })(at('2026-11-20T05:59:00.000Z'))).to.equal(true);
      expect(matcher({ s: { 'published|year': 2025 }, condition: 's' })(at('2026-11-20T05:59:00.000Z'))).to.equal(false);
      expect(matcher({ s: { 'published|day|gte': 20, 'published|minute': 59 }, condition: 's' })(at('2026-11-20T05:59:00.000Z'))).to.equal(true);
      expect(refusal({ s: { 'published|week': 3 }, condition: 's' })).to.match(/"week" is not supported/);
    });
    it('refuses unknown modifiers, with the reason', () => {
      expect(refusal({ s: { 'displayMessage|sounds_like': 'x' }, condition: 's' })).to.match(/unknown modifier "sounds_like"/);
    });
  });

  describe('keyword searches', () => {
    it('matches a keyword anywhere in the event text fields, case-insensitively', () => {
      const m = matcher({ keywords: ['svc_network_backup', 'mimikatz'], condition: 'keywords' });
      expect(m(E('x', { target: [{ displayName: 'User' }, { displayName: 'SVC_NETWORK_BACKUP' }] }))).to.equal(true);
      expect(m(E('x', { displayMessage: 'ran MimiKatz' }))).to.equal(true);
      expect(m(E('x', { displayMessage: 'benign' }))).to.equal(false);
    });
    it('finds a keyword in any value of the event, however deep, not only in the documented text fields', () => {
      const m = matcher({ keywords: ['Evilginx'], condition: 'keywords' });
      expect(m(E('x', { client: { geographicalContext: { geolocation: { note: 'via evilginx relay' } } } }))).to.equal(true);
      expect(m(E('x', { debugContext: { debugData: { deviceFingerprint: 'EVILGINX-01' } } }))).to.equal(true);
      expect(m(E('x', { debugContext: { debugData: { deviceFingerprint: 'benign' } } }))).to.equal(false);
    });
    it('matches a cased keyword only in its case', () => {
      const m = matcher({ keywords: { '|cased': ['Mimikatz'] }, condition: 'keywords' });
      expect(m(E('x', { authenticationContext: { issuer: { id: 'ran Mimikatz' } } }))).to.equal(true);
      expect(m(E('x', { authenticationContext: { issuer: { id: 'ran mimikatz' } } }))).to.equal(false);
    });
    it("joins keywords with AND under '|all'", () => {
      const m = matcher({ keywords: { '|all': ['admin', 'proxy'] }, condition: 'keywords' });
      expect(m(E('x', { displayMessage: 'admin via proxy' }))).to.equal(true);
      expect(m(E('x', { displayMessage: 'admin only' }))).to.equal(false);
    });
  });

  describe('conditions', () => {
    const a = { eventType: 'a' };
    const b = { displayMessage: 'b' };
    const c = { 'outcome.result': 'c' };
    const ev = (et: string, msg: string, res: string): Record<string, unknown> => ({ eventType: et, displayMessage: msg, outcome: { result: res } });
    it('binds and tighter than or', () => {
      const m = matcher({ a, b, c, condition: 'a or b and c' });
      expect(m(ev('a', '', ''))).to.equal(true);
      expect(m(ev('', 'b', ''))).to.equal(false);
      expect(m(ev('', 'b', 'c'))).to.equal(true);
    });
    it('binds not tighter than and, and parentheses tightest', () => {
      expect(matcher({ a, b, condition: 'not a and b' })(ev('', 'b', ''))).to.equal(true);
      expect(matcher({ a, b, condition: 'not (a and b)' })(ev('a', '', ''))).to.equal(true);
      expect(matcher({ a, b, condition: 'not (a and b)' })(ev('a', 'b', ''))).to.equal(false);
      expect(matcher({ a, b, c, condition: '(a or b) and c' })(ev('a', '', ''))).to.equal(false);
    });
    it('supports 1 of / any of / all of with wildcard patterns', () => {
      const s = { sel_a: a, sel_b: b, filter: c };
      expect(matcher({ ...s, condition: '1 of sel_*' })(ev('', 'b', ''))).to.equal(true);
      expect(matcher({ ...s, condition: 'any of sel_*' })(ev('', 'b', ''))).to.equal(true);
      expect(matcher({ ...s, condition: 'all of sel_*' })(ev('', 'b', ''))).to.equal(false);
      expect(matcher({ ...s, condition: 'all of sel_* and not filter' })(ev('a', 'b', 'c'))).to.equal(false);
      expect(matcher({ ...s, condition: '1 of sel_* and not 1 of filter*' })(ev('a', '', ''))).to.equal(true);
    });
    it('takes every identifier not starting with _ for "them"', () => {
      const s = { sel_a: a, _helper: b };
      expect(matcher({ ...s, condition: '1 of them' })(ev('', 'b', ''))).to.equal(false);
      expect(matcher({ ...s, condition: 'all of them' })(ev('a', '', ''))).to.equal(true);
    });
    it('ORs a list of conditions', () => {
      const m = matcher({ a, b, condition: ['a', 'b'] });
      expect(m(ev('', 'b', ''))).to.equal(true);
      expect(m(ev('', '', ''))).to.equal(false);
    });
    it('refuses the obsolete pipe aggregation, unknown identifiers and empty patterns, with the line', () => {
      expect(refusal({ a, condition: 'a | count() > 5' })).to.match(/obsolete/);
      expect(refusal({ a, condition: 'a and b' })).to.match(/"b", which is not a search identifier/);
      expect(refusal({ a, condition: '1 of filter*' })).to.match(/matches no search identifier/);
      const out = sigma(okta({ a, condition: 'a or (b' })).outcomes[0]!;
      expect(out.outcome).to.equal('refused');
      expect(out.line).to.be.greaterThan(1);
    });
  });
});
