import { expect } from 'chai';
import { consumerFromFunction, type LogRecord } from '@oktel/core';
import type { OktaSimulator } from '@oktel/okta-simulator';
import {
  memoryCheckpoints,
  oktaReceiverConfigSchema,
  oktaReceiverFactory,
  storageCheckpoints,
  type Checkpoint,
  type CheckpointStore,
} from '@oktel/receiver-okta';
import { testHost, testSettings, waitUntil } from '@oktel/testkit';
import { events, runPoller, simulator, TOKEN } from './helpers.js';

/** A checkpoint store on a disk that is full for the first `failures` writes. */
function fullDisk(failures: number): CheckpointStore & { current: Checkpoint | undefined; failed: number } {
  const inner = memoryCheckpoints();
  const store = {
    failed: 0,
    get current() {
      return inner.current;
    },
    load: () => inner.load(),
    save: async (checkpoint: Checkpoint) => {
      if (store.failed < failures) {
        store.failed++;
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      await inner.save(checkpoint);
    },
  };
  return store;
}

/** A storage client holding a checkpoint that is not JSON, as a torn write or a bad disk leaves it. */
function corruptStorage() {
  const files = new Map<string, Buffer>([['checkpoint', Buffer.from('{"next": "http://127.0.0.1/api/v1/lo')]]);
  return {
    files,
    client: {
      directory: '/var/lib/oktel/receiver_okta',
      get: async (key: string) => files.get(key),
      set: async (key: string, value: Buffer | string) => void files.set(key, Buffer.from(value)),
      delete: async (key: string) => void files.delete(key),
      list: async (prefix = '') => [...files.keys()].filter((k) => k.startsWith(prefix)).sort(),
    },
  };
}

/** An event nested 20 000 levels deep: no recursive serializer survives it. */
function deeplyNested(uuid: string): string {
  const depth = 20_000;
  const head = `{"uuid":"${uuid}","published":"${new Date().toISOString()}","eventType":"user.session.start","debugContext":{"debugData":`;
  return `${head}${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}}`;
}

describe('okta receiver running unattended', () => {
  let sim: OktaSimulator;
  afterEach(async () => sim?.stop());

  it('keeps polling when the checkpoint cannot be saved (ENOSPC): retried, reported, then back to ok', async () => {
    sim = await simulator();
    sim.append(events(12));
    const disk = fullDisk(3);
    const harness = runPoller(sim, { page_size: 5 }, disk);
    await harness.waitFor(12, 5_000);
    await waitUntil(
      () => disk.current?.next.includes('after=') === true && harness.statuses.at(-1)?.status === 'ok',
      5_000,
      () => 'a saved checkpoint',
    );
    await harness.stop();
    expect(disk.failed).to.equal(3);
    expect(harness.delivered).to.have.length(12);
    expect(harness.statuses.filter((s) => s.status === 'recoverable_error' && s.reason?.includes('ENOSPC')).length).to.be.at.least(1);
    expect(harness.logs.text).to.contain('saving the checkpoint failed: ENOSPC: no space left on device');
    // The page whose checkpoint failed is not fetched again while the save is retried.
    expect(new Set(harness.delivered.map((e) => e.uuid)).size).to.equal(12);
  });

  it('moves a corrupt checkpoint aside with a warning naming it, and starts from since', async () => {
    sim = await simulator();
    sim.append(events(4));
    const storage = corruptStorage();
    const harness = runPoller(sim, {}, storageCheckpoints(storage.client, undefined));
    await harness.waitFor(4, 5_000);
    await harness.stop();
    expect(sim.logRequests()[0]!.query.since).to.be.a('string');
    const aside = [...storage.files.keys()].find((k) => k.startsWith('checkpoint.corrupt-'));
    expect(aside, 'the corrupt checkpoint was kept for a human').to.be.a('string');
    expect(storage.files.get(aside!)!.toString()).to.equal('{"next": "http://127.0.0.1/api/v1/lo');
    expect(JSON.parse(storage.files.get('checkpoint')!.toString()).next).to.contain('after=');
  });

  it('names the corrupt checkpoint file in its warning, through the receiver', async () => {
    sim = await simulator();
    sim.append(events(4));
    const storage = corruptStorage();
    const settings = testSettings('receiver', 'okta');
    const host = testHost({ file_storage: { isStorage: true, client: async () => storage.client } });
    const records: LogRecord[] = [];
    const config = oktaReceiverConfigSchema.parse({ domain: sim.origin, auth: { api_token: TOKEN }, poll_interval: '50ms', storage: 'file_storage' });
    const receiver = oktaReceiverFactory.create(
      settings,
      config,
      consumerFromFunction(async (batch) => void records.push(...batch)),
    );
    await receiver.start(host);
    await waitUntil(
      () => records.length >= 4,
      5_000,
      () => `4 records (${records.length})\n${settings.logs.text}`,
      10,
    );
    await receiver.shutdown();
    expect(settings.logs.text).to.contain(
      'The checkpoint /var/lib/oktel/receiver_okta/checkpoint is unusable (it is not valid JSON); moved it aside to /var/lib/oktel/receiver_okta/checkpoint.corrupt-',
    );
  });

  it('reports a 401 as a permanent error, and ok again once Okta answers', async () => {
    sim = await simulator();
    sim.append(events(3));
    sim.injectFault({ kind: 'status', status: 401 });
    const harness = runPoller(sim);
    await harness.waitFor(3, 5_000);
    await waitUntil(
      () => harness.statuses.at(-1)?.status === 'ok',
      5_000,
      () => 'status ok',
    );
    await harness.stop();
    expect(harness.statuses.map((s) => s.status)).to.deep.equal(['permanent_error', 'ok']);
    expect(harness.statuses[0]!.reason).to.contain('Okta rejected the API token');
    expect(harness.health.at(-1)).to.deep.equal({ healthy: true });
  });

  it('reports repeated failures as recoverable, and ok once a page is delivered', async () => {
    sim = await simulator();
    sim.append(events(3));
    sim.injectFault({ kind: 'status', status: 503 }, 6);
    const harness = runPoller(sim);
    await harness.waitFor(3, 10_000);
    await waitUntil(
      () => harness.statuses.at(-1)?.status === 'ok',
      5_000,
      () => 'status ok',
    );
    await harness.stop();
    // Reported once, from the fifth failure in a row (one 503 is not news), with the reason.
    expect(harness.statuses.map((s) => s.status)).to.deep.equal(['recoverable_error', 'ok']);
    expect(harness.statuses[0]!.reason).to.contain('503');
  });

  it('reports the status to the host through the receiver, keyed receiver/<id>', async () => {
    sim = await simulator({ apiTokens: ['another-token'] });
    const settings = testSettings('receiver', 'okta/prod');
    const host = testHost();
    const config = oktaReceiverConfigSchema.parse({ domain: sim.origin, auth: { api_token: TOKEN }, retry: { auth_failure_interval: '1s' } });
    const receiver = oktaReceiverFactory.create(
      settings,
      config,
      consumerFromFunction(async () => undefined),
    );
    await receiver.start(host);
    await waitUntil(
      () => host.statuses.get('receiver/okta/prod') !== undefined,
      5_000,
      () => 'a status report',
    );
    await receiver.shutdown();
    expect(host.statuses.get('receiver/okta/prod')![0]).to.deep.include({ status: 'permanent_error' });
    expect(host.health.get('receiver/okta/prod')).to.deep.include({ healthy: false });
  });

  it('drops one event nested 20 000 levels deep, logs it once, and delivers the rest of its page', async () => {
    sim = await simulator();
    const all = events(10);
    sim.append(all);
    sim.injectFault({ kind: 'raw_events', raw: [deeplyNested('deep-1'), deeplyNested('deep-2')] });
    const harness = runPoller(sim);
    await harness.waitFor(10, 5_000);
    await waitUntil(
      () => sim.logRequests().length >= 2,
      5_000,
      () => 'the next poll',
    );
    await harness.stop();
    expect(harness.delivered.map((e) => e.uuid)).to.deep.equal(all.map((e) => e.uuid));
    expect(harness.poller.counters()).to.deep.include({ received: 12, accepted: 10, rejected: 2 });
    expect(harness.logs.text.match(/nested deeper than 64 levels/g)).to.have.length(1);
    // The page was not asked for again: the next request moved on.
    expect(sim.logRequests()[1]!.query.after).to.be.a('string');
  });

  it('tells how far behind it is: the newest delivered event, and whether it caught up', async () => {
    sim = await simulator();
    const all = events(12);
    sim.append(all);
    const harness = runPoller(sim, { page_size: 5 });
    expect(harness.poller.lag()).to.deep.equal({ caughtUp: false });
    await harness.waitFor(12, 5_000);
    await waitUntil(
      () => harness.poller.lag().caughtUp,
      5_000,
      () => 'caught up',
    );
    await harness.stop();
    expect(harness.poller.lag().newestEventTime).to.equal(Math.max(...all.map((e) => Date.parse(e.published))));
  });
});
