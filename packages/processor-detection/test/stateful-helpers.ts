import { parse } from 'yaml';
import { compileRule, DetectionEngine, ruleSchema, type CompiledRule } from '@oktel/processor-detection';

/** A rule on failed or successful sign-ins; with `correlate` (YAML), a stateful one. */
export function correlatedRule(
  correlate: string | undefined,
  match = '{ "==": [{ var: eventType }, "user.session.start"] }',
  groupBy = '[actor.alternateId]',
  id = 'test-rule',
): CompiledRule {
  const yaml = `id: ${id}
name: Test rule
description: d
severity: medium
threat: [{ tactic: { id: TA0006, name: Credential Access } }]
match: ${match}
group_by: ${groupBy}
${correlate === undefined ? '' : `correlate:\n${correlate.replace(/^/gm, '  ')}`}
tests: [{ name: t, events: [{ eventType: x }], expect: no_alert }]`;
  return compileRule(ruleSchema.parse(parse(yaml)), 'inline.yaml');
}

export function engineWith(rule: CompiledRule | CompiledRule[], extra: Partial<ConstructorParameters<typeof DetectionEngine>[0]> = {}): DetectionEngine {
  return new DetectionEngine({
    rules: Array.isArray(rule) ? rule : [rule],
    suppressionWindowMs: 1000,
    maxAlertEventUuids: 50,
    maxSuppressionEntries: 1000,
    errorMode: 'propagate',
    allowedLatenessMs: 0,
    ...extra,
  });
}

/** A sequence rule (two failures, then a success, per user) for the restart and journal tests. */
export const SEQUENCE_RULE = `id: seq-rule
name: Sequence rule
description: d
severity: high
threat: [{ tactic: { id: TA0006, name: Credential Access } }]
match: { "==": [{ var: eventType }, "user.session.start"] }
group_by: [actor.alternateId]
correlate:
  type: sequence
  window: 1h
  steps:
    - { name: denied, min_count: 2, match: { "==": [{ var: outcome.result }, "FAILURE"] } }
    - { name: success, match: { "==": [{ var: outcome.result }, "SUCCESS"] } }
tests: [{ name: t, events: [{ eventType: x }], expect: no_alert }]
`;
