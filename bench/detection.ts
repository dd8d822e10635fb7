// Events/s through the detection processor with the shipped pack, against no processor and a naive
// json-logic-js loop over the same rules; heap per open correlation group (threshold, value_count);
// per-event cost as the event-time rate rises (flatness); and the idle-watermark timer's cost.
import jsonLogic from 'json-logic-js';
import type { LogBatch, LogRecord } from '@oktel/core';
import { OKTA_OPERATIONS } from '@oktel/jsonlogic';
import { logEventToRecord, oktaResource } from '@oktel/okta-log-event';
import { compileRule, detectionConfigSchema, detectionProcessorFactory, DetectionEngine, ruleSchema } from '@oktel/processor-detection';
import { generateActivity, SCENARIOS } from '@oktel/okta-simulator';
import { OKTA_RULES_DIR } from '@oktel/rules-okta';
import { testHost, testSettings } from '@oktel/testkit';

const BATCH = 500;

async function timeBatches(records: LogRecord[], consume: (batch: LogBatch) => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < records.length; i += BATCH) await consume(records.slice(i, i + BATCH));
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function runDetectionBenchmark(options: { events: number; groups: number }) {
  const { events } = generateActivity({
    seed: 11,
    start: Date.parse('2026-11-20T00:00:00Z'),
    signIns: Math.ceil(options.events / 6),
    meanGapMs: 5000,
    scenarios: [...SCENARIOS, ...SCENARIOS],
  });
  const context = { resource: oktaResource({ domain: 'bench.okta.com' }), scope: { name: 'bench' } };
  const records = events.slice(0, options.events).map((e) => logEventToRecord(e, context));

  const sink = { consume: async (_batch: LogBatch) => undefined };
  const noProcessorMs = await timeBatches(records, sink.consume);

  const config = detectionConfigSchema.parse({ rules: [OKTA_RULES_DIR], log_alerts: false });
  const processor = detectionProcessorFactory.create(testSettings('processor', 'detection'), config, sink);
  await processor.start(testHost());
  await timeBatches(records.slice(0, 2000), (b) => processor.consume(b)); // warm-up
  const processorMs = await timeBatches(records, (b) => processor.consume(b));
  await processor.shutdown();

  registerOktaOperations();
  const matches = config.loaded.rules.map((r) => r.definition.match);
  const naive = () => {
    let m = 0;
    for (const r of records) for (const rule of matches) if (jsonLogic.truthy(jsonLogic.apply(rule as never, r.body as never))) m++;
    return m;
  };
  naive();
  const naiveStart = process.hrtime.bigint();
  naive();
  const naiveMs = Number(process.hrtime.bigint() - naiveStart) / 1e6;

  const threshold = await bytesPerGroup({ type: 'threshold', window: '24h', count: 1000 }, options.groups, context);
  const valueCount = await bytesPerGroup({ type: 'value_count', window: '24h', field: 'client.ipAddress', distinct: 1000 }, options.groups, context);
  // The same groups from events that carry no alert entity (a service actor, the counted address
  // in a field that is not an entity): what the correlation state itself costs.
  const thresholdStateOnly = await bytesPerGroup({ type: 'threshold', window: '24h', count: 1000 }, options.groups, context, { entities: false });
  const valueCountStateOnly = await bytesPerGroup(
    { type: 'value_count', window: '24h', field: 'debugContext.debugData.clientAddress', distinct: 1000 },
    options.groups,
    context,
    { entities: false },
  );
  const flatness = await perEventCostByRate(events.slice(0, options.events), [3, 100, 1000, 2000]);
  const idleTimer = await idleTimerCost(records);

  const perSec = (n: number, ms: number) => Math.round(n / (ms / 1000));
  return {
    rules: config.loaded.rules.length,
    events: records.length,
    noProcessorEventsPerSec: perSec(records.length, noProcessorMs),
    detectionEventsPerSec: perSec(records.length, processorMs),
    naiveJsonLogicEventsPerSec: perSec(records.length, naiveMs),
    detectionVsNaive: Number((naiveMs / processorMs).toFixed(1)),
    bytesPerGroup: { threshold, valueCount, withoutEntities: { threshold: thresholdStateOnly, valueCount: valueCountStateOnly } },
    microsPerEventByEventTimeRate: flatness,
    idleTimer,
  };
}

/**
 * json-logic-js has none of the Okta operations: registered here as a user of that library would
 * (regex and cidr build their matcher from the evaluated arguments, memoised per pattern), so
 * both engines run the same shipped rules.
 */
function registerOktaOperations(): void {
  for (const [name, op] of Object.entries(OKTA_OPERATIONS)) {
    if (name !== 'regex' && name !== 'cidr') {
      jsonLogic.add_operation(name, op.prepare([], name) as never);
      continue;
    }
    const cache = new Map<string, (...args: unknown[]) => unknown>();
    jsonLogic.add_operation(name, ((value: unknown, ...rest: unknown[]) => {
      const key = JSON.stringify(rest);
      let test = cache.get(key);
      if (!test) {
        test = op.prepare([null, ...rest], name);
        cache.set(key, test);
      }
      return test(value, ...rest);
    }) as never);
  }
}

const CONTEXT = { resource: oktaResource({ domain: 'bench.okta.com' }), scope: { name: 'bench' } };

/**
 * Heap per open group of one stateful rule that never fires: one group per user (or address), one
 * event each. With `entities: false` the events name no alert entity (the group keeps none).
 */
