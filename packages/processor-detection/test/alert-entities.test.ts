import { expect } from 'chai';
import { oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import { alertRecord, compileRule, countryIsoCode, entitiesOf, EntityCollector, primaryEntity, ruleSchema } from '@oktel/processor-detection';

const event = (over: Partial<OktaLogEvent>): OktaLogEvent => ({ uuid: 'u', published: '2026-11-20T10:00:00.000Z', eventType: 'user.session.start', ...over });
const user = (login: string, id: string) => ({ type: 'User', alternateId: login, id, displayName: login });
const rule = compileRule(
  ruleSchema.parse({
    id: 'entity-rule',
    name: 'Okta Verify push mismatch',
    description: 'd',
    severity: 'medium',
    references: ['https://example.com'],
    threat: [{ tactic: { id: 'TA0006', name: 'Credential Access' }, techniques: [{ id: 'T1621', name: 'Multi-Factor Authentication Request Generation' }] }],
    match: { '==': [{ var: 'eventType' }, 'x'] },
    tests: [
      { name: 'p', events: [{ eventType: 'x' }], expect: 'match' },
      { name: 'n', events: [{ eventType: 'y' }], expect: 'no_match' },
    ],
  }),
  'r.yaml',
);

describe('alert entities', () => {
  it('collects the users, addresses, sessions, places, agents, devices and targets the events name', () => {
    const entities = entitiesOf([
      event({
        actor: user('dana@example.com', '00u1'),
        client: { ipAddress: '198.51.100.7', userAgent: { rawUserAgent: 'curl/8.0' }, geographicalContext: { country: 'United States', city: 'Portland' } },
        authenticationContext: { externalSessionId: 'idx1' },
        debugContext: { debugData: { dtHash: 'abc' } },
        target: [user('sam@example.com', '00u2'), { type: 'AppInstance', displayName: 'Payroll' }],
      }),
      event({
        actor: user('dana@example.com', '00u1'),
        client: { ipAddress: '203.0.113.9', geographicalContext: { country: 'Germany', city: 'Berlin' } },
        authenticationContext: { externalSessionId: 'idx1' },
      }),
    ]);
    expect(entities['user.name']).to.deep.equal({ values: ['dana@example.com'], omitted: 0 });
    expect(entities['user.id']!.values).to.deep.equal(['00u1']);
    expect(entities['source.ip']!.values).to.deep.equal(['198.51.100.7', '203.0.113.9']);
    expect(entities['session.id']!.values).to.deep.equal(['idx1']);
    expect(entities['source.geo.country_iso_code']!.values).to.deep.equal(['US', 'DE']);
    expect(entities['source.geo.city_name']!.values).to.deep.equal(['Portland', 'Berlin']);
    expect(entities['user_agent.original']!.values).to.deep.equal(['curl/8.0']);
    expect(entities['okta.device_token']!.values).to.deep.equal(['abc']);
    expect(entities['user.target.name']!.values).to.deep.equal(['sam@example.com']);
    expect(entities['okta.target.name']!.values).to.deep.equal(['Payroll']);
  });

  it("never takes Okta's placeholders or the principal that names nobody for an entity", () => {
    const entities = entitiesOf([
      event({
        actor: { type: 'User', id: 'unknown', alternateId: 'unknown', displayName: 'unknown' },
        client: { ipAddress: 'null' },
        authenticationContext: { externalSessionId: 'unknown' },
      }),
      event({ actor: { type: 'User', id: null, alternateId: null, displayName: null }, client: { ipAddress: null } }),
    ]);
    expect(entities).to.deep.equal({});
  });

  it('keeps at most cap distinct values and counts the rest', () => {
    const events = Array.from({ length: 9 }, (_, i) => event({ client: { ipAddress: `198.51.100.${i % 7}` } }));
    expect(entitiesOf(events, 3)['source.ip']).to.deep.equal({ values: ['198.51.100.0', '198.51.100.1', '198.51.100.2'], omitted: 4 });
    const collector = new EntityCollector(2, 3);
    for (let i = 0; i < 50; i++) collector.add(event({ client: { ipAddress: `203.0.113.${i}` } }));
    expect(collector.result()['source.ip']).to.deep.equal({ values: ['203.0.113.0', '203.0.113.1'], omitted: 3 });
  });

  it('picks the user as the primary entity wherever there is one, the address otherwise', () => {
    expect(primaryEntity(entitiesOf([event({ actor: user('dana@example.com', '00u1'), client: { ipAddress: '198.51.100.7' } })]))).to.deep.equal({
      attribute: 'user.name',
      value: 'dana@example.com',
      others: 0,
    });
    expect(
      primaryEntity(entitiesOf([event({ actor: { type: 'IP address', id: '198.51.100.7' }, client: { ipAddress: '198.51.100.7' } })]))!.attribute,
    ).to.equal('source.ip');
  });

  it('resolves Okta country names to ISO codes and leaves unknown names out', () => {
    expect(['United States', 'United Kingdom', 'Russia', 'Germany', 'Japan'].map(countryIsoCode)).to.deep.equal(['US', 'GB', 'RU', 'DE', 'JP']);
    expect(countryIsoCode('Atlantis')).to.equal(undefined);
  });

  it('names the user in the message and writes entities as attributes of an alert grouped by session', () => {
    const entities = entitiesOf([
      event({ actor: user('dana@example.com', '00u1'), client: { ipAddress: '198.51.100.7' }, authenticationContext: { externalSessionId: 'idx1' } }),
      event({ actor: user('dana@example.com', '00u1'), client: { ipAddress: '203.0.113.9' }, authenticationContext: { externalSessionId: 'idx1' } }),
    ]);
    const alert = alertRecord({
      rule,
      group: { 'authenticationContext.externalSessionId': 'idx1' },
      count: 2,
      firstMs: 0,
      lastMs: 1000,
      uuids: ['a', 'b'],
      update: false,
      resource: oktaResource(),
      entities,
    });
    expect(alert.body).to.match(/^Okta Verify push mismatch for authenticationContext\.externalSessionId=idx1 \(user dana@example\.com\): 2 events/);
    expect(alert.attributes).to.include({
      'session.id': 'idx1',
      'user.name': 'dana@example.com',
      'user.id': '00u1',
      'oktel.alert.primary_entity.type': 'user.name',
      'oktel.alert.primary_entity.value': 'dana@example.com',
    });
    expect(alert.attributes['source.ip']).to.deep.equal(['198.51.100.7', '203.0.113.9']);
  });

  it('leaves an alert without entities as it was', () => {
    const alert = alertRecord({
      rule,
      group: { 'actor.alternateId': 'dana@example.com' },
      count: 1,
      firstMs: 0,
      lastMs: 0,
      uuids: ['a'],
      update: false,
      resource: oktaResource(),
    });
    expect(Object.keys(alert.attributes).some((k) => k.startsWith('oktel.alert.primary_entity'))).to.equal(false);
    expect(alert.body).to.match(/^Okta Verify push mismatch for actor\.alternateId=dana@example\.com: 1 event at/);
  });
});
