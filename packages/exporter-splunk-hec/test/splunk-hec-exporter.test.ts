import { expect } from 'chai';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { withAttributes, type LogRecord } from '@oktel/core';
import { eventUrl, splunkHecConfigSchema, SplunkHecExporter, UNSENDABLE_LOG_RECORDS } from '@oktel/exporter-splunk-hec';
import { logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import { testHost, testSettings, waitForCount, waitUntil, fixture as loadFixture } from '@oktel/testkit';
import { HecStandIn } from './hec-stand-in.js';

const fixture = loadFixture('user-session-start.json') as OktaLogEvent;
const context = { resource: oktaResource({ domain: 'acme.okta.com' }), scope: { name: 'test' } };
const records = (n: number, from = 0) => Array.from({ length: n }, (_, i) => logEventToRecord({ ...fixture, uuid: `u-${from + i}` }, context));
const uuids = (hec: HecStandIn) => hec.events.map((e) => (e.event as { uuid: string }).uuid);

describe('splunk_hec exporter', () => {
  let hec: HecStandIn;
  beforeEach(async () => {
    hec = new HecStandIn();
    await hec.start();
  });
  afterEach(() => hec.stop());

  function exporter(extra: Record<string, unknown> = {}) {
    const settings = testSettings('exporter', 'splunk_hec');
    const config = splunkHecConfigSchema.parse({
      endpoint: hec.url,
      token: hec.token,
      index: 'okta',
      retry_on_failure: { initial_interval: '20ms', max_interval: '50ms' },
      batch: { flush_timeout: '10ms' },
      ack: { poll_interval: '10ms' },
      ...extra,
    });
    const host = testHost();
    return { settings, host, exporter: new SplunkHecExporter(settings, config) };
  }

  it('sends each raw Okta event unchanged as the HEC event, sourcetype OktaIM2:log, gzipped, with the Splunk token', async () => {
    const { exporter: e, settings, host } = exporter();
    await e.start(host);
    await e.consume(records(3));
    await e.shutdown();
    expect(hec.requests).to.have.length(1);
    expect(hec.requests[0]!.path).to.equal('/services/collector/event');
    expect(hec.requests[0]!.headers['content-encoding']).to.equal('gzip');
    expect(hec.requests[0]!.headers.authorization).to.equal(`Splunk ${hec.token}`);
    const [first] = hec.events;
    expect(first!.event).to.deep.equal({ ...fixture, uuid: 'u-0' });
    expect(first).to.include({ sourcetype: 'OktaIM2:log', index: 'okta', source: 'oktel', host: 'acme.okta.com', time: Date.parse(fixture.published) / 1000 });
    expect(uuids(hec)).to.deep.equal(['u-0', 'u-1', 'u-2']);
    expect(settings.telemetry.get('sent_log_records')).to.equal(3);
  });

  it('gives alerts their own sourcetype and index, as flat fields with the message', async () => {
    const { exporter: e } = exporter({ alerts: { index: 'okta_alerts' } });
    await e.start(testHost());
    // Shaped as processor-detection's alertRecord makes them: event.kind=alert, security_rule.*, a sentence as body.
    const alert: LogRecord = withAttributes(
      { ...records(1)[0]!, body: 'Okta MFA bombing for user.name=ann@acme.com: 12 events', eventName: 'oktel.detection.alert', severityText: 'HIGH' },
      { 'event.kind': 'alert', 'security_rule.name': 'Okta MFA bombing', 'threat.technique.id': ['T1621'] },
    );
    await e.consume([records(1)[0]!, alert]);
    await e.shutdown();
    const [raw, sent] = hec.events;
    expect(raw).to.include({ sourcetype: 'OktaIM2:log', index: 'okta' });
    expect(sent).to.include({ sourcetype: 'oktel:alert', index: 'okta_alerts' });
    expect(sent!.event).to.deep.include({
      message: 'Okta MFA bombing for user.name=ann@acme.com: 12 events',
      severity: 'HIGH',
      'event.kind': 'alert',
      'security_rule.name': 'Okta MFA bombing',
      'threat.technique.id': ['T1621'],
    });
  });

  it('takes index, sourcetype, source and host from com.splunk.* / host.name attributes, a record attribute over the resource', async () => {
    const { exporter: e } = exporter();
    await e.start(testHost());
    const resource = resourceFromAttributes({ 'service.name': 'okta', 'com.splunk.index': 'from_resource', 'host.name': 'shipper-1' });
    const [a, b] = records(2);
    await e.consume([
      { ...a!, resource },
      withAttributes({ ...b!, resource }, { 'com.splunk.index': 'from_record', 'com.splunk.sourcetype': 'custom:st', 'com.splunk.source': 'okta:prod' }),
    ]);
    await e.shutdown();
    expect(hec.events[0]).to.include({ index: 'from_resource', host: 'shipper-1', sourcetype: 'OktaIM2:log' });
    expect(hec.events[1]).to.include({ index: 'from_record', sourcetype: 'custom:st', source: 'okta:prod' });
  });

  it('bounds requests by bytes and by events; a record too large for any request is dropped and counted, the rest arrive', async () => {
    const one = Buffer.byteLength(JSON.stringify({ event: fixture })) + 200;
    const { exporter: e, settings } = exporter({ max_content_length: one * 3, batch: { max_size: 2, flush_timeout: '10ms' }, disable_compression: true });
    await e.start(testHost());
    const huge = logEventToRecord({ ...fixture, uuid: 'huge', displayMessage: 'x'.repeat(one * 4) }, context);
    await e.consume([...records(5), huge, ...records(2, 5)]);
    await e.shutdown();
    expect(uuids(hec)).to.deep.equal(['u-0', 'u-1', 'u-2', 'u-3', 'u-4', 'u-5', 'u-6']);
    expect(hec.requests.length).to.equal(4);
    for (const r of hec.requests) expect(r.bodyBytes).to.be.at.most(one * 3);
    expect(settings.telemetry.get(UNSENDABLE_LOG_RECORDS)).to.equal(1);
    expect(settings.telemetry.get('sent_log_records')).to.equal(7);
  });

  it('retries while HEC answers 503 server busy (code 9), then delivers everything once', async () => {
    hec.busyFor = 3;
    hec.retryAfterSeconds = 0;
    const { exporter: e, settings, host } = exporter({ retry_on_failure: { initial_interval: '20ms', max_interval: '50ms', unhealthy_after: '0s' } });
    await e.start(host);
    await e.consume(records(4));
    await waitForCount(settings, 'sent_log_records', 4);
    await e.shutdown();
    expect(hec.requests.filter((r) => r.path === '/services/collector/event')).to.have.length(4);
    expect(uuids(hec)).to.deep.equal(['u-0', 'u-1', 'u-2', 'u-3']);
    const statuses = host.statuses.get('exporter/splunk_hec')!.map((s) => s.status);
    expect(statuses).to.include('recoverable_error');
    expect(statuses.at(-1)).to.equal('ok');
  });

  it('treats a refused token as permanent: one request, a clear reason in /health, and the token in no log line', async () => {
    const { exporter: e, settings, host } = exporter({ token: 'wrong-token-9999' });
    await e.start(host);
    await e.consume(records(2));
    await waitForCount(settings, 'send_failed_log_records', 2);
    await e.shutdown();
    expect(hec.requests).to.have.length(1);
    const last = host.statuses.get('exporter/splunk_hec')!.at(-1)!;
    expect(last.status).to.equal('permanent_error');
    expect(last.reason).to.match(/code 4.*Invalid token.*check the token value/);
    const logged = settings.logs.text;
    expect(logged).to.contain('Invalid token');
    expect(logged).to.not.contain('wrong-token-9999');
  });

  it("drops a batch for an index the token may not write, naming the token's allowed indexes as the fix", async () => {
    hec.allowedIndexes = ['main'];
    const { exporter: e, host, settings } = exporter();
    await e.start(host);
    await e.consume(records(1));
    await waitForCount(settings, 'send_failed_log_records', 1);
    await e.shutdown();
    expect(hec.requests).to.have.length(1);
    expect(host.statuses.get('exporter/splunk_hec')!.at(-1)!.reason).to.match(/code 7.*allowed indexes/);
  });

  it('with indexer acknowledgement, sends a channel and counts records as sent only once the ack endpoint says indexed', async () => {
    hec.useAck = true;
    hec.ackAfterPolls = 2;
    const channel = '8c5e3b4a-1f2d-4e6b-9a7c-0d1e2f3a4b5c';
    const { exporter: e, settings } = exporter({ ack: { enabled: true, channel, poll_interval: '10ms' } });
    await e.start(testHost());
    await e.consume(records(3));
    await waitForCount(settings, 'sent_log_records', 3);
    await e.shutdown();
    expect(hec.requests.find((r) => r.path === '/services/collector/event')!.headers['x-splunk-request-channel']).to.equal(channel);
    expect(hec.ackQueries.length).to.equal(3);
    expect(hec.ackQueries.every((q) => q.channel === channel && q.acks.length === 1)).to.equal(true);
    expect(uuids(hec)).to.deep.equal(['u-0', 'u-1', 'u-2']);
  });

  it('sends a batch again when Splunk does not acknowledge it within ack.timeout', async () => {
    hec.useAck = true;
    hec.ackAfterPolls = Infinity;
    const { exporter: e, settings } = exporter({ ack: { enabled: true, poll_interval: '5ms', timeout: '30ms' }, sending_queue: { drain_timeout: '300ms' } });
    await e.start(testHost());
    await e.consume(records(1));
    await waitUntil(
      () => hec.requests.filter((r) => r.path === '/services/collector/event').length >= 2,
      5000,
      () => 'a second event request after the ack timeout',
      10,
    );
    await e.shutdown();
    expect(settings.telemetry.get('sent_log_records')).to.equal(0);
  });

  it('refuses ack on a token without indexer acknowledgement, permanently and saying so', async () => {
    const { exporter: e, host, settings } = exporter({ ack: { enabled: true } });
    await e.start(host);
    await e.consume(records(1));
    await waitForCount(settings, 'send_failed_log_records', 1);
    await e.shutdown();
    expect(host.statuses.get('exporter/splunk_hec')!.at(-1)!.reason).to.match(/indexer acknowledgement is off/);
  });

  it('builds the event URL from a base URL or a /services/collector URL, and requires endpoint and token', () => {
    expect(eventUrl('https://splunk.example.com:8088').href).to.equal('https://splunk.example.com:8088/services/collector/event');
    expect(eventUrl('https://splunk.example.com:8088/services/collector').href).to.equal('https://splunk.example.com:8088/services/collector/event');
    expect(eventUrl('https://splunk.example.com:8088/services/collector/event').href).to.equal('https://splunk.example.com:8088/services/collector/event');
    const missing = splunkHecConfigSchema.safeParse({});
    expect(missing.error!.issues.map((i) => i.path.join('.'))).to.have.members(['endpoint', 'token']);
  });
});
