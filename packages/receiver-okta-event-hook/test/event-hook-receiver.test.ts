import { expect } from 'chai';
import { generateActivity, EventHookDelivery } from '@oktel/okta-simulator';
import { dedupGroup, EventDedup, logEventOf, type OktaLogEvent } from '@oktel/okta-log-event';
import { RetryableError, type LogBatch, type LogsConsumer } from '@oktel/core';
import { LogsSink, testHost, testSettings } from '@oktel/testkit';
import { oktaEventHookConfigSchema, OktaEventHookReceiver } from '@oktel/receiver-okta-event-hook';

const SECRET = 'Basic b2t0YTpob29rLXNlY3JldC12YWx1ZQ==';
const ELIGIBLE = ['user.session.start', 'user.authentication.sso', 'user.authentication.auth_via_mfa', 'user.account.lock'];

function sampleEvents(n: number, seed = 7): OktaLogEvent[] {
  const { events } = generateActivity({ start: Date.parse('2026-11-20T09:00:00Z'), signIns: n, seed });
  return events.filter((e) => ELIGIBLE.includes(e.eventType));
}

const uuidsOf = (sink: LogsSink) => sink.records.map((r) => logEventOf(r)!.uuid);

describe('okta_event_hook receiver', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  async function started(next: LogsConsumer, extra: Record<string, unknown> = {}) {
    const settings = testSettings('receiver', 'okta_event_hook');
    const config = oktaEventHookConfigSchema.parse({ endpoint: '127.0.0.1:0', authorization: { value: SECRET }, domain: 'acme.okta.com', ...extra });
    const receiver = new OktaEventHookReceiver(settings, config, next);
    await receiver.start(testHost());
    stops.push(() => receiver.shutdown());
    const okta = new EventHookDelivery({ url: receiver.url, eventTypes: ELIGIBLE, auth: { header: 'Authorization', value: SECRET }, retryDelayMs: 50 });
    return { receiver, settings, okta };
  }

  it('passes Okta\'s one-time verification by echoing X-Okta-Verification-Challenge as {"verification": ...}', async () => {
    const { receiver, okta } = await started(new LogsSink());
    expect(await okta.verify()).to.equal(true);
    const res = await fetch(receiver.url, { headers: { 'X-Okta-Verification-Challenge': 'abc123' } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/json');
    expect(await res.json()).to.deep.equal({ verification: 'abc123' });
    expect((await fetch(receiver.url)).status).to.equal(400);
  });

  it('delivers every subscribed event of a hook call into the pipeline as an Okta record of its org', async () => {
    const sink = new LogsSink();
    const { okta } = await started(sink);
    await okta.verify();
    const events = sampleEvents(40);
    expect(await okta.deliver(events)).to.equal(events.length);
    expect(okta.calls.every((c) => c.status === 200 && c.attempt === 1)).to.equal(true);
    expect(uuidsOf(sink)).to.deep.equal(events.map((e) => e.uuid));
    const record = sink.records[0]!;
    expect(record.resource.attributes['okta.domain']).to.equal('acme.okta.com');
    expect(record.eventName).to.equal(events[0]!.eventType);
  });

  it('answers 401 to a call without the configured secret; Okta does not retry a 4xx and nothing reaches the pipeline', async () => {
    const sink = new LogsSink();
    const { receiver, settings } = await started(sink);
    const impostor = new EventHookDelivery({
      url: receiver.url,
      eventTypes: ELIGIBLE,
      auth: { header: 'Authorization', value: 'Basic wrong' },
      retryDelayMs: 10,
    });
    await impostor.verify();
    expect(await impostor.deliver(sampleEvents(5))).to.equal(0);
    expect(impostor.calls.map((c) => [c.attempt, c.status])).to.deep.equal([[1, 401]]);
    expect(sink.count).to.equal(0);
    expect(settings.logs.lines.join('\n')).not.to.contain(SECRET);
  });

  it('lets each event through once when Okta delivers it again', async () => {
    const sink = new LogsSink();
    const { okta, settings } = await started(sink);
    await okta.verify();
    const events = sampleEvents(20);
    await okta.deliver(events);
    await okta.deliver(events.slice(0, 5));
    expect(uuidsOf(sink)).to.deep.equal(events.map((e) => e.uuid));
    expect(settings.telemetry.get('duplicate_log_records')).to.equal(5);
  });

  it("answers 503 when the pipeline is slower than ack_timeout, and Okta's one retry does not duplicate the events", async () => {
    const sink = new LogsSink();
    sink.delayMs = 400;
    const { receiver } = await started(sink, { ack_timeout: '150ms' });
    const okta = new EventHookDelivery({ url: receiver.url, eventTypes: ELIGIBLE, auth: { header: 'Authorization', value: SECRET }, retryDelayMs: 500 });
    await okta.verify();
    const events = sampleEvents(10);
    expect(await okta.deliver(events)).to.equal(events.length);
    expect(okta.calls.map((c) => [c.attempt, c.status])).to.deep.equal([
      [1, 503],
      [2, 200],
    ]);
    expect(uuidsOf(sink)).to.deep.equal(events.map((e) => e.uuid));
  });

  it('answers 503 when the pipeline refuses for now, releasing the events so that the retry delivers them', async () => {
    let refusals = 1;
    const sink = new LogsSink();
    const flaky: LogsConsumer = {
      consume: async (batch: LogBatch) => {
        if (refusals-- > 0) throw new RetryableError('queue full');
        await sink.consume(batch);
      },
    };
    const { okta } = await started(flaky);
    await okta.verify();
    const events = sampleEvents(10);
    expect(await okta.deliver(events)).to.equal(events.length);
    expect(okta.calls.map((c) => c.status)).to.deep.equal([503, 200]);
    expect(uuidsOf(sink)).to.deep.equal(events.map((e) => e.uuid));
  });

  it('skips and counts a malformed event, refuses a non-hook body with 400 and an oversized one with 413', async () => {
    const sink = new LogsSink();
    const { receiver, settings } = await started(sink, { max_request_body_size: '64KiB' });
    const [good] = sampleEvents(3);
    const post = (body: string) => fetch(receiver.url, { method: 'POST', body, headers: { authorization: SECRET, 'content-type': 'application/json' } });
    const envelope = (events: unknown[]) => JSON.stringify({ eventType: 'com.okta.event_hook', eventId: 'e1', data: { events } });
    expect((await post(envelope([good, { uuid: 'x' }]))).status).to.equal(200);
    expect(uuidsOf(sink)).to.deep.equal([good!.uuid]);
    expect(settings.telemetry.get('failed_log_records')).to.equal(1);
    expect((await post('{"hello": "world"}')).status).to.equal(400);
    expect((await post(envelope([{ ...good, uuid: 'big', displayMessage: 'x'.repeat(100_000) }]))).status).to.equal(413);
    expect(sink.count).to.equal(1);
  });

  it('shares one de-duplication group with the polling receiver: an event polled first is not delivered again by the hook, and the other way round', async () => {
    const sink = new LogsSink();
    const { okta } = await started(sink, { dedup_group: 'acme-shared-test' });
    await okta.verify();
    const events = sampleEvents(30);
    const group = dedupGroup('acme-shared-test', 100_000);
    // The polling receiver's side of the wiring: its page goes through the same group.
    const polled = events.slice(0, 10);
    await group.deliverOnce(polled, (fresh) => sink.consume(fresh.map((e) => ({ body: e }) as never)));
    await okta.deliver(events);
    const pollAgain = await group.deliverOnce(events.slice(20), (fresh) => sink.consume(fresh.map((e) => ({ body: e }) as never)));
    expect(pollAgain).to.deep.equal({ delivered: 0, duplicates: events.length - 20 });
    const all = sink.records.map((r) => (r.body as unknown as OktaLogEvent).uuid);
    expect(all).to.have.length(events.length);
    expect(new Set(all).size).to.equal(events.length);
  });

  it('refuses to subscribe a simulated hook to event types Okta does not deliver by hook', () => {
    expect(() => new EventHookDelivery({ url: 'http://127.0.0.1:1/', eventTypes: ['user.session.start', 'policy.evaluate_sign_on'] })).to.throw(
      /policy\.evaluate_sign_on/,
    );
  });
});

describe('event de-duplication shared between receivers', () => {
  const ev = (uuid: string) => ({ uuid });

  it('makes a copy wait for the delivery in flight instead of dropping it, and fails it when that delivery fails', async () => {
    const dedup = new EventDedup(1000);
    let fail!: (err: Error) => void;
    const first = dedup.deliverOnce([ev('a'), ev('b')], () => new Promise<void>((_, reject) => (fail = reject)));
    let secondSettled = false;
    const second = dedup.deliverOnce([ev('b'), ev('c')], async () => undefined).finally(() => (secondSettled = true));
    // A copy that did not wait would settle within this turn's promise jobs: setImmediate runs after them all.
    await new Promise((r) => setImmediate(r));
    expect(secondSettled).to.equal(false);
    fail(new RetryableError('exporter down'));
    await first.then(
      () => expect.fail('first must reject'),
      () => undefined,
    );
    await second.then(
      () => expect.fail('second must reject: its copy of b was not delivered'),
      (err: unknown) => expect(err).to.be.instanceOf(RetryableError),
    );
    const retry = await dedup.deliverOnce([ev('a'), ev('b'), ev('c')], async () => undefined);
    expect(retry).to.deep.equal({ delivered: 2, duplicates: 1 });
  });

  it('forgets the oldest uuids beyond its capacity', async () => {
    const dedup = new EventDedup(1000);
    await dedup.deliverOnce(
      Array.from({ length: 1500 }, (_, i) => ev(`u${i}`)),
      async () => undefined,
    );
    expect(dedup.size).to.equal(1000);
    expect(dedup.has('u0')).to.equal(false);
    expect(dedup.has('u1499')).to.equal(true);
  });
});
