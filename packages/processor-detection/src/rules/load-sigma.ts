import type { AnyValue } from '@opentelemetry/api-logs';
import { compile, pathReader, truthy } from '@oktel/jsonlogic';
import { compileSigmaFiles, DEFAULT_SKIP_STATUSES, type CompiledSigmaRule, type Placeholders, type SigmaOutcome } from '@oktel/sigma';
import { z } from 'zod';
import { ATTACK_VERSION, TACTICS, TECHNIQUES } from '../attack/attack-v19.js';
import { compileRule, RuleLogicError, type CompiledRule } from './compiled-rule.js';
import { RuleContext, ruleScope } from './rule-context.js';
import { ruleSchema, ruleTestSchema, threatSchema } from './rule-schema.js';

/** The `sigma:` block of the detection processor config. */
export const sigmaConfigSchema = z
  .strictObject({
    placeholders: z
      .record(z.string(), z.union([z.string(), z.array(z.string())]))
      .default({})
      .describe(
        'Values for Sigma placeholders (`field|expand: %name%`): a string or a list (OR-ed). A rule using a placeholder not listed here is refused, naming it.',
      ),
    skip_statuses: z
      .array(z.string())
      .default([...DEFAULT_SKIP_STATUSES])
      .describe('Sigma rules with one of these `status` values are skipped (counted in the load report).'),
  })
  .describe('Sigma rules found among `rules:` (detected by content): placeholders and the status filter.');

export type SigmaConfig = z.output<typeof sigmaConfigSchema>;

/** Sigma rules carry no tests and may lack ATT&CK tactics: both are lint findings, not load faults. */
const sigmaRuleSchema = ruleSchema.extend({ threat: z.array(threatSchema).default([]), tests: z.array(ruleTestSchema).default([]) });

/** Rules that came from Sigma files, so `rules lint` can judge them as Sigma. */
export const SIGMA_RULES = new WeakSet<CompiledRule>();

function withSigma(rule: CompiledRule, sigma: CompiledSigmaRule): CompiledRule {
  const groupBy = rule.groupBy.map((g) => {
    const alias = sigma.aliases.find((a) => a.key === g.path);
    if (!alias) return g;
    // Sigma aliases: the group key is read from the field of whichever referenced rule the event matches.
    const sources = alias.sources.map((s) => ({ matches: compile(s.match, { scope: ruleScope }), read: pathReader(s.path, null) }));
    return {
      path: g.path,
      read: (event: unknown) => {
        const ctx = new RuleContext(event, {}, {});
        for (const s of sources) if (truthy(s.matches(ctx))) return s.read(event);
        return null;
      },
    };
  });
  const extra: Record<string, AnyValue> = { 'security_rule.ruleset': 'sigma', 'security_rule.author': rule.definition.author };
  if (sigma.sigma.id) extra['security_rule.id'] = sigma.sigma.id;
  if (rule.definition.references.length > 0) extra['security_rule.references'] = rule.definition.references;
  if (rule.definition.false_positives.length > 0) extra['security_rule.false_positives'] = rule.definition.false_positives;
  // Aliased group_by values are read by this rule's own readers: its values are not shared with
  // other rules that group by the same paths.
  const aliased = groupBy.some((g, i) => g !== rule.groupBy[i]);
  const groupBySignature = aliased ? JSON.stringify(['sigma-aliases', rule.definition.id, rule.definition.group_by]) : rule.groupBySignature;
  const compiled = { ...rule, groupBy, groupBySignature, tagAttributes: { ...rule.tagAttributes, ...extra } };
  SIGMA_RULES.add(compiled);
  return compiled;
}

/**
 * Compiles the Sigma files among the rule sources into rules of the same engine. Each Sigma
 * document gets an outcome (loaded / skipped / refused, with file, line and reason): a refused
 * rule is reported, never fatal, so the others still run.
 */
export function loadSigmaRules(
  files: readonly { file: string; text: string }[],
  config: SigmaConfig | undefined,
  seen: Map<string, string>,
): { rules: CompiledRule[]; outcomes: SigmaOutcome[] } {
  const compiled = compileSigmaFiles(files, {
    attack: { version: ATTACK_VERSION, tactics: TACTICS, techniques: TECHNIQUES },
    placeholders: (config?.placeholders ?? {}) as Placeholders,
    skipStatuses: config?.skip_statuses ?? DEFAULT_SKIP_STATUSES,
  });
  const outcomes = [
    ...compiled.outcomes,
    ...compiled.problems.map((p): SigmaOutcome => ({ file: p.file, line: p.line, title: '(document)', outcome: 'refused', reason: p.message, warnings: [] })),
  ];
  const refuse = (sigma: CompiledSigmaRule, reason: string): void => {
    const outcome = outcomes.find((o) => o.file === sigma.file && o.title === sigma.sigma.title && o.outcome === 'loaded');
    if (outcome) Object.assign(outcome, { outcome: 'refused', reason });
  };
  const rules: CompiledRule[] = [];
  for (const sigma of compiled.rules) {
    const parsed = sigmaRuleSchema.safeParse(sigma.definition);
    if (!parsed.success) {
      refuse(sigma, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      continue;
    }
    const previous = seen.get(parsed.data.id);
    if (previous) {
      refuse(sigma, `the id ${parsed.data.id} is already used by ${previous}`);
      continue;
    }
    try {
      rules.push(withSigma(compileRule(parsed.data, sigma.file), sigma));
      seen.set(parsed.data.id, sigma.file);
    } catch (err) {
      if (!(err instanceof RuleLogicError)) throw err;
      refuse(sigma, `${err.field.join('.')}${err.logicPath ? ` at ${err.logicPath}` : ''}: ${err.reason}`);
    }
  }
  return { rules, outcomes };
}
