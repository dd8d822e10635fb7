import { z } from 'zod';
import { duration, extensionId, size } from '@oktel/core';
import { describeIssue } from './rules/load-rules.js';
import { loadDetectionSet, type DetectionSet } from './tuning/detection-set.js';
import { sigmaConfigSchema } from './rules/load-sigma.js';

/**
 * The detection config schema, with the rule sources used when a config names none. The package
 * ships no rules itself: the oktel CLI passes the Okta pack (@oktel/rules-okta), so this package
 * never depends on the pack that depends on it.
 */
export function detectionConfigSchemaFor(defaultRules: readonly string[]) {
  return z
    .strictObject({
      rules: z
        .array(z.string().min(1))
        .optional()
        .describe('Rule files, directories (every *.yaml inside, recursively) and globs. Without it the shipped Okta pack (@oktel/rules-okta) is loaded.'),
      suppression_window: duration()
        .prefault('1h')
        .describe(
          'Default window in which a rule alerts once per group; later hits are counted and reported in one follow-up alert. A rule may set its own suppression.window.',
        ),
      max_alert_event_uuids: z.number().int().min(1).max(1000).default(20).describe('Contributing event uuids listed in an alert.'),
      max_suppression_groups: z
        .number()
        .int()
        .min(1)
        .default(100_000)
        .describe('Open suppression windows kept; the oldest is dropped beyond this (counted as evictions).'),
      allowed_lateness: duration()
        .prefault('1m')
        .describe(
          'Stateful rules: how far out of event-time order events may arrive and still be correlated in order (they wait this long in a reorder buffer).',
        ),
      max_groups_per_rule: z
        .number()
        .int()
        .min(1)
        .default(10_000)
        .describe('Stateful rules: open groups kept per rule; the least recently used is evicted beyond this (counted as state_evictions).'),
      storage: extensionId()
        .optional()
        .describe(
          'Storage extension that keeps correlation state across restarts (saved every state_save_interval and at shutdown). Without it, open windows are judged at shutdown, as a finite replay wants.',
        ),
      state_save_interval: duration().prefault('10s').describe('How often correlation state is saved to storage while running.'),
      idle_after: duration()
        .prefault('2s')
        .describe(
          'Idle source: once event time has not moved for this long, it moves on with the processing clock, so a stateful alert (threshold, value_count, sequence, or an aggregate window closing) comes out within allowed_lateness + idle_after + about a second, with no further events. 0s leaves event time to the events alone.',
        ),
      max_clock_skew: duration()
        .prefault('5m')
        .describe(
          'Events stamped further than this ahead of the processing clock do not move event time: they are correlated at the current event time and counted (future_events), so a wrong clock upstream can neither close windows early nor silence later alerts.',
        ),
      group_by_org: z
        .boolean()
        .default(true)
        .describe(
          "Make the org (the resource's okta.domain) part of every correlation and suppression key, so two orgs in one pipeline never share a group; every alert carries okta.domain.",
        ),
      max_window: duration()
        .prefault('30d')
        .describe('Longest correlation or suppression window a rule may declare; a rule asking for more is refused at load.'),
      max_items_per_group: z
        .number()
        .int()
        .min(1)
        .default(1000)
        .describe(
          'Largest threshold count or value_count distinct a rule may declare (refused at load beyond), and the distinct values an aggregate keeps per group.',
        ),
      max_buffered_events: z
        .number()
        .int()
        .min(1)
        .default(100_000)
        .describe(
          'Reorder buffer, per stateful rule: events waiting for allowed_lateness. Beyond this the oldest is correlated early (counted as reorder_overflows).',
        ),
      max_buffered_bytes: size()
        .prefault('32MiB')
        .describe('Reorder buffer, per stateful rule: estimated bytes of waiting events; beyond this the oldest is correlated early.'),
      max_state_bytes: size()
        .prefault('64MiB')
        .describe(
          'Largest correlation state written to or read from storage; beyond this the least recently used groups are left out of the save (counted, logged) and a larger saved file is set aside.',
        ),
      log_alerts: z.boolean().default(true).describe("Also write one line per alert to oktel's own log (alerts are rare; raw matches are never logged)."),
      error_mode: z
        .enum(['ignore', 'propagate'])
        .default('ignore')
        .describe('When a rule throws on an event: ignore counts it (rule_errors) and goes on; propagate fails the batch.'),
      sigma: sigmaConfigSchema.optional(),
      reload_on_change: z
        .boolean()
        .default(false)
        .describe(
          'Also reload (as on SIGHUP) when a loaded rule file, the tuning file or a list file changes (checked every 2s). A new file in a rules directory still needs SIGHUP.',
        ),
      tuning: z
        .string()
        .min(1)
        .optional()
        .describe(
          'Tuning file (YAML): shared lists, per-rule exceptions and overrides, applied without editing the rules (see "Tuning" in the README). Re-read with the rules on SIGHUP.',
        ),
    })
    .transform((config, ctx) => {
      if (!config.rules && defaultRules.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules'],
          message: 'no rule files: set rules (no default rule pack is registered here; the oktel CLI registers @oktel/rules-okta)',
        });
        return z.NEVER;
      }
      const { set, issues, rulesFailed } = loadDetectionSet(detectionSources(config, defaultRules));
      if (!set) {
        const path = rulesFailed ? (config.rules ? ['rules'] : []) : ['tuning'];
        for (const issue of issues) ctx.addIssue({ code: 'custom', path, message: describeIssue(issue) });
        return z.NEVER;
      }
      for (const problem of unboundedRules(set, config.max_window, config.max_items_per_group))
        ctx.addIssue({ code: 'custom', path: config.rules ? ['rules'] : [], message: problem });
      // The default pack is kept with the config: a reload reads the same sources again.
      return { ...config, loaded: set, defaultRules: [...defaultRules] };
    });
}

