import type { AnyValue } from '@opentelemetry/api-logs';
import { errorMessage, type LogRecord } from '@oktel/core';
import { logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import { groupAttributeName } from '../alert-record.js';
import { DetectionEngine, type EngineOptions } from '../engine.js';
import type { CompiledRule } from './compiled-rule.js';
import type { RuleTest } from './rule-schema.js';

export interface RuleTestResult {
  rule: string;
  file: string;
  test: string;
  expect: RuleTest['expect'];
  passed: boolean;
  detail: string;
}

const BASE_TIME = Date.parse('2026-01-15T12:00:00.000Z');
const context = { resource: oktaResource({ domain: 'test.okta.com' }), scope: { name: 'oktel-rule-tests' }, observedAtMs: BASE_TIME };

/** Test events may leave out uuid and published; they get a uuid and one second apart. */
function toRecords(events: readonly Record<string, unknown>[]): LogRecord[] {
  return events.map((e, i) =>
    logEventToRecord({ uuid: `test-event-${i + 1}`, published: new Date(BASE_TIME + i * 1000).toISOString(), ...e } as OktaLogEvent, context),
  );
}

export interface RuleTestOptions {
  /** Site exceptions (tuning) to apply, as the processor does. */
  excludes?: EngineOptions['excludes'];
}

/** Runs one embedded test of a rule (with a site's exceptions when given). */
export function runRuleTest(rule: CompiledRule, test: RuleTest, options: RuleTestOptions = {}): RuleTestResult {
  const base = { rule: rule.definition.id, file: rule.file, test: test.name, expect: test.expect };
  try {
    const engine = new DetectionEngine({
      rules: [rule],
      suppressionWindowMs: 3_600_000,
      maxAlertEventUuids: 20,
      maxSuppressionEntries: 10_000,
      errorMode: 'propagate',
      ...(options.excludes ? { excludes: options.excludes } : {}),
    });
    const records = toRecords(test.events);
    const matches = records.map((r) => engine.evaluate(r));
    const alerts = [...matches.flatMap((m) => m.alerts), ...engine.flush()];
    const matchedCount = matches.filter((m) => m.matched.length > 0).length;
    switch (test.expect) {
      case 'match':
        return { ...base, passed: matchedCount === records.length, detail: `${matchedCount} of ${records.length} events matched` };
      case 'no_match':
        return { ...base, passed: matchedCount === 0, detail: `${matchedCount} of ${records.length} events matched` };
      case 'no_alert':
        return { ...base, passed: alerts.length === 0, detail: `${alerts.length} alerts` };
      case 'alert': {
        if (alerts.length === 0) return { ...base, passed: false, detail: 'no alert' };
        const mismatch = Object.entries(test.group ?? {}).find(
          ([path, value]) => !alerts.some((a) => (a.attributes[groupAttributeName(path)] as AnyValue) === value),
        );
        return mismatch
          ? { ...base, passed: false, detail: `no alert has ${groupAttributeName(mismatch[0])}=${JSON.stringify(mismatch[1])}` }
          : { ...base, passed: true, detail: `${alerts.length} alert(s)` };
      }
    }
  } catch (err) {
    return { ...base, passed: false, detail: `threw: ${errorMessage(err)}` };
  }
}

/** Runs every rule's embedded tests. */
export function runRuleTests(rules: readonly CompiledRule[]): RuleTestResult[] {
  return rules.flatMap((rule) => rule.definition.tests.map((test) => runRuleTest(rule, test)));
}

/** A rule must prove it fires and that it stays silent. */
export function missingTestKinds(rule: CompiledRule): string[] {
  const kinds = new Set(rule.definition.tests.map((t) => t.expect));
  const missing: string[] = [];
  if (!kinds.has('match') && !kinds.has('alert')) missing.push('a positive test (match or alert)');
  if (!kinds.has('no_match') && !kinds.has('no_alert')) missing.push('a negative test (no_match or no_alert)');
  return missing;
}

export function renderTestTable(results: readonly RuleTestResult[]): string {
  const rows = results.map((r) => [r.passed ? 'PASS' : 'FAIL', r.rule, r.test, r.expect, r.detail]);
  const widths = [4, ...[1, 2, 3].map((i) => Math.min(60, Math.max(...rows.map((row) => row[i]!.length), 4)))];
  const lines = rows.map((row) => row.map((c, i) => (i < 4 ? c.slice(0, widths[i]).padEnd(widths[i]!) : c)).join('  '));
  const passed = results.filter((r) => r.passed).length;
  return [...lines, '', `${passed} passed, ${results.length - passed} failed`].join('\n');
}
