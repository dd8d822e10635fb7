import { expect } from 'chai';
import fc from 'fast-check';
import { logEventProblem } from '@oktel/okta-log-event';
import { RecordingServer, type Fault } from '@oktel/okta-simulator';
import { waitUntil } from '@oktel/testkit';
import { events, runPoller, simulator } from './helpers.js';

/** One array item on a page, as raw JSON text. */
interface Item {
  text: string;
}

type ServedPage =
  | { kind: 'page'; items: Item[] }
  | { kind: 'hostile_link'; items: Item[] }
  | { kind: 'invalid_json' }
  | { kind: 'not_an_array' }
  | { kind: 'server_error' };

const POOL = events(30);

function nested(depth: number, uuid: string): string {
  return `{"uuid":"${uuid}","published":"2026-11-01T00:00:00Z","eventType":"user.session.start","debugContext":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
}

const item: fc.Arbitrary<Item> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: POOL.length - 1 }).map((i) => ({ text: JSON.stringify(POOL[i]) })) },
  { weight: 2, arbitrary: fc.jsonValue().map((v) => ({ text: JSON.stringify(v) })) },
  {
    weight: 2,
    arbitrary: fc
      .record(
        {
          uuid: fc.oneof(fc.uuid(), fc.string(), fc.integer()),
          published: fc.oneof(
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            fc.string(),
          ),
          eventType: fc.oneof(fc.constant('user.session.start'), fc.string()),
        },
        { requiredKeys: [] },
      )
      .map((v) => ({ text: JSON.stringify(v) })),
  },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 60, max: 5_000 }), fc.uuid()).map(([depth, uuid]) => ({ text: nested(depth, uuid) })) },
);

const page: fc.Arbitrary<ServedPage> = fc.oneof(
  { weight: 6, arbitrary: fc.array(item, { maxLength: 12 }).map((items) => ({ kind: 'page' as const, items })) },
  { weight: 1, arbitrary: fc.array(item, { maxLength: 4 }).map((items) => ({ kind: 'hostile_link' as const, items })) },
  { weight: 1, arbitrary: fc.constantFrom<ServedPage>({ kind: 'invalid_json' }, { kind: 'not_an_array' }, { kind: 'server_error' }) },
);

const body = (items: Item[]): string => `[${items.map((i) => i.text).join(',')}]`;

describe('okta receiver fuzzed with random and malformed pages', () => {
  let trap: RecordingServer;
  before(async () => {
    trap = new RecordingServer();
    await trap.start();
  });
  after(async () => trap.stop());

  it('never crashes or hangs, delivers each valid event once, and its counters add up', async function () {
    this.timeout(120_000);
    await fc.assert(
      fc.asyncProperty(fc.array(page, { minLength: 1, maxLength: 6 }), async (pages) => {
        const sim = await simulator();
        const faults: Fault[] = pages.map((p) => {
          switch (p.kind) {
            case 'page':
              return { kind: 'page', body: body(p.items) };
            case 'hostile_link':
              return { kind: 'page', body: body(p.items), next: `${trap.origin}/api/v1/logs?after=0_1` };
            case 'invalid_json':
              return { kind: 'invalid_json' };
            case 'not_an_array':
              return { kind: 'page', body: '{"errorCode":"E0000009"}' };
            case 'server_error':
              return { kind: 'status', status: 500 };
            default:
              return p satisfies never;
          }
        });
        for (const fault of faults) sim.injectFault(fault);
        const harness = runPoller(sim, {
          page_size: 10,
          poll_interval: '5ms',
          retry: { initial_interval: '2ms', max_interval: '10ms', auth_failure_interval: '10ms' },
        });
        try {
          // Each fault answers one request; the request after the last one means its page was handled.
          await waitUntil(
            () => sim.logRequests().length > faults.length,
            10_000,
            () => `${faults.length + 1} requests (${sim.logRequests().length})\n${harness.logs.text.slice(-1500)}`,
            5,
          );
        } finally {
          await harness.stop();
          await sim.stop();
        }
        const processed = pages.flatMap((p) => (p.kind === 'page' ? p.items : []));
        const valid = new Set(
          processed.flatMap((i) => {
            const value: unknown = JSON.parse(i.text);
            return logEventProblem(value) === undefined ? [(value as { uuid: string }).uuid] : [];
          }),
        );
        const counters = harness.poller.counters();
        expect(counters.received).to.equal(processed.length);
        expect(counters.received).to.equal(counters.accepted + counters.rejected + counters.duplicates);
        expect(counters.accepted).to.equal(valid.size);
        expect(new Set(harness.delivered.map((e) => e.uuid))).to.deep.equal(valid);
        expect(harness.delivered).to.have.length(valid.size);
        expect(trap.requests).to.have.length(0);
      }),
      { numRuns: 60, interruptAfterTimeLimit: 90_000 },
    );
  });
});
