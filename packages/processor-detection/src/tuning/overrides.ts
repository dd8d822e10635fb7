import { compileRule, type CompiledRule } from '../rules/compiled-rule.js';
import { SIGMA_RULES } from '../rules/load-sigma.js';
import type { RuleDefinition } from '../rules/rule-schema.js';
import type { OverrideSpec } from './tuning-schema.js';

/** A fault in an override: the key path under `overrides.<rule id>` and why. */
export interface OverrideProblem {
  path: (string | number)[];
  message: string;
}

/**
 * The rule as the site runs it: the shipped definition with the override's values. Fields were
 * validated by the rule's own schemas; here only what depends on the rule is checked (a count
 * for a threshold rule, a window for a stateful one). Returns undefined for a disabled rule.
 */
export function applyOverride(rule: CompiledRule, override: OverrideSpec, problems: OverrideProblem[]): CompiledRule | undefined {
  if (override.enabled === false) return undefined;
  const d = rule.definition;
  const definition: RuleDefinition = { ...d };
  if (override.severity !== undefined) definition.severity = override.severity;
  if (override.risk_score !== undefined) definition.risk_score = override.risk_score;
  if (override.tags !== undefined) definition.tags = [...new Set([...d.tags, ...override.tags])];
  if (override.suppression !== undefined) definition.suppression = { ...d.suppression, window: override.suppression.window };
  const c = override.correlate;
  if (c !== undefined) {
    if (!d.correlate) {
      problems.push({ path: ['correlate'], message: `rule ${d.id} is not a stateful rule (it has no correlate)` });
      return rule;
    }
    const next = { ...d.correlate };
    if (c.window !== undefined) {
      // new_terms has a history window instead, a setting of another meaning: not overridable as `window`.
      if ('window' in next) next.window = c.window;
      else problems.push({ path: ['correlate', 'window'], message: `window does not apply to ${next.type} rules (rule ${d.id})` });
    }
    if (c.count !== undefined) {
      if (next.type === 'threshold') next.count = c.count;
      else problems.push({ path: ['correlate', 'count'], message: `count applies to threshold rules; rule ${d.id} is ${next.type}` });
    }
    if (c.distinct !== undefined) {
      if (next.type === 'value_count') next.distinct = c.distinct;
      else problems.push({ path: ['correlate', 'distinct'], message: `distinct applies to value_count rules; rule ${d.id} is ${next.type}` });
    }
    definition.correlate = next;
  }
  return withLoaderAdditions(compileRule(definition, rule.file), rule);
}

/**
 * An override changes neither `match` nor `group_by`, so what the loader added beyond the
 * definition stays: a Sigma correlation's alias readers (its group-by values come from a different
 * field per referenced rule) and its Sigma tag attributes. Without them an aliased correlation
 * read its alias name as an event path, found nothing, and never fired.
 */
function withLoaderAdditions(compiled: CompiledRule, original: CompiledRule): CompiledRule {
  const added = Object.entries(original.tagAttributes).filter(([key]) => !Object.hasOwn(compiled.tagAttributes, key));
  const rule: CompiledRule = {
    ...compiled,
    groupBy: original.groupBy,
    groupBySignature: original.groupBySignature,
    tagAttributes: { ...compiled.tagAttributes, ...Object.fromEntries(added) },
  };
  if (SIGMA_RULES.has(original)) SIGMA_RULES.add(rule);
  return rule;
}

/**
 * What correlation state depends on: the rule's identity and correlation settings. Two loads
 * with the same fingerprint can share state across a reload; anything else starts empty.
 */
export function correlationFingerprint(rule: CompiledRule): string | undefined {
  const d = rule.definition;
  if (!d.correlate) return undefined;
  return JSON.stringify([d.id, d.version, d.match, d.group_by, d.correlate]);
}
