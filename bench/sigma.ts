// Events/s through the detection engine with Sigma rules compiled by @oktel/sigma against the same
// detections written by hand as native JsonLogic rules: the Sigma path must cost no more per event.
import { logEventToRecord, oktaResource } from '@oktel/okta-log-event';
import { ATTACK_VERSION, compileRule, DetectionEngine, ruleSchema, TACTICS, TECHNIQUES, type CompiledRule } from '@oktel/processor-detection';
import { compileSigma, parseSigmaFile } from '@oktel/sigma';
import { generateActivity, SCENARIOS } from '@oktel/okta-simulator';

const THREAT = [{ tactic: { id: 'TA0006', name: 'Credential Access' }, techniques: [] }];
const TESTS = [{ name: 'x', events: [{ eventType: 'x' }], expect: 'no_match' }];

/** One detection in both forms: the Sigma detection block and the hand-written native match. */
function pair(i: number, eventType: string): { sigma: Record<string, unknown>; native: unknown; nativeInsensitive?: unknown } {
  switch (i % 4) {
    case 0:
      return {
        sigma: { sel: { eventType, 'outcome.result': 'FAILURE' }, condition: 'sel' },
        native: { and: [{ '==': [{ var: 'eventType' }, eventType] }, { '==': [{ var: 'outcome.result' }, 'FAILURE'] }] },
        // What Sigma means: the value compared case-insensitively.
        nativeInsensitive: { and: [{ '==': [{ var: 'eventType' }, eventType] }, { '==': [{ lower: [{ var: 'outcome.result' }] }, 'failure'] }] },
      };
    case 1:
      return {
        sigma: { sel: { eventType }, filter: { 'actor.alternateId|endswith': '@partner.example' }, condition: 'sel and not filter' },
        native: {
          and: [{ '==': [{ var: 'eventType' }, eventType] }, { '!': [{ endsWith: [{ lower: [{ var: 'actor.alternateId' }] }, '@partner.example'] }] }],
        },
      };
    case 2:
      return {
        sigma: { sel: { eventType, 'debugContext.debugData.requestUri|contains': '/admin' }, condition: 'sel' },
        native: { and: [{ '==': [{ var: 'eventType' }, eventType] }, { contains: [{ lower: [{ var: 'debugContext.debugData.requestUri' }] }, '/admin'] }] },
      };
    default:
      return {
        sigma: { sel: { eventType, 'client.ipAddress|cidr': ['10.0.0.0/8', '192.168.0.0/16'] }, condition: 'sel' },
        native: { and: [{ '==': [{ var: 'eventType' }, eventType] }, { cidr: [{ var: 'client.ipAddress' }, ['10.0.0.0/8', '192.168.0.0/16']] }] },
      };
  }
}

function eventsPerSecond(rules: CompiledRule[], records: ReturnType<typeof logEventToRecord>[], rounds: number): number {
  const engine = new DetectionEngine({ rules, suppressionWindowMs: 3_600_000, maxAlertEventUuids: 20, maxSuppressionEntries: 100_000, errorMode: 'ignore' });
  for (const r of records.slice(0, 2000)) engine.evaluate(r);
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (const r of records) engine.evaluate(r);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    best = Math.max(best, records.length / (ms / 1000));
  }
  return Math.round(best);
}

