import { expect } from 'chai';
import { generateActivity, OktaSimulator, parseFilter, SCENARIOS } from '@oktel/okta-simulator';

const TOKEN = 'sim-test-token-1234567890';

describe('okta simulator', () => {
  let sim: OktaSimulator;
  beforeEach(async () => {
    sim = new OktaSimulator({ apiTokens: [TOKEN] });
    await sim.start();
  });
  afterEach(() => sim.stop());

  const get = (query: string, token = TOKEN) => fetch(`${sim.origin}/api/v1/logs?${query}`, { headers: { authorization: `SSWS ${token}` } });

  it('serves a polling page with self and next Link headers and the rate-limit headers', async () => {
    const { events } = generateActivity({ start: Date.now() - 60_000, signIns: 3, meanGapMs: 1000 });
    sim.append(events);
    const response = await get(`since=${new Date(Date.now() - 3_600_000).toISOString()}&limit=5`);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.have.length(5);
    expect(response.headers.get('link')).to.match(/<[^>]+>; rel="self", <[^>]+after=\d+_\d+[^>]*>; rel="next"/);
    expect(Number(response.headers.get('x-rate-limit-limit'))).to.equal(120);
    expect(Number(response.headers.get('x-rate-limit-remaining'))).to.equal(119);
    expect(Number(response.headers.get('x-rate-limit-reset'))).to.be.greaterThan(Date.now() / 1000);
  });

  it('answers an empty polling page with a next link to the same cursor', async () => {
    const first = await get(`since=${new Date().toISOString()}`);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link')!)![1]!;
    const again = await fetch(next, { headers: { authorization: `SSWS ${TOKEN}` } });
    expect(await again.json()).to.deep.equal([]);
    expect(/<([^>]+)>; rel="next"/.exec(again.headers.get('link')!)![1]).to.equal(next);
  });

  it("uses Okta's error bodies: 401 E0000011, 400 E0000001 and E0000053, 429 E0000047", async () => {
    expect(await (await get('', 'wrong')).json()).to.deep.include({ errorCode: 'E0000011', errorSummary: 'Invalid token provided' });
    expect(((await (await get('limit=5000')).json()) as { errorCode: string }).errorCode).to.equal('E0000001');
    expect(((await (await get('since=2026-01-01T00:00:00Z&after=1_1')).json()) as { errorCode: string }).errorCode).to.equal('E0000001');
    expect(((await (await get('filter=eventType%20gt')).json()) as { errorCode: string }).errorCode).to.equal('E0000053');
    sim.rateLimiter.consumeExternal(120);
    const limited = await get('');
    expect(limited.status).to.equal(429);
    expect(((await limited.json()) as { errorCode: string }).errorCode).to.equal('E0000047');
    expect(limited.headers.get('x-rate-limit-remaining')).to.equal('0');
  });

  it('serves bounded requests in published order with a finite set of pages', async () => {
    const start = Date.now() - 600_000;
    const { events } = generateActivity({ start, signIns: 4, meanGapMs: 1000 });
    sim.append(events);
    const response = await get(`since=${new Date(start).toISOString()}&until=${new Date().toISOString()}&limit=1000`);
    const page = (await response.json()) as { published: string }[];
    expect(page.map((e) => e.published)).to.deep.equal([...page.map((e) => e.published)].sort());
    expect(response.headers.get('link')).to.not.contain('rel="next"');
  });

  it('parses the SCIM filter subset Okta supports', () => {
    const event = { eventType: 'user.session.start', outcome: { result: 'FAILURE' }, actor: { alternateId: 'dana@example.com' } };
    expect(parseFilter('eventType eq "user.session.start"')(event)).to.equal(true);
    expect(parseFilter('eventType sw "user." and outcome.result eq "SUCCESS"')(event)).to.equal(false);
    expect(parseFilter('(outcome.result eq "SUCCESS" or outcome.result eq "FAILURE") and actor.alternateId ew "@example.com"')(event)).to.equal(true);
    expect(parseFilter('debugContext pr')(event)).to.equal(false);
    expect(() => parseFilter('eventType gt')).to.throw();
  });

  it('generates every attack scenario, with the uuids of the injected events', () => {
    const activity = generateActivity({ start: Date.parse('2026-11-20T08:00:00Z'), signIns: 20, scenarios: SCENARIOS });
    expect(activity.injected.map((i) => i.scenario)).to.deep.equal([...SCENARIOS]);
    const types = new Set(activity.events.map((e) => e.eventType));
    for (const t of ['security.threat.detected', 'user.identity_verification', 'app.generic.unauth_app_access_attempt', 'system.push.send_factor_verify_push'])
      expect(types).to.include(t);
    expect(activity.events.map((e) => e.published)).to.deep.equal([...activity.events.map((e) => e.published)].sort());
    expect(new Set(activity.events.map((e) => e.uuid)).size).to.equal(activity.events.length);
  });
});
