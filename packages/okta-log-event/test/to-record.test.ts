import { join } from 'node:path';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { millisFromHrTime } from '@oktel/core';
import {
  isAbsent,
  isAbsentPrincipal,
  logEventOf,
  logEventProblem,
  logEventToRecord,
  oktaResource,
  publishedMillis,
  type OktaLogEvent,
} from '@oktel/okta-log-event';
import { execFileSync } from 'node:child_process';
import { FIXTURES_DIR } from '@oktel/testkit';

const raw = readFileSync(join(FIXTURES_DIR, 'user-session-start.json'), 'utf8');
const context = { resource: oktaResource({ domain: 'acme.okta.com' }), scope: { name: 'test' }, observedAtMs: 1_800_000_000_000 };

describe('okta log event to record', () => {
  it('keeps every field of the original event, nulls included, as the body', () => {
    const event = JSON.parse(raw) as OktaLogEvent;
    const record = logEventToRecord(event, context);
    // Round-trip through JSON, as an exporter would serialize it.
    expect(JSON.parse(JSON.stringify(logEventOf(record)))).to.deep.equal(JSON.parse(raw));
    expect(JSON.stringify(record.body)).to.contain('"detailEntry":null');
  });

  it('sets timestamp from published with milliseconds, observed time, event name and severity', () => {
    const record = logEventToRecord(JSON.parse(raw) as OktaLogEvent, context);
    expect(millisFromHrTime(record.hrTime)).to.equal(Date.parse('2026-11-20T14:03:27.481Z'));
    expect(record.hrTime).to.deep.equal([1_795_183_407, 481_000_000]);
    expect(millisFromHrTime(record.hrTimeObserved)).to.equal(1_800_000_000_000);
    expect(record.eventName).to.equal('user.session.start');
    expect(record.severityText).to.equal('INFO');
    expect(record.severityNumber).to.equal(SeverityNumber.INFO);
  });

  it('maps Okta severities onto the OTel bands', () => {
    const sev = (severity: string) => logEventToRecord({ ...(JSON.parse(raw) as OktaLogEvent), severity }, context).severityNumber;
    expect([sev('DEBUG'), sev('INFO'), sev('WARN'), sev('ERROR'), sev('BOGUS')]).to.deep.equal([5, 9, 13, 17, 0]);
  });

  it('promotes each key field once by default: the semantic-convention name where one applies, okta.* otherwise', () => {
    const record = logEventToRecord(JSON.parse(raw) as OktaLogEvent, context);
    expect(record.attributes).to.deep.equal({
      'log.record.uid': '5b3f6c2e-c6a1-11f1-9d2a-5f0e3c8b7a61',
      'okta.event_type': 'user.session.start',
      'okta.legacy_event_type': 'core.user_auth.login_success',
      'okta.display_message': 'User login to Okta',
      'okta.outcome.result': 'SUCCESS',
      'okta.actor.type': 'User',
      'user.id': '00u1qw2e3r4T5y6U7i8o',
      'user.name': 'dana.whitfield@example.com',
      'user.full_name': 'Dana Whitfield',
      'client.address': '198.51.100.23',
      'user_agent.original': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      'okta.client.device': 'Computer',
      'geo.locality.name': 'Portland',
      'geo.postal_code': '97201',
      'geo.location.lat': 45.5152,
      'geo.location.lon': -122.6784,
      'okta.geo.country': 'United States',
      'okta.geo.state': 'Oregon',
      'session.id': 'idxR7kq2mNc4Z0aBcDeFgHiJk',
      'okta.root_session_id': 'idxR7kq2mNc4Z0aBcDeFgHiJk',
      'okta.transaction.id': 'Zk3v9Q2mYbR1x8n4WcT7aAAAB0E',
      'okta.transaction.type': 'WEB',
      'okta.request.id': 'Zk3v9Q2mYbR1x8n4WcT7aAAAB0E',
    });
    const values = Object.values(record.attributes).filter((v) => typeof v === 'string');
    expect(values.filter((v) => v === 'dana.whitfield@example.com')).to.have.length(1);
    expect(record.resource.attributes).to.deep.equal({ 'service.name': 'okta', 'okta.domain': 'acme.okta.com' });
  });

  it('promotes only okta.* names with the okta profile, and both names with the both profile', () => {
    const event = JSON.parse(raw) as OktaLogEvent;
    const okta = logEventToRecord(event, { ...context, attributeProfile: 'okta' }).attributes;
    expect(Object.keys(okta).every((k) => k.startsWith('okta.'))).to.equal(true);
    expect(okta).to.include({
      'okta.uuid': event.uuid,
      'okta.actor.id': '00u1qw2e3r4T5y6U7i8o',
      'okta.client.ip_address': '198.51.100.23',
      'okta.external_session_id': 'idxR7kq2mNc4Z0aBcDeFgHiJk',
    });
    const both = logEventToRecord(event, { ...context, attributeProfile: 'both' }).attributes;
    expect(both).to.include({
      'okta.uuid': event.uuid,
      'log.record.uid': event.uuid,
      'okta.actor.alternate_id': 'dana.whitfield@example.com',
      'user.name': 'dana.whitfield@example.com',
    });
    expect(Object.keys(both).length).to.be.greaterThan(Object.keys(okta).length);
  });

  it('does not call a non-user actor a user, and keeps its id under okta.*', () => {
    const event = { ...(JSON.parse(raw) as OktaLogEvent), actor: { id: '185.220.101.4', type: 'IP address', alternateId: 'unknown', displayName: 'unknown' } };
    const attributes = logEventToRecord(event, context).attributes;
    expect(attributes).to.not.have.any.keys('user.id', 'user.name', 'user.email', 'okta.actor.alternate_id');
    expect(attributes['okta.actor.type']).to.equal('IP address');
    expect(attributes['okta.actor.id']).to.equal('185.220.101.4');
  });

  it('never promotes Okta placeholders: "unknown", "null", empty strings and nulls', () => {
    const event = {
      ...(JSON.parse(raw) as OktaLogEvent),
      actor: { id: 'unknown', type: 'User', alternateId: 'unknown', displayName: 'unknown' },
      client: { ipAddress: 'null', zone: 'null', device: 'Unknown', userAgent: { rawUserAgent: '' }, geographicalContext: null },
      authenticationContext: { externalSessionId: 'unknown', rootSessionId: null },
    };
    for (const profile of ['semantic', 'okta', 'both'] as const) {
      const attributes = logEventToRecord(event, { ...context, attributeProfile: profile }).attributes;
      for (const [key, value] of Object.entries(attributes)) expect(isAbsent(value), `${profile} ${key}=${String(value)}`).to.equal(false);
      expect(attributes).to.not.have.any.keys(
        'user.id',
        'user.full_name',
        'user.name',
        'okta.actor.id',
        'session.id',
        'okta.external_session_id',
        'client.address',
        'okta.client.device',
      );
    }
  });

  it('says why a value is not a LogEvent', () => {
    expect(logEventProblem(JSON.parse(raw))).to.equal(undefined);
    expect(logEventProblem([])).to.equal('expected a JSON object, got an array');
    expect(logEventProblem({ uuid: 'a', eventType: 'x' })).to.equal('missing or empty "published"');
    expect(logEventProblem({ uuid: 'a', eventType: 'x', published: 'yesterday' })).to.equal('"published" is not an ISO 8601 timestamp: "yesterday"');
    expect(logEventProblem({ uuid: 'a', eventType: 'x', published: 'Fri, 20 Nov 2026 14:03:27 GMT' })).to.match(/not an ISO 8601 timestamp/);
  });
});

