// new_terms and impossible_travel: heap per entity (after GC, the records gone) and events/s
// through the engine. `pnpm bench correlation-types`.
import { logEventToRecord, oktaResource } from '@oktel/okta-log-event';
import { compileRule, DetectionEngine, ruleSchema } from '@oktel/processor-detection';
import type { LogRecord } from '@oktel/core';

const CONTEXT = { resource: oktaResource({ domain: 'bench.okta.com' }), scope: { name: 'bench' } };
const BASE = Date.parse('2026-11-01T00:00:00Z');
const COUNTRIES = [
  'Germany',
  'France',
  'Brazil',
  'Japan',
  'India',
  'Canada',
  'Kenya',
  'Chile',
  'Spain',
  'Italy',
  'Norway',
  'Egypt',
  'Peru',
  'Vietnam',
  'Poland',
  'Mexico',
  'Ghana',
  'Nepal',
  'Fiji',
  'Oman',
];

function engineFor(correlate: Record<string, unknown>, maxGroups: number): DetectionEngine {
  const rule = compileRule(
    ruleSchema.parse({
      id: 'bench-types',
      name: 'bench',
      description: 'bench',
      severity: 'low',
      threat: [{ tactic: { id: 'TA0001', name: 'Initial Access' } }],
      match: { '==': [{ var: 'eventType' }, 'user.session.start'] },
      group_by: ['actor.alternateId'],
      correlate,
      tests: [{ name: 't', events: [{ eventType: 'x' }], expect: 'no_alert' }],
    }),
    'bench',
  );
  return new DetectionEngine({
    rules: [rule],
    suppressionWindowMs: 1,
    maxAlertEventUuids: 20,
    maxSuppressionEntries: 1000,
    errorMode: 'propagate',
    maxGroupsPerRule: maxGroups,
    allowedLatenessMs: 0,
    now: () => BASE + 40 * 86_400_000,
  });
}

/** A sign-in as Okta writes it (the parts these rules read), parsed fresh as the receiver would. */
function signIn(i: number, user: number, country: number, at: number): LogRecord {
  const lat = -60 + ((country * 37) % 120);
  const lon = -170 + ((country * 71) % 340);
  return logEventToRecord(
    JSON.parse(
      JSON.stringify({
        uuid: `5f1c2d3e-${String(i).padStart(8, '0')}-11ee-9a1b-2c3d4e5f6a7b`,
        published: new Date(at).toISOString(),
        eventType: 'user.session.start',
        outcome: { result: 'SUCCESS' },
        actor: { id: `00u${user}`, type: 'User', alternateId: `user${user}@example.com` },
        client: {
          ipAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
          geographicalContext: { country: COUNTRIES[country % COUNTRIES.length], city: 'City', geolocation: { lat, lon } },
        },
      }),
    ) as never,
    CONTEXT,
  );
}

async function settle(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc (pnpm bench does)');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
}

/** Heap per entity once `entities` users each have `termsPerEntity` terms (one event per term, no alert). */
async function bytesPerEntity(correlate: Record<string, unknown>, entities: number, termsPerEntity: number): Promise<number> {
  const engine = engineFor(correlate, entities * 2);
  await settle();
  const before = process.memoryUsage().heapUsed;
  let i = 0;
  for (let t = 0; t < termsPerEntity; t++) for (let u = 0; u < entities; u++, i++) engine.evaluate(signIn(i, u, t, BASE + i));
  await settle();
  const after = process.memoryUsage().heapUsed;
  if (engine.stateSizes()['bench-types'] !== entities) throw new Error('bench: not every entity stayed open');
  return Math.round((after - before) / entities);
}

/** Events/s through the engine: `users` users signing in from a few countries each, over 10 days of event time. */
function eventsPerSec(correlate: Record<string, unknown>, events: number, users: number): { eventsPerSec: number; alerts: number } {
  const records = Array.from({ length: events }, (_, i) => {
    const user = (i * 7919) % users;
    return signIn(i, user, (user + Math.floor(i / (users * 3))) % 4, BASE + Math.floor((i * 10 * 86_400_000) / events));
  });
  const run = () => {
    const engine = engineFor(correlate, users * 2);
    let alerts = 0;
    const start = process.hrtime.bigint();
    for (const r of records) alerts += engine.evaluate(r).alerts.length;
    alerts += engine.flush().length;
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, alerts };
  };
  run();
  const timed = [run(), run(), run()].sort((a, b) => a.ms - b.ms)[1]!;
  return { eventsPerSec: Math.round(events / (timed.ms / 1000)), alerts: timed.alerts };
}

export async function runCorrelationTypesBenchmark(options: { entities: number; events: number }) {
  const newTerms = { type: 'new_terms', fields: ['client.geographicalContext.country'], history_window: '30d', learning_period: '1d' };
  const newTermsPair = { type: 'new_terms', fields: ['client.geographicalContext.country', 'client.ipAddress'], history_window: '30d', learning_period: '1d' };
  const travel = { type: 'impossible_travel' };
  const threshold = { type: 'threshold', window: '24h', count: 1000 };
  return {
    entities: options.entities,
    bytesPerEntity: {
      thresholdOneEvent: await bytesPerEntity(threshold, options.entities, 1),
      newTerms1Term: await bytesPerEntity(newTerms, options.entities, 1),
      newTerms10Terms: await bytesPerEntity(newTerms, options.entities, 10),
      newTermsPair10Terms: await bytesPerEntity(newTermsPair, options.entities, 10),
      impossibleTravel: await bytesPerEntity(travel, options.entities, 1),
    },
    engine: {
      events: options.events,
      newTerms: eventsPerSec(newTerms, options.events, 10_000),
      impossibleTravel: eventsPerSec(travel, options.events, 10_000),
      thresholdForComparison: eventsPerSec(threshold, options.events, 10_000),
    },
  };
}
