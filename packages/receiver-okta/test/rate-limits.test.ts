import { expect } from 'chai';
import type { OktaSimulator } from '@oktel/okta-simulator';
import { RatePacer } from '@oktel/receiver-okta';
import { events, runPoller, simulator } from './helpers.js';

describe('okta receiver: rate limits', () => {
  let sim: OktaSimulator;
  afterEach(async () => sim?.stop());

  it('waits for the reset after a 429 storm: no request reaches Okta before the reset time', async function () {
    this.timeout(30_000);
    sim = await simulator({ rateLimit: 4, rateLimitWindowMs: 1500 });
    sim.append(events(3000));
    // Another integration has used the whole window.
    sim.rateLimiter.consumeExternal(4);
    const harness = runPoller(sim, { page_size: 100, rate_limit: { max_share: 1 } });
    await harness.waitFor(1000, 25_000);
    await harness.stop();
    const requests = sim.logRequests();
    const limited = requests.filter((r) => r.status === 429);
    expect(limited.length).to.be.greaterThan(0);
    for (const r of limited) {
      // The 429 announced a reset; the next request must not come before it.
      const resetMs = sim.rateLimiter.resetAtMsFor(r.at);
      const next = requests.find((q) => q.at > r.at);
      if (next) expect(next.at, 'a request was sent before the announced reset').to.be.at.least(resetMs);
    }
    expect(harness.logs.text).to.contain("Okta's rate limit was reached (429)");
  });

  it('with max_share 0.5 never takes the remaining budget below half', async function () {
    this.timeout(30_000);
    sim = await simulator({ rateLimit: 20, rateLimitWindowMs: 1000 });
    sim.append(events(6000));
    const harness = runPoller(sim, { page_size: 100, rate_limit: { max_share: 0.5 } });
    await harness.waitFor(3000, 25_000);
    await harness.stop();
    const answered = sim.logRequests().filter((r) => r.remaining !== undefined);
    expect(answered.length).to.be.greaterThan(25);
    expect(Math.min(...answered.map((r) => r.remaining!))).to.be.at.least(10);
    expect(sim.logRequests().filter((r) => r.status === 429)).to.have.length(0);
  });

  it('keeps polling when the rate-limit headers are missing', async () => {
    sim = await simulator({ omitRateLimitHeaders: true });
    sim.append(events(250));
    const harness = runPoller(sim, { page_size: 100 });
    await harness.waitFor(250);
    await harness.stop();
    expect(harness.delivered).to.have.length(250);
  });

  describe('rate pacer', () => {
    const headers = (limit: number, remaining: number, reset: number) => ({ limit, remaining, resetEpochSeconds: reset });

    it("measures the wait against Okta's Date header, not the local clock", () => {
      // The local clock is 10 minutes ahead of Okta's; the reset is 20 s after Okta's now.
      const local = Date.parse('2026-11-23T10:10:00Z');
      const pacer = new RatePacer(
        0.5,
        () => local,
        () => 0,
      );
      const oktaNow = Date.parse('2026-11-23T10:00:00Z');
      const wait = pacer.delayAfterRateLimited(headers(120, 0, oktaNow / 1000 + 20), new Date(oktaNow).toUTCString(), 5000);
      expect(wait).to.equal(20_000);
    });

    it("waits only when the next request would go below the others' share", () => {
      const now = Date.parse('2026-11-23T10:00:00Z');
      const pacer = new RatePacer(
        0.5,
        () => now,
        () => 0,
      );
      pacer.observe(headers(120, 61, now / 1000 + 30), new Date(now).toUTCString());
      expect(pacer.delayBeforeNextRequest()).to.equal(0);
      pacer.observe(headers(120, 60, now / 1000 + 30), new Date(now).toUTCString());
      expect(pacer.delayBeforeNextRequest()).to.equal(30_000);
    });

    it('falls back to backoff on a 429 without a reset header', () => {
      const pacer = new RatePacer(0.5);
      expect(pacer.delayAfterRateLimited({ limit: undefined, remaining: undefined, resetEpochSeconds: undefined }, null, 1234)).to.equal(1234);
    });
  });
});
