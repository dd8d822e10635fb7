import type { CompiledRule } from '../rules/compiled-rule.js';
import { runRuleTest, type RuleTestResult } from '../rules/rule-tests.js';
import type { DetectionSet } from './detection-set.js';
import { ExceptionIndex } from './exceptions.js';
import { withLists } from './in-list.js';

/**
 * A rule test judged twice, as shipped and as the site runs it: `turned_off` is a test that
 * passes as shipped and fails with the site's exceptions and overrides (the tuning silences
 * what the test proves), `disabled` a test of a rule an override disables. Neither is a failure
 * of the rule; both are what a team must see before trusting its tuning.
 */
export interface TunedTestResult extends RuleTestResult {
  status: 'pass' | 'fail' | 'turned_off' | 'disabled';
  /** For turned_off: the exceptions that excluded a match, and whether an override changed the rule. */
  by?: string;
}

export function runTunedRuleTests(set: DetectionSet): TunedTestResult[] {
  const tuned = new Map(set.rules.map((r) => [r.definition.id, r]));
  let excludedBy = new Set<string>();
  const index = new ExceptionIndex(set.rules, set.exceptions, { now: Date.now, onExcluded: (_rule, e) => excludedBy.add(e.id), onExpired: () => undefined });
  const results: TunedTestResult[] = [];
  withLists(set.lists, () => {
    for (const shipped of set.untuned) {
      const rule: CompiledRule | undefined = tuned.get(shipped.definition.id);
      for (const test of shipped.definition.tests) {
        const plain = runRuleTest(shipped, test);
        if (!plain.passed) {
          results.push({ ...plain, status: 'fail' });
          continue;
        }
        if (!rule) {
          results.push({ ...plain, status: 'disabled', detail: 'rule disabled by an override', by: 'override enabled: false' });
          continue;
        }
        excludedBy = new Set();
        const withTuning = runRuleTest(rule, test, { excludes: (r, ctx) => index.excludes(r, ctx) });
        if (withTuning.passed) {
          results.push({ ...withTuning, status: 'pass' });
          continue;
        }
        const reasons = [...[...excludedBy].map((id) => `exception ${id}`), ...(rule !== shipped ? ['override'] : [])];
        results.push({
          ...withTuning,
          status: 'turned_off',
          by: reasons.join(', ') || 'tuning',
          detail: `passes as shipped; with tuning: ${withTuning.detail}`,
        });
      }
    }
  });
  return results;
}

const LABEL: Record<TunedTestResult['status'], string> = { pass: 'PASS', fail: 'FAIL', turned_off: 'OFF', disabled: 'DISABLED' };

export function renderTunedTestTable(results: readonly TunedTestResult[]): string {
  const rows = results.map((r) => [LABEL[r.status], r.rule, r.test, r.expect, r.by ? `${r.detail} (${r.by})` : r.detail]);
  const widths = [8, ...[1, 2, 3].map((i) => Math.min(60, Math.max(...rows.map((row) => row[i]!.length), 4)))];
  const lines = rows.map((row) => row.map((c, i) => (i < 4 ? c.slice(0, widths[i]).padEnd(widths[i]!) : c)).join('  '));
  const n = (s: TunedTestResult['status']): number => results.filter((r) => r.status === s).length;
  return [
    ...lines,
    '',
    `${n('pass')} passed, ${n('fail')} failed, ${n('turned_off')} turned off by tuning (OFF), ${n('disabled')} in rules the tuning disables`,
  ].join('\n');
}
