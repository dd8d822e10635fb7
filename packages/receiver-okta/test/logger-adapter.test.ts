import { expect } from 'chai';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { OktaSimulator } from '@oktel/okta-simulator';
import { pollOktaIntoLogger } from '@oktel/receiver-okta';
import { createLogger, MemoryLogSink } from '@oktel/core';
import { waitUntil } from '@oktel/testkit';
import { events, simulator, TOKEN } from './helpers.js';

describe('okta receiver as a library', () => {
  let sim: OktaSimulator;
  afterEach(async () => sim?.stop());

  it("emits every event into an application's own LoggerProvider with the receiver's mapping", async () => {
    sim = await simulator();
    const backlog = events(12);
    sim.append(backlog);
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
    const abort = new AbortController();
    const run = pollOktaIntoLogger({
      logger: provider.getLogger('okta'),
      config: { domain: sim.origin, auth: { api_token: TOKEN }, poll_interval: '50ms' },
      diagnostics: createLogger({ sink: new MemoryLogSink() }),
      signal: abort.signal,
    });
    await waitUntil(
      () => exporter.getFinishedLogRecords().length >= 12,
      10_000,
      () => `12 records (have ${exporter.getFinishedLogRecords().length})`,
      20,
    );
    abort.abort();
    await run;
    const records = exporter.getFinishedLogRecords();
    expect(records.map((r) => r.attributes['log.record.uid'])).to.deep.equal(backlog.map((e) => e.uuid));
    const first = records[0]!;
    expect(first.eventName).to.equal(backlog[0]!.eventType);
    expect(first.hrTime[0] * 1000 + first.hrTime[1] / 1e6).to.equal(Date.parse(backlog[0]!.published));
    expect(first.attributes['log.record.uid']).to.equal(backlog[0]!.uuid);
    expect((first.body as { uuid: string }).uuid).to.equal(backlog[0]!.uuid);
    await provider.shutdown();
  });
});
