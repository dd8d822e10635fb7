// Events/s through the detection processor with the shipped pack, against no processor and a naive
// json-logic-js loop over the same rules; and heap per open correlation group.
import jsonLogic from 'json-logic-js';
import type { LogBatch, LogRecord } from '@oktel/core';
import { OKTA_OPERATIONS } from '@oktel/jsonlogic';
import { logEventToRecord, oktaResource } from '@oktel/okta-log-event';
import { compileRule, detectionConfigSchema, detectionProcessorFactory, DetectionEngine, ruleSchema } from '@oktel/processor-detection';
import { generateActivity, SCENARIOS } from '@oktel/okta-simulator';
import { testHost, testSettings } from '@oktel/testkit';

const BATCH = 500;

async function timeBatches(records: LogRecord[], consume: (batch: LogBatch) => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < records.length; i += BATCH) await consume(records.slice(i, i + BATCH));
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function runDetectionBenchmark(options: { events: number; groups: number }) {
  const { events } = generateActivity({ seed: 11, start: Date.parse('2026-11-20T00:00:00Z'), signIns: Math.ceil(options.events / 6), meanGapMs: 5000, scenarios: [...SCENARIOS, ...SCENARIOS] });
  const context = { resource: oktaResource({ domain: 'bench.okta.com' }), scope: { name: 'bench' } };
  const records = events.slice(0, options.events).map((e) => logEventToRecord(e, context));

  let delivered = 0;
  const sink = { consume: async (batch: LogBatch) => void (delivered += batch.length) };
  const noProcessorMs = await timeBatches(records, sink.consume);

  const config = detectionConfigSchema.parse({ log_alerts: false });
  const processor = detectionProcessorFactory.create(testSettings('processor', 'detection'), config, sink);
  await processor.start(testHost());
  await timeBatches(records.slice(0, 2000), (b) => processor.consume(b)); // warm-up
  delivered = 0;
  const processorMs = await timeBatches(records, (b) => processor.consume(b));
  await processor.shutdown();

  for (const [name, op] of Object.entries(OKTA_OPERATIONS)) if (name !== 'regex' && name !== 'cidr') jsonLogic.add_operation(name, op.prepare([], name) as never);
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

  // Heap per open correlation group: a threshold rule that never fires, one group per user.
  const rule = compileRule(ruleSchema.parse({
    id: 'bench-threshold', name: 'bench', description: 'bench', severity: 'low',
    threat: [{ tactic: { id: 'TA0006', name: 'Credential Access' } }],
    match: { '==': [{ var: 'eventType' }, 'user.session.start'] },
    group_by: ['actor.alternateId'],
    correlate: { type: 'threshold', window: '24h', count: 1_000_000 },
    tests: [{ name: 't', events: [{ eventType: 'x' }], expect: 'no_alert' }],
  }), 'bench');
  const engine = new DetectionEngine({ rules: [rule], suppressionWindowMs: 1, maxAlertEventUuids: 1, maxSuppressionEntries: 1, errorMode: 'propagate', maxGroupsPerRule: options.groups * 2, allowedLatenessMs: 0 });
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const base = Date.parse('2026-11-20T00:00:00Z');
  for (let i = 0; i < options.groups; i++) {
    engine.evaluate(logEventToRecord({ uuid: `u${i}`, published: new Date(base + i).toISOString(), eventType: 'user.session.start', actor: { id: `00u${i}`, type: 'User', alternateId: `user${i}@example.com` } }, context));
  }
  gc?.();
  const after = process.memoryUsage().heapUsed;

  const perSec = (n: number, ms: number) => Math.round(n / (ms / 1000));
  return {
    rules: config.loaded.rules.length,
    events: records.length,
    noProcessorEventsPerSec: perSec(records.length, noProcessorMs),
    detectionEventsPerSec: perSec(records.length, processorMs),
    naiveJsonLogicEventsPerSec: perSec(records.length, naiveMs),
    detectionVsNaive: Number((naiveMs / processorMs).toFixed(1)),
    openGroups: engine.stateSizes()['bench-threshold'],
    bytesPerGroup: gc ? Math.round((after - before) / options.groups) : 'run with --expose-gc',
  };
}