describe('absent values', () => {
  it('treats undefined, null, blank, "unknown" and "null" (any case) as no value, and real values as values', () => {
    for (const v of [undefined, null, '', '  ', 'unknown', 'UNKNOWN', 'Unknown', 'null', 'NULL', Number.NaN]) expect(isAbsent(v), String(v)).to.equal(true);
    for (const v of ['dana@example.com', '0', 0, false, 'unknownuser@example.com', '198.51.100.1', 'NONE']) expect(isAbsent(v), String(v)).to.equal(false);
  });

  it('sees a placeholder through padding of any length, ASCII or Unicode whitespace', () => {
    for (const v of ['  unknown  ', '\tnull\n', '\u00a0unknown', 'unknown\u2028', '\ufeffNULL\u00a0\u00a0\u00a0\u00a0', '          ']) {
      expect(isAbsent(v), JSON.stringify(v)).to.equal(true);
    }
    for (const v of ['\u00a0dana@example.com', 'unknown-user', ' 198.51.100.1 ']) expect(isAbsent(v), JSON.stringify(v)).to.equal(false);
  });

  it('recognises the principal that names nobody', () => {
    expect(isAbsentPrincipal({ id: 'unknown', type: 'User', alternateId: 'unknown', displayName: 'unknown' })).to.equal(true);
    expect(isAbsentPrincipal({ id: null, type: null, alternateId: null, displayName: null })).to.equal(true);
    expect(isAbsentPrincipal(null)).to.equal(true);
    expect(isAbsentPrincipal({ id: 'unknown', type: 'User', alternateId: 'ghost@example.com', displayName: 'unknown' })).to.equal(false);
  });
});

describe('published time', () => {
  const utc = Date.parse('2026-11-20T14:03:27.481Z');

  it('reads a published time without a zone as UTC, in every accepted spelling', () => {
    for (const s of [
      '2026-11-20T14:03:27.481Z',
      '2026-11-20T14:03:27.481',
      '2026-11-20 14:03:27.481',
      '2026-11-20T14:03:27.481123',
      '2026-11-20T16:03:27.481+02:00',
      '2026-11-20T16:03:27.481+0200',
      '2026-11-20T09:03:27.481-05',
    ]) {
      expect(publishedMillis(s), s).to.equal(utc);
    }
  });

  it('refuses what is not an ISO date-time rather than guessing', () => {
    for (const s of ['yesterday', '1795183407481', '2026-11-20', 'Fri, 20 Nov 2026 14:03:27 GMT', ''])
      expect(Number.isNaN(publishedMillis(s)), s).to.equal(true);
  });

  it('stamps a zone-less published time as UTC even when the host runs in another zone', () => {
    const script = `import { logEventToRecord, oktaResource } from '@oktel/okta-log-event';
      const r = logEventToRecord({ uuid: 'u', eventType: 'x', published: '2026-11-20 14:03:27.481' }, { resource: oktaResource(), scope: { name: 't' } });
      process.stdout.write(JSON.stringify({ ms: r.hrTime[0] * 1000 + r.hrTime[1] / 1e6, offset: new Date(2026, 10, 20).getTimezoneOffset() }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, TZ: 'Asia/Tokyo' },
      cwd: new URL('..', import.meta.url).pathname,
      encoding: 'utf8',
    });
    const { ms, offset } = JSON.parse(out) as { ms: number; offset: number };
    expect(offset, 'the child really runs in a non-UTC zone').to.equal(-540);
    expect(ms).to.equal(utc);
  });
});
