import { expect } from 'chai';
import { consumerFromFunction, type LogRecord } from '@oktel/core';
import { dedupGroup } from '@oktel/okta-log-event';
import { oktaReceiverConfigSchema, oktaReceiverFactory } from '@oktel/receiver-okta';
import { testHost, testSettings, waitUntil } from '@oktel/testkit';
import { events, simulator, TOKEN } from './helpers.js';

async function receive(options: Record<string, unknown>, count: number, expected: number): Promise<LogRecord[]> {
  const sim = await simulator();
  const records: LogRecord[] = [];
  sim.append(events(count));
  const config = oktaReceiverConfigSchema.parse({ domain: sim.origin, auth: { api_token: TOKEN }, poll_interval: '50ms', ...options });
  const receiver = oktaReceiverFactory.create(
    testSettings('receiver', 'okta'),
    config,
    consumerFromFunction(async (batch) => void records.push(...batch)),
  );
  try {
    await receiver.start(testHost());
    await waitUntil(
      () => records.length >= expected && sim.logRequests().length >= 2,
      10_000,
      () => `${expected} records (have ${records.length})`,
    );
  } finally {
    await receiver.shutdown();
    await sim.stop();
  }
  return records;
}

describe('okta receiver options', () => {
  it('promotes semantic-convention attributes by default, okta.* names with attributes: okta', async () => {
    const [semantic] = await receive({}, 1, 1);
    expect(semantic!.attributes['log.record.uid']).to.be.a('string');
    expect(semantic!.attributes).not.to.have.property('okta.uuid');
    const [okta] = await receive({ attributes: 'okta' }, 1, 1);
    expect(okta!.attributes['okta.uuid']).to.be.a('string');
    expect(okta!.attributes).not.to.have.property('log.record.uid');
  });

  it('skips events its dedup_group already delivered (an okta_event_hook receiver of the same org), and delivers the rest', async () => {
    const group = dedupGroup('okta-receiver-test-org', 1000);
    const all = events(6);
    // The hook receiver got the first three a moment earlier.
    await group.deliverOnce(all.slice(0, 3), async () => undefined);
    const sim = await simulator();
    sim.append(all);
    const records: LogRecord[] = [];
    const config = oktaReceiverConfigSchema.parse({
      domain: sim.origin,
      auth: { api_token: TOKEN },
      poll_interval: '50ms',
      dedup_group: 'okta-receiver-test-org',
    });
    const receiver = oktaReceiverFactory.create(
      testSettings('receiver', 'okta'),
      config,
      consumerFromFunction(async (batch) => void records.push(...batch)),
    );
    try {
      await receiver.start(testHost());
      await waitUntil(
        () => records.length >= 3 && sim.logRequests().length >= 3,
        10_000,
        () => `3 records (have ${records.length})`,
      );
    } finally {
      await receiver.shutdown();
      await sim.stop();
    }
    expect(records.map((r) => r.attributes['log.record.uid'])).to.deep.equal(all.slice(3).map((e) => e.uuid));
  });
});