export async function bytesPerGroup(
  correlate: Record<string, unknown>,
  groups: number,
  context = CONTEXT,
  options: { entities?: boolean } = {},
): Promise<number | string> {
  const entities = options.entities ?? true;
  const rule = compileRule(
    ruleSchema.parse({
      id: 'bench-groups',
      name: 'bench',
      description: 'bench',
      severity: 'low',
      threat: [{ tactic: { id: 'TA0006', name: 'Credential Access' } }],
      match: { '==': [{ var: 'eventType' }, 'user.session.start'] },
      group_by: ['actor.alternateId'],
      correlate,
      tests: [{ name: 't', events: [{ eventType: 'x' }], expect: 'no_alert' }],
    }),
    'bench',
  );
  const base = Date.parse('2026-11-20T00:00:00Z');
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return 'run with --expose-gc';
  // Measured once the records are gone: every string the state keeps (group keys, uuids) counts,
  // and nothing the records alone hold does.
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((r) => setImmediate(r));
    }
  };
  const engine = new DetectionEngine({
    rules: [rule],
    suppressionWindowMs: 1,
    maxAlertEventUuids: 20,
    maxSuppressionEntries: 1,
    errorMode: 'propagate',
    maxGroupsPerRule: groups * 2,
    allowedLatenessMs: 0,
    now: () => base,
  });
  await settle();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < groups; i++) {
    const uuid = `5f1c2d3e-${String(i).padStart(8, '0')}-11ee-9a1b-2c3d4e5f6a7b`;
    engine.evaluate(
      logEventToRecord(
        JSON.parse(
          JSON.stringify({
            uuid,
            published: new Date(base + i).toISOString(),
            eventType: 'user.session.start',
            actor: { id: `00u${i}`, type: entities ? 'User' : 'Service', alternateId: `user${i}@example.com` },
            ...(entities
              ? { client: { ipAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` } }
              : { debugContext: { debugData: { clientAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` } } }),
          }),
        ) as never,
        context,
      ),
    );
  }
  await settle();
  const withState = process.memoryUsage().heapUsed;
  if (engine.stateSizes()['bench-groups'] !== groups) throw new Error('bench: not every group stayed open');
  return Math.round((withState - before) / groups);
}

/**
 * The same events through the processor with the shipped pack, re-stamped at 3 to 2 000 events
 * per second of event time: more events per correlation window means more open state and a
 * deeper reorder buffer. Flat µs/event is the goal. Each figure covers the events' whole
 * detection cost, from the first batch to the end of shutdown. Minimum and median of 5.
 */
async function perEventCostByRate(events: readonly Record<string, unknown>[], rates: number[]): Promise<Record<string, { min: number; median: number }>> {
  const base = Date.parse('2026-11-20T00:00:00Z');
  const byRate = rates.map((rate) =>
    events.map((e, i) => logEventToRecord({ ...e, published: new Date(base + Math.floor((i * 1000) / rate)).toISOString() } as never, CONTEXT)),
  );
  const once = async (records: LogRecord[]) => {
    const processor = detectionProcessorFactory.create(
      testSettings('processor', 'detection'),
      detectionConfigSchema.parse({ rules: [OKTA_RULES_DIR], log_alerts: false, idle_after: '0s' }),
      { consume: async () => undefined },
    );
    await processor.start(testHost());
    const ms = await timeBatches(records, (b) => processor.consume(b));
    // Shutdown is timed too: it correlates what still waits in the reorder buffers. At 1 000/s and
    // more, the whole run is shorter than allowed_lateness (1 min), so that is every event's
    // correlation; leaving it out made the high rates look a third cheaper than they are.
    const start = process.hrtime.bigint();
    await processor.shutdown();
    const shutdownMs = Number(process.hrtime.bigint() - start) / 1e6;
    return ((ms + shutdownMs) * 1000) / records.length;
  };
  for (const records of byRate) await once(records); // warm-up: every rate's code paths compiled before timing
  const runs: number[][] = rates.map(() => []);
  // Rounds interleave the rates, so load from elsewhere on the machine spreads over all of them.
  for (let round = 0; round < 5; round++) for (const [i, records] of byRate.entries()) runs[i]!.push(await once(records));
  // The minimum of 5 is the least disturbed by other load on a shared machine; the median is shown too.
  return Object.fromEntries(
    rates.map((rate, i) => {
      const sorted = runs[i]!.sort((a, b) => a - b);
      return [`${rate}/s`, { min: Number(sorted[0]!.toFixed(2)), median: Number(sorted[2]!.toFixed(2)) }];
    }),
  );
}

/** Throughput with the idle-watermark timer armed (1 s checks) and without; medians of 5 alternating runs. */
async function idleTimerCost(records: LogRecord[]): Promise<Record<string, number>> {
  const run = async (idle: string) => {
    const processor = detectionProcessorFactory.create(
      testSettings('processor', 'detection'),
      detectionConfigSchema.parse({ rules: [OKTA_RULES_DIR], log_alerts: false, idle_after: idle }),
      { consume: async () => undefined },
    );
    await processor.start(testHost());
    // Yield between batches so the timer's callbacks actually run during the measurement.
    const ms = await timeBatches(records, async (b) => {
      await processor.consume(b);
      await new Promise((r) => setImmediate(r));
    });
    await processor.shutdown();
    return records.length / (ms / 1000);
  };
  const on: number[] = [];
  const off: number[] = [];
  for (let round = 0; round < 5; round++) {
    off.push(await run('0s'));
    on.push(await run('200ms'));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[2]!;
  return { timerOffEventsPerSec: Math.round(median(off)), timerOnEventsPerSec: Math.round(median(on)), ratio: Number((median(on) / median(off)).toFixed(3)) };
}
