import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { millisFromHrTime } from '@oktel/core';
import { logEventOf, logEventProblem, logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';

const raw = readFileSync(new URL('./fixtures/user-session-start.json', import.meta.url), 'utf8');
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

  it('promotes key fields to semantic-convention and okta.* attributes, skipping nulls and "null" strings', () => {
    const record = logEventToRecord(JSON.parse(raw) as OktaLogEvent, context);
    expect(record.attributes).to.deep.equal({
      'log.record.uid': '5b3f6c2e-c6a1-11f1-9d2a-5f0e3c8b7a61',
      'okta.uuid': '5b3f6c2e-c6a1-11f1-9d2a-5f0e3c8b7a61',
      'okta.event_type': 'user.session.start',
      'okta.legacy_event_type': 'core.user_auth.login_success',
      'okta.display_message': 'User login to Okta',
      'okta.outcome.result': 'SUCCESS',
      'okta.actor.id': '00u1qw2e3r4T5y6U7i8o',
      'okta.actor.type': 'User',
      'okta.actor.alternate_id': 'dana.whitfield@example.com',
      'okta.actor.display_name': 'Dana Whitfield',
      'user.id': '00u1qw2e3r4T5y6U7i8o',
      'user.name': 'dana.whitfield@example.com',
      'user.email': 'dana.whitfield@example.com',
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
    expect(record.resource.attributes).to.deep.equal({ 'service.name': 'okta', 'okta.domain': 'acme.okta.com' });
  });

  it('does not call a non-user actor a user', () => {
    const event = { ...(JSON.parse(raw) as OktaLogEvent), actor: { id: '185.220.101.4', type: 'IP address', alternateId: 'unknown', displayName: 'unknown' } };
    const attributes = logEventToRecord(event, context).attributes;
    expect(attributes).to.not.have.any.keys('user.id', 'user.name', 'user.email');
    expect(attributes['okta.actor.type']).to.equal('IP address');
  });

  it('says why a value is not a LogEvent', () => {
    expect(logEventProblem(JSON.parse(raw))).to.equal(undefined);
    expect(logEventProblem([])).to.equal('expected a JSON object, got an array');
    expect(logEventProblem({ uuid: 'a', eventType: 'x' })).to.equal('missing or empty "published"');
    expect(logEventProblem({ uuid: 'a', eventType: 'x', published: 'yesterday' })).to.equal('"published" is not a timestamp: "yesterday"');
  });
});
