import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { logEventProblem, logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import { generateActivity, SCENARIOS } from '@oktel/okta-simulator';
import { detectionConfigSchema, detectionProcessorFactory } from '@oktel/processor-detection';
import { OKTA_RULES_DIR } from '@oktel/rules-okta';
import { fileReceiverConfigSchema, fileReceiverFactory } from '@oktel/receiver-file';
import { LogsSink, tempDir, testHost, testSettings } from '@oktel/testkit';
import type { LogRecord } from '@oktel/core';

// Real events (every attack scenario included, so stateful rules open groups and fire) to mutate.
const POOL: OktaLogEvent[] = generateActivity({
  seed: 42,
  start: Date.parse('2026-11-20T08:00:00Z'),
  signIns: 40,
  meanGapMs: 3000,
  scenarios: [...SCENARIOS],
}).events;

const nested = (depth: number): string =>
  `{"uuid":"deep-${depth}","published":"2026-11-20T08:00:00Z","eventType":"user.session.start","debugContext":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;

/** A JSON Lines line: a real event, a mutated one, arbitrary JSON, a deeply nested event, or not JSON at all. */
const line: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: POOL.length - 1 }).map((i) => JSON.stringify(POOL[i])) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 0, max: POOL.length - 1 }),
        fc.constantFrom('uuid', 'published', 'eventType', 'actor', 'client', 'outcome', 'target', 'authenticationContext', 'debugContext'),
        fc.jsonValue(),
      )
      .map(([i, key, value]) => JSON.stringify({ ...POOL[i], [key]: value })),
  },
  { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.integer({ min: 65, max: 20_000 }).map(nested) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((s) => s.replace(/[\r\n]/g, ' ')) },
);

/**
 * What the receiver must make of the lines, by its documented contract: a line is an event or an
 * array of events (a saved API page); each item that is an event oktel can carry is delivered,
 * every other item (or unparseable line) is counted as failed.
 */
function expectation(lines: string[]): { uuids: string[]; items: number } {
  const uuids: string[] = [];
  let items = 0;
  for (const text of lines) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      items++;
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      items++;
      if (logEventProblem(item) === undefined) uuids.push((item as OktaLogEvent).uuid);
    }
  }
  return { uuids, items };
}

describe('pipeline fuzzed with random and malformed events', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('file receiver: never crashes or hangs, delivers exactly the valid events in order, and delivered + failed = items read', async function () {
    this.timeout(120_000);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 25 }), async (lines, batchSize) => {
        const path = join(dir.path, `fuzz-${run++}.jsonl`);
        writeFileSync(path, `${lines.join('\n')}\n`);
        const sink = new LogsSink();
        const settings = testSettings('receiver', 'file');
        const receiver = fileReceiverFactory.create(settings, fileReceiverConfigSchema.parse({ path, batch_size: batchSize }), sink);
        await receiver.start(testHost());
        await receiver.whenDone!();
        await receiver.shutdown();
        const expected = expectation(lines);
        expect(sink.records.map((r) => r.attributes['log.record.uid'])).to.deep.equal(expected.uuids);
        // Accepted records are counted by the service around the receiver; here, the sink holds them.
        expect(sink.records.length + settings.telemetry.get('failed_log_records')).to.equal(expected.items);
      }),
      {
        numRuns: 60,
        interruptAfterTimeLimit: 60_000,
        // Found by this property (seed 2118561342): JSON Lines whose first line is a cut-off "[" once read as one broken array.
        examples: [[['[', JSON.stringify(POOL[0])], 1]],
      },
    );
  });

  it('detection processor: never throws on any record, passes every record through and only adds alerts', async function () {
    this.timeout(120_000);
    const context = { resource: oktaResource({ domain: 'fuzz.okta.com' }), scope: { name: 'fuzz' } };
    const record: fc.Arbitrary<LogRecord> = fc.oneof(
      {
        weight: 4,
        arbitrary: line.map((text) => {
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            value = text;
          }
          // An event oktel can carry becomes a record as a receiver makes it; anything else rides as an arbitrary body.
          if (logEventProblem(value) === undefined) return logEventToRecord(value as OktaLogEvent, context);
          return { ...logEventToRecord(POOL[0]!, context), body: value as never };
        }),
      },
      { weight: 1, arbitrary: fc.jsonValue().map((body) => ({ ...logEventToRecord(POOL[1]!, context), body: body as never, attributes: {} })) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(record, { maxLength: 30 }), { minLength: 1, maxLength: 6 }), async (batches) => {
        const sink = new LogsSink();
        const settings = testSettings('processor', 'detection');
        const processor = detectionProcessorFactory.create(settings, detectionConfigSchema.parse({ rules: [OKTA_RULES_DIR], log_alerts: false }), sink);
        await processor.start(testHost());
        for (const batch of batches) await processor.consume(batch);
        await processor.shutdown();
        const inputs = batches.flat();
        const raw = sink.records.filter((r) => r.attributes['event.kind'] !== 'alert');
        expect(raw.length).to.equal(inputs.length);
        // The safety net passes a record it could not evaluate; the fuzz wants no such record at all.
        expect(settings.telemetry.get('evaluation_errors')).to.equal(0);
        expect(sink.records.length).to.be.at.least(inputs.length);
      }),
      { numRuns: 40, interruptAfterTimeLimit: 60_000 },
    );
  });
});
