import { expect } from 'chai';
import { RecordingServer, type OktaSimulator } from '@oktel/okta-simulator';
import { CredentialPinError, MAX_SERVER_WAIT_MS, oktaReceiverConfigSchema, pollerSettings } from '@oktel/receiver-okta';
import { tempDir, waitUntil } from '@oktel/testkit';
import { createAuthenticatorForTest } from './auth-for-test.js';
import { events, rsaKeyFiles, runPoller, simulator, TOKEN } from './helpers.js';

/** An event that must never come out of the receiver: only a hostile link could deliver it. */
const INJECTED = { ...events(1)[0]!, uuid: 'injected-by-a-hostile-link' };

describe('okta receiver against a hostile or broken org', () => {
  let sim: OktaSimulator;
  let trap: RecordingServer;
  beforeEach(async () => {
    trap = new RecordingServer([INJECTED]);
    await trap.start();
  });
  afterEach(async () => {
    await sim?.stop();
    await trap.stop();
  });

  describe('every request is pinned to the org: a next link that leaves it is refused, and polling resumes from the last good cursor', () => {
    const hostile: { name: string; link: (realNext: string) => string; secret?: string }[] = [
      { name: 'another host (an attacker on 127.0.0.1)', link: (next) => `${trap.origin}${new URL(next).pathname}${new URL(next).search}` },
      { name: 'the same server under another host name', link: (next) => next.replace('127.0.0.1', 'localhost') },
      { name: 'a data: URL carrying events', link: () => `data:application/json,${encodeURIComponent(JSON.stringify([INJECTED]))}` },
      { name: 'a file: URL', link: () => 'file:///etc/passwd' },
      { name: 'an ftp: URL', link: (next) => next.replace('http:', 'ftp:') },
      { name: 'a scheme switch to https', link: (next) => next.replace('http:', 'https:') },
      { name: 'user:pass@ in the link', link: (next) => next.replace('http://', 'http://admin:hunter2-secret@'), secret: 'hunter2-secret' },
      { name: 'another path on the org', link: (next) => next.replace('/api/v1/logs', '/api/v1/users') },
      { name: 'a relative link to another path', link: () => '/api/v1/apps?after=1_1' },
    ];

    for (const { name, link, secret } of hostile) {
      it(`refuses ${name}`, async () => {
        sim = await simulator();
        const all = events(12);
        sim.append(all);
        sim.injectFault({ kind: 'next_link', href: link });
        const harness = runPoller(sim, { page_size: 5 });
        await harness.waitFor(12, 5_000);
        await harness.stop();

        expect(trap.requests, 'the other host was contacted').to.have.length(0);
        expect(
          sim.requests.filter((r) => r.host?.startsWith('localhost')),
          'the org was contacted under another name',
        ).to.have.length(0);
        expect(harness.delivered.map((e) => e.uuid)).to.not.include(INJECTED.uuid);
        expect(new Set(harness.delivered.map((e) => e.uuid))).to.deep.equal(new Set(all.map((e) => e.uuid)));
        expect(harness.delivered).to.have.length(12);
        // The hostile page was not delivered; the same cursor was asked again after a backoff.
        const [first, second] = sim.logRequests();
        expect(second!.query).to.deep.equal(first!.query);
        expect(harness.logs.text).to.contain('refused to follow the next link');
        expect(harness.statuses.some((s) => s.status === 'recoverable_error' && s.reason?.includes('refused to follow the next link'))).to.equal(true);
        expect(harness.statuses.at(-1)).to.deep.equal({ status: 'ok' });
        if (secret) expect(harness.logs.text).to.not.contain(secret);
        expect(harness.logs.text).to.not.contain(TOKEN);
      });
    }

    it('follows a relative link that stays on the org and the System Log path', async () => {
      sim = await simulator();
      sim.append(events(12));
      sim.injectFault({ kind: 'next_link', href: (next) => `${new URL(next).pathname}${new URL(next).search}` }, 2);
      const harness = runPoller(sim, { page_size: 5 });
      await harness.waitFor(12, 5_000);
      await harness.stop();
      expect(harness.logs.text).to.not.contain('refused');
      expect(sim.logRequests()[1]!.query.after).to.be.a('string');
      expect(harness.delivered).to.have.length(12);
    });

    it('does not follow a redirect, so the request and its token never reach another host', async () => {
      sim = await simulator();
      sim.append(events(7));
      sim.injectFault({ kind: 'redirect', location: `${trap.origin}/api/v1/logs` });
      const harness = runPoller(sim, { page_size: 5 });
      await harness.waitFor(7, 5_000);
      await harness.stop();
      expect(trap.requests).to.have.length(0);
      expect(harness.logs.text).to.contain(`Okta answered 302 with a redirect to ${trap.origin}/api/v1/logs; redirects are never followed`);
    });

    it('refuses a checkpoint whose cursor points elsewhere, and starts from since', async () => {
      sim = await simulator();
      sim.append(events(3));
      const harness = runPoller(
        sim,
        {},
        { load: async () => ({ next: `${trap.origin}/api/v1/logs?after=1_1`, filter: '', recentIds: [] }), save: async () => undefined },
      );
      await harness.waitFor(3, 5_000);
      await harness.stop();
      expect(trap.requests).to.have.length(0);
      expect(sim.logRequests()[0]!.query.since).to.be.a('string');
      expect(harness.logs.text).to.contain("The checkpoint's cursor is not usable (refused to follow the next link");
    });
  });

  describe('OAuth and DPoP credentials go only to the org', () => {
    let dir: ReturnType<typeof tempDir>;
    beforeEach(() => (dir = tempDir()));
    afterEach(() => dir.cleanup());

    async function oauthSim() {
      const keys = rsaKeyFiles(dir.path);
      sim = await simulator({ clients: [{ clientId: '0oaservice', publicJwk: keys.publicJwk, scopes: ['okta.logs.read'], requireDpop: true }] });
      return { auth: { oauth: { client_id: '0oaservice', private_key_file: keys.privateKeyFile, key_id: 'test-key' } }, page_size: 5 };
    }

    it('sends no access token and no DPoP proof to a next link on another host', async () => {
      const config = await oauthSim();
      sim.append(events(12));
      sim.injectFault({ kind: 'next_link', href: () => `${trap.origin}/api/v1/logs?after=1_1` });
      const harness = runPoller(sim, config);
      await harness.waitFor(12, 5_000);
      await harness.stop();
      expect(trap.requests).to.have.length(0);
    });

    it('sends no DPoP proof after a redirect to another host', async () => {
      const config = await oauthSim();
      sim.append(events(7));
      sim.injectFault({ kind: 'redirect', location: `${trap.origin}/api/v1/logs`, status: 307 });
      const harness = runPoller(sim, config);
      await harness.waitFor(7, 5_000);
      await harness.stop();
      expect(trap.requests).to.have.length(0);
    });

    it('refuses to compute credentials for any URL outside the org', async () => {
      sim = await simulator();
      const config = oktaReceiverConfigSchema.parse({ domain: sim.origin, auth: { api_token: TOKEN } });
      const auth = createAuthenticatorForTest(config, pollerSettings(config).orgUrl);
      const signal = new AbortController().signal;
      expect(await auth.headers('GET', new URL(`${sim.origin}/api/v1/logs`), signal)).to.deep.equal({ authorization: `SSWS ${TOKEN}` });
      for (const url of [`${trap.origin}/api/v1/logs`, sim.origin.replace('127.0.0.1', 'localhost'), sim.origin.replace('http://', 'http://u:p@')]) {
        const error = await auth.headers('GET', new URL(url), signal).then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(error, url).to.be.instanceOf(CredentialPinError);
      }
    });
  });

  describe('waits a server asks for are clamped, never turned into a busy loop', () => {
    const monthAway = () => Math.floor(Date.now() / 1000) + 30 * 86_400;
    const cases: { name: string; fault: Parameters<OktaSimulator['injectFault']>[0] }[] = [
      { name: 'a 429 whose X-Rate-Limit-Reset is a month away', fault: { kind: 'rate_limited', resetEpochSeconds: monthAway() } },
      { name: 'a 429 with Retry-After: 99999999', fault: { kind: 'rate_limited', retryAfter: '99999999' } },
      { name: 'a 503 with Retry-After: 99999999', fault: { kind: 'status', status: 503, headers: { 'retry-after': '99999999' } } },
    ];
    for (const { name, fault } of cases) {
      it(`waits the documented maximum after ${name}, with a warning`, async () => {
        sim = await simulator();
        sim.append(events(3));
        sim.injectFault(fault);
        const harness = runPoller(sim);
        await waitUntil(
          () => harness.waits.includes(MAX_SERVER_WAIT_MS),
          5_000,
          () => `a wait of ${MAX_SERVER_WAIT_MS}ms (waits: ${harness.waits.slice(0, 20).join(', ')})`,
          10,
        );
        // The poller is now in that wait: nothing else was asked of the server.
        expect(sim.logRequests()).to.have.length(1);
        expect(harness.waits.every((ms) => ms <= MAX_SERVER_WAIT_MS)).to.equal(true);
        await harness.stop();
        expect(harness.logs.text).to.match(/asked to wait .*, more than the 5m maximum; waiting 5m and asking again/);
      });
    }

    it('refuses a poll_interval or retry interval longer than an hour at config load', () => {
      for (const [config, path] of [
        [{ poll_interval: '30d' }, 'poll_interval'],
        [{ retry: { max_interval: '2h' } }, 'retry.max_interval'],
        [{ retry: { auth_failure_interval: '9999h' } }, 'retry.auth_failure_interval'],
        [{ timeout: '25d' }, 'timeout'],
      ] as const) {
        const result = oktaReceiverConfigSchema.safeParse({ domain: 'acme.okta.com', auth: { api_token: 'x' }, ...config });
        expect(result.success, path).to.equal(false);
        const issue = result.error!.issues.find((i) => i.path.join('.') === path);
        expect(issue?.message, path).to.match(/is longer than the maximum 1h/);
      }
      expect(oktaReceiverConfigSchema.safeParse({ domain: 'acme.okta.com', auth: { api_token: 'x' }, poll_interval: 0 }).success).to.equal(false);
    });
  });

  describe('pages that make no progress back off like errors', () => {
    it('backs off on a full page of duplicates with an unchanged cursor, warning once', async () => {
      sim = await simulator();
      const batch = events(5);
      sim.append(batch);
      const harness = runPoller(sim, { page_size: 5 });
      await harness.waitFor(5, 5_000);
      sim.injectFault({ kind: 'stuck_page', body: JSON.stringify(batch) }, Infinity);
      const stuckFrom = sim.logRequests().length;
      // Once the first stuck page was asked for, every later wait is the poller's reaction to one.
      await waitUntil(
        () => sim.logRequests().length > stuckFrom,
        5_000,
        () => 'the first stuck page',
        10,
      );
      const waitsFrom = harness.waits.length;
      await waitUntil(
        () => sim.logRequests().length >= stuckFrom + 6,
        10_000,
        () => '6 stuck pages',
        10,
      );
      sim.faults.clear();
      sim.append(events(2, Date.now()));
      await harness.waitFor(7, 5_000);
      await harness.stop();
      expect(harness.delivered).to.have.length(7);
      // Each stuck page was followed by a backoff (20 ms doubling to 200 ms, equal jitter), never an immediate refetch.
      const backoffs = harness.waits
        .slice(waitsFrom)
        .filter((ms) => ms > 0)
        .slice(0, 5);
      expect(backoffs).to.have.length(5);
      expect(backoffs.every((ms) => ms >= 10)).to.equal(true);
      expect(backoffs[4]).to.be.at.least(100);
      expect(harness.logs.text.match(/none new, with an unchanged cursor/g)).to.have.length(1);
      expect(harness.statuses.some((s) => s.status === 'recoverable_error' && s.reason?.includes('unchanged cursor'))).to.equal(true);
      expect(harness.statuses.at(-1)).to.deep.equal({ status: 'ok' });
    });

    it('backs off on a full page of bad events with an unchanged cursor, and logs the bad events once', async () => {
      sim = await simulator();
      const bad = Array.from({ length: 5 }, (_, i) => ({ uuid: `bad-${i}`, published: 'not a time', eventType: 'x' }));
      sim.injectFault({ kind: 'stuck_page', body: JSON.stringify(bad) }, Infinity);
      const harness = runPoller(sim, { page_size: 5 });
      await waitUntil(
        () => sim.logRequests().length >= 6,
        10_000,
        () => '6 stuck pages',
        10,
      );
      await harness.stop();
      expect(harness.delivered).to.have.length(0);
      expect(harness.poller.counters().rejected).to.be.at.least(25);
      expect(harness.logs.text.match(/Skipped an event Okta returned that is not a LogEvent/g)).to.have.length(1);
      const backoffs = harness.waits.filter((ms) => ms > 0).slice(0, 5);
      expect(backoffs).to.have.length(5);
      expect(backoffs[4]).to.be.at.least(100);
    });
  });
});