/** The detection config schema without a default rule pack: `rules` must be given. */
export const detectionConfigSchema = detectionConfigSchemaFor([]);

export type DetectionConfig = z.output<typeof detectionConfigSchema>;

/** Where the rules, Sigma rules and tuning come from: read at load and again on reload. */
export function detectionSources(
  config: { rules?: string[] | undefined; sigma?: DetectionConfig['sigma']; tuning?: string | undefined; defaultRules?: readonly string[] },
  defaultRules: readonly string[] = config.defaultRules ?? [],
): { rules: string[]; sigma: DetectionConfig['sigma']; tuning: string | undefined } {
  return { rules: config.rules ?? [...defaultRules], sigma: config.sigma, tuning: config.tuning };
}

function days(ms: number): string {
  return ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${ms}ms`;
}

/** Rules whose windows or counts would make state unbounded in practice: refused at load, with their file. */
export function unboundedRules(loaded: Pick<DetectionSet, 'rules'>, maxWindow: number, maxItems: number): string[] {
  const problems: string[] = [];
  for (const rule of loaded.rules) {
    const { id, correlate, suppression } = rule.definition;
    const where = `${rule.file}: rule ${id}`;
    if (correlate?.type === 'new_terms' && correlate.history_window > maxWindow)
      problems.push(`${where}: correlate.history_window ${days(correlate.history_window)} is longer than max_window (${days(maxWindow)})`);
    if (correlate && 'window' in correlate && correlate.window > maxWindow)
      problems.push(`${where}: correlate.window ${days(correlate.window)} is longer than max_window (${days(maxWindow)})`);
    if (suppression.window !== undefined && suppression.window > maxWindow)
      problems.push(`${where}: suppression.window ${days(suppression.window)} is longer than max_window (${days(maxWindow)})`);
    if (correlate?.type === 'threshold' && correlate.count > maxItems)
      problems.push(`${where}: correlate.count ${correlate.count} is more than max_items_per_group (${maxItems})`);
    if (correlate?.type === 'value_count' && correlate.distinct > maxItems)
      problems.push(`${where}: correlate.distinct ${correlate.distinct} is more than max_items_per_group (${maxItems})`);
  }
  return problems;
}