export function runSigmaBenchmark(options: { rules: number; events: number; rounds: number }) {
  const { events } = generateActivity({
    seed: 11,
    start: Date.parse('2026-11-20T00:00:00Z'),
    signIns: Math.ceil(options.events / 6),
    meanGapMs: 5000,
    scenarios: [...SCENARIOS, ...SCENARIOS],
  });
  const context = { resource: oktaResource({ domain: 'bench.okta.com' }), scope: { name: 'bench' } };
  const records = events.slice(0, options.events).map((e) => logEventToRecord(e, context));
  const eventTypes = [...new Set(events.map((e) => e.eventType))];
  const pairs = Array.from({ length: options.rules }, (_, i) => pair(i, eventTypes[i % eventTypes.length]!));

  const native = pairs.map((p, i) =>
    compileRule(
      ruleSchema.parse({ id: `native-${i}`, name: `native ${i}`, description: 'bench', severity: 'low', threat: THREAT, match: p.native, tests: TESTS }),
      'bench',
    ),
  );
  const nativeInsensitive = pairs.map((p, i) =>
    compileRule(
      ruleSchema.parse({
        id: `native-ci-${i}`,
        name: `native ci ${i}`,
        description: 'bench',
        severity: 'low',
        threat: THREAT,
        match: p.nativeInsensitive ?? p.native,
        tests: TESTS,
      }),
      'bench',
    ),
  );
  const text = pairs
    .map((p, i) =>
      JSON.stringify({
        title: `sigma ${i}`,
        id: `sigma-bench-${i}`,
        logsource: { product: 'okta' },
        tags: ['attack.credential-access'],
        detection: p.sigma,
        level: 'low',
      }),
    )
    .join('\n---\n');
  const compiled = compileSigma(parseSigmaFile('bench.yml', text).documents, { attack: { version: ATTACK_VERSION, tactics: TACTICS, techniques: TECHNIQUES } });
  const sigma = compiled.rules.map((r) => compileRule(ruleSchema.parse({ ...r.definition, tests: TESTS }), 'bench'));

  // A second, separately compiled copy of the native set: how far two identical sets differ here.
  const control = nativeInsensitive.map((r) => compileRule(r.definition, 'bench'));
  const runs = { native: [] as number[], nativeInsensitive: [] as number[], sigma: [] as number[], control: [] as number[] };
  // Rotated so that no set always runs first (warmer JIT) or last (more garbage to collect).
  const sets = [
    () => runs.native.push(eventsPerSecond(native, records, options.rounds)),
    () => runs.nativeInsensitive.push(eventsPerSecond(nativeInsensitive, records, options.rounds)),
    () => runs.sigma.push(eventsPerSecond(sigma, records, options.rounds)),
    () => runs.control.push(eventsPerSecond(control, records, options.rounds)),
  ];
  for (let i = 0; i < 6; i++) for (let j = 0; j < sets.length; j++) sets[(i + j) % sets.length]!();
  const best = (xs: number[]): number => Math.max(...xs);
  // The case-insensitive native set is what Sigma means; the compiler should produce exactly it.
  const identical = sigma.every((r, i) => JSON.stringify(r.definition.match) === JSON.stringify(nativeInsensitive[i]!.definition.match));
  const matchCount = (rules: CompiledRule[]): number => {
    const engine = new DetectionEngine({ rules, suppressionWindowMs: 3_600_000, maxAlertEventUuids: 20, maxSuppressionEntries: 100_000, errorMode: 'ignore' });
    return records.reduce((m, r) => m + engine.evaluate(r).matched.length, 0);
  };
  const ratio = (a: number[], b: number[]): number => Number((best(a) / best(b)).toFixed(3));
  return {
    rules: options.rules,
    events: records.length,
    sigma_logic_identical_to_native_case_insensitive: identical,
    matches: { native_case_sensitive: matchCount(native), native_case_insensitive: matchCount(nativeInsensitive), sigma: matchCount(sigma) },
    native_case_sensitive_events_per_s: best(runs.native),
    native_case_insensitive_events_per_s: best(runs.nativeInsensitive),
    sigma_events_per_s: best(runs.sigma),
    control_copy_events_per_s: best(runs.control),
    sigma_vs_native_case_insensitive: ratio(runs.sigma, runs.nativeInsensitive),
    sigma_vs_native_case_sensitive: ratio(runs.sigma, runs.native),
    control_copy_vs_native_case_insensitive: ratio(runs.control, runs.nativeInsensitive),
  };
}
