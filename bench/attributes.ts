// node --expose-gc --import tsx bench/attributes.ts — cost of logEventToRecord per attribute profile.
// Prints JSON; BENCHMARKS.md records the figures. Not wired into bench/run.ts to stay out of its way.
import { generateActivity, SCENARIOS } from '@oktel/okta-simulator';
import { ATTRIBUTE_PROFILES, logEventToRecord, oktaResource } from '@oktel/okta-log-event';

const { events } = generateActivity({ seed: 7, start: Date.parse('2026-11-20T08:00:00Z'), signIns: 10_000, meanGapMs: 1_000, scenarios: SCENARIOS });
const base = { resource: oktaResource({ domain: 'example.okta.com' }), scope: { name: 'bench' }, observedAtMs: 0 };
const results: Record<string, unknown> = { node: process.version, events: events.length };
for (const profile of ATTRIBUTE_PROFILES) {
  const context = { ...base, attributeProfile: profile };
  for (const e of events.slice(0, 2_000)) logEventToRecord(e, context); // warm-up
  const runs: number[] = [];
  let attributes = 0;
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint();
    attributes = 0;
    for (const e of events) attributes += Object.keys(logEventToRecord(e, context).attributes).length;
    runs.push(Number(process.hrtime.bigint() - start) / 1e3 / events.length);
  }
  runs.sort((a, b) => a - b);
  results[profile] = { us_per_event_median: Number(runs[1]!.toFixed(2)), attributes_per_event: Number((attributes / events.length).toFixed(1)) };
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
