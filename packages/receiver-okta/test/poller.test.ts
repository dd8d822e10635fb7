import { expect } from 'chai';
import type { OktaSimulator } from '@oktel/okta-simulator';
import { waitUntil } from '@oktel/testkit';
import { events, runPoller, simulator, TOKEN } from './helpers.js';

describe('okta receiver: polling the System Log', () => {
  let sim: OktaSimulator;
  afterEach(async () => sim?.stop());

  it('backfills 50 000 events across many pages, every uuid delivered exactly once', async function () {
    this.timeout(120_000);
    sim = await simulator({ rateLimit: 10_000 });
    const backlog = events(50_000, Date.now() - 20 * 3_600_000);
    sim.append(backlog);
    const harness = runPoller(sim, { since: '24h' });
    await harness.waitFor(50_000, 100_000);
    await waitUntil(
      () => harness.poller.lag().caughtUp,
      10_000,
      () => 'caught up',
    );
    await harness.stop();
    const uuids = harness.delivered.map((e) => e.uuid);
    expect(uuids).to.have.length(50_000);
    expect(new Set(uuids).size).to.equal(50_000);
    expect(new Set(uuids)).to.deep.equal(new Set(backlog.map((e) => e.uuid)));
    const first = sim.logRequests()[0]!;
    expect(first.query).to.include({ sortOrder: 'ASCENDING', limit: '1000' });
    expect(first.query.since).to.match(/^\d{4}-\d\d-\d\dT/);
    expect(
      sim
        .logRequests()
        .slice(1)
        .every((r) => r.query.after && !r.query.since),
    ).to.equal(true);
  });

  it('treats an empty page as caught up and polls the same cursor again after poll_interval', async () => {
    sim = await simulator();
    sim.append(events(5));
    const harness = runPoller(sim, { poll_interval: '150ms' });
    await harness.waitFor(5);
    await waitUntil(
      () => sim.logRequests().length >= 4,
      5_000,
      () => 'three polls of the empty cursor',
      10,
    );
    const cursors = sim
      .logRequests()
      .slice(1, 4)
      .map((r) => r.query.after);
    expect(new Set(cursors).size).to.equal(1);
    // Before each of those polls the poller waited poll_interval: never an immediate refetch.
    expect(harness.waits.filter((ms) => ms > 0).slice(0, 3)).to.deep.equal([150, 150, 150]);
    sim.append(events(3, Date.now()));
    await harness.waitFor(8);
    await harness.stop();
  });

  it('does not skip events that arrive late, after newer ones were delivered', async () => {
    sim = await simulator();
    const all = events(40);
    const late = all.filter((_, i) => i % 10 === 3);
    sim.append(all.filter((e) => !late.includes(e)));
    sim.append(late, { delayMs: 400 });
    const harness = runPoller(sim);
    await harness.waitFor(40, 10_000);
    await harness.stop();
    expect(new Set(harness.delivered.map((e) => e.uuid))).to.deep.equal(new Set(all.map((e) => e.uuid)));
  });

  it('drops an event Okta returns on two pages by its uuid', async () => {
    sim = await simulator();
    const batch = events(6);
    sim.append(batch);
    const harness = runPoller(sim);
    await harness.waitFor(6);
    sim.append([batch[2]!, ...events(2, Date.now())]);
    await harness.waitFor(8);
    await waitUntil(
      () => harness.poller.lag().caughtUp && harness.checkpoints.current!.recentIds.includes(harness.delivered[7]!.uuid),
      5_000,
      () => 'the checkpoint of the second page',
    );
    await harness.stop();
    expect(harness.delivered.map((e) => e.uuid).filter((u) => u === batch[2]!.uuid)).to.have.length(1);
    expect(harness.checkpoints.current!.recentIds).to.include(batch[2]!.uuid);
  });

  it('retries a malformed page, a 500, an HTML error, a cut-off body, a reset connection and a slow response without advancing the cursor', async () => {
    sim = await simulator();
    sim.append(events(30));
    sim.injectFault({ kind: 'invalid_json' });
    sim.injectFault({ kind: 'status', status: 500 });
    sim.injectFault({ kind: 'html' });
    sim.injectFault({ kind: 'truncated' });
    sim.injectFault({ kind: 'reset' });
    sim.injectFault({ kind: 'delay', ms: 600 });
    const harness = runPoller(sim, { timeout: '300ms', page_size: 10 });
    await harness.waitFor(30, 15_000);
    await harness.stop();
    expect(new Set(harness.delivered.map((e) => e.uuid)).size).to.equal(30);
    expect(harness.delivered).to.have.length(30);
    const failures = sim.logRequests().slice(0, 7);
    // The first request is repeated verbatim until a page is delivered: the cursor did not move.
    expect(new Set(failures.map((r) => JSON.stringify(r.query))).size).to.equal(1);
    expect(harness.logs.text).to.contain('the page is not valid JSON');
    expect(harness.logs.text).to.contain('E0000009');
    expect(harness.logs.text).to.contain('502 <html>');
    expect(harness.logs.text).to.contain('no response within 300ms');
  });

  it('backs off exponentially, never in a tight loop, while Okta keeps failing', async () => {
    sim = await simulator();
    sim.injectFault({ kind: 'status', status: 503 }, 6);
    sim.append(events(1));
    const harness = runPoller(sim, { retry: { initial_interval: '40ms', max_interval: '1s', auth_failure_interval: '1s' } });
    await harness.waitFor(1, 10_000);
    await harness.stop();
    // The waits asked for after the six 503s: each within [step/2, step], the step doubling from 40 ms to the 1 s cap.
    const backoffs = harness.waits.filter((ms) => ms > 0).slice(0, 6);
    const steps = [40, 80, 160, 320, 640, 1000];
    expect(backoffs).to.have.length(6);
    backoffs.forEach((ms, i) => {
      expect(ms, `wait ${i}`).to.be.within(steps[i]! / 2, steps[i]!);
    });
  });

  it('retries the same page when the pipeline refuses it, then checkpoints once accepted', async () => {
    sim = await simulator();
    sim.append(events(10));
    const harness = runPoller(sim);
    harness.deliverHook.fail = 2;
    await harness.waitFor(10);
    await harness.stop();
    expect(harness.delivered).to.have.length(10);
    expect(sim.logRequests()[0]!.query.since).to.be.a('string');
    expect(harness.logs.text).to.contain('The pipeline refused 10 events; retrying the same page');
    expect(harness.checkpoints.current!.next).to.contain('after=');
  });

  it('resumes from the checkpoint instead of since', async () => {
    sim = await simulator();
    sim.append(events(12));
    const first = runPoller(sim, { page_size: 5 });
    await first.waitFor(12);
    await first.stop();
    sim.append(events(4, Date.now()));
    const second = runPoller(sim, { page_size: 5 }, first.checkpoints);
    await second.waitFor(4);
    await waitUntil(
      () => second.poller.lag().caughtUp,
      5_000,
      () => 'caught up',
    );
    await second.stop();
    expect(second.delivered).to.have.length(4);
    expect(second.logs.text).to.contain('Resuming from the checkpoint.');
  });

  it('passes the filter through to Okta', async () => {
    sim = await simulator();
    sim.append(events(60));
    const harness = runPoller(sim, { filter: 'eventType eq "user.session.start" and outcome.result eq "SUCCESS"' });
    await waitUntil(
      () => harness.poller.lag().caughtUp,
      5_000,
      () => 'caught up',
    );
    await harness.stop();
    expect(harness.delivered.length).to.be.greaterThan(0);
    expect(harness.delivered.every((e) => e.eventType === 'user.session.start' && e.outcome?.result === 'SUCCESS')).to.equal(true);
  });

  it('says clearly when Okta rejects a filter, without crashing', async () => {
    sim = await simulator();
    const harness = runPoller(sim, { filter: 'eventType gt' });
    await harness.waitForLog('Okta rejected the request');
    await harness.stop();
    expect(harness.logs.text).to.contain('Okta rejected the request (400 E0000053 Invalid search criteria.');
    expect(harness.health.at(-1)).to.deep.include({ healthy: false });
  });

  describe('authentication failures', () => {
    it('explains a 401 for an invalid token, at a slow cadence, and never prints the token', async () => {
      sim = await simulator({ apiTokens: ['some-other-token-value'] });
      const harness = runPoller(sim, { retry: { initial_interval: '10ms', max_interval: '50ms', auth_failure_interval: '200ms' } });
      await waitUntil(
        () => (harness.logs.text.match(/Okta rejected the API token/g) ?? []).length >= 3,
        5_000,
        () => 'three refusals',
      );
      await harness.stop();
      expect(harness.logs.text).to.contain('Okta rejected the API token (401 E0000011 Invalid token provided)');
      expect(harness.logs.text).to.contain('Create a new token and set auth.api_token.');
      expect(harness.logs.text).to.not.contain(TOKEN);
      // Every refusal was followed by auth_failure_interval, never the short retry backoff.
      const waits = harness.waits.filter((ms) => ms > 0);
      expect(waits.length).to.be.at.least(3);
      expect(waits).to.deep.equal(waits.map(() => 200));
      expect(sim.logRequests().filter((r) => r.answered).length).to.be.at.most(waits.length + 1);
      expect(harness.health.at(-1)).to.deep.include({ healthy: false });
    });

    it('explains a 403 for a token without System Log access', async () => {
      sim = await simulator({ tokensWithoutLogsAccess: [TOKEN] });
      const harness = runPoller(sim);
      await harness.waitForLog('The API token may not read the System Log');
      await harness.stop();
      expect(harness.logs.text).to.contain('The API token may not read the System Log (403 E0000006');
      expect(harness.logs.text).to.not.contain(TOKEN);
    });
  });
});
