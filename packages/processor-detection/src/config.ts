import { z } from 'zod';
import { duration, extensionId } from '@oktel/core';
import { OKTA_RULES_DIR } from '@oktel/rules-okta';
import { describeIssue, loadRules, type LoadedRules } from './rules/load-rules.js';
import { sigmaConfigSchema } from './rules/load-sigma.js';

export const detectionConfigSchema = z
  .strictObject({
    rules: z.array(z.string().min(1)).optional().describe('Rule files, directories (every *.yaml inside, recursively) and globs. Without it the shipped Okta pack (@oktel/rules-okta) is loaded.'),
    suppression_window: duration().prefault('1h').describe('Default window in which a rule alerts once per group; later hits are counted and reported in one follow-up alert. A rule may set its own suppression.window.'),
    max_alert_event_uuids: z.number().int().min(1).max(1000).default(20).describe('Contributing event uuids listed in an alert.'),
    max_suppression_groups: z.number().int().min(1).default(100_000).describe('Open suppression windows kept; the oldest is dropped beyond this (counted as evictions).'),
    allowed_lateness: duration().prefault('1m').describe('Stateful rules: how far out of event-time order events may arrive and still be correlated in order (they wait this long in a reorder buffer).'),
    max_groups_per_rule: z.number().int().min(1).default(10_000).describe('Stateful rules: open groups kept per rule; the least recently used is evicted beyond this (counted as state_evictions).'),
    storage: extensionId().optional().describe('Storage extension that keeps correlation state across restarts (saved every state_save_interval and at shutdown). Without it, open windows are judged at shutdown, as a finite replay wants.'),
    state_save_interval: duration().prefault('10s').describe('How often correlation state is saved to storage while running.'),
    log_alerts: z.boolean().default(true).describe("Also write one line per alert to oktel's own log (alerts are rare; raw matches are never logged)."),
    error_mode: z.enum(['ignore', 'propagate']).default('ignore').describe('When a rule throws on an event: ignore counts it (rule_errors) and goes on; propagate fails the batch.'),
    sigma: sigmaConfigSchema.optional(),
  })
  .transform((config, ctx) => {
    const sources = config.rules ?? [OKTA_RULES_DIR];
    const { loaded, issues } = loadRules(sources, config.sigma);
    if (!loaded) {
      for (const issue of issues) ctx.addIssue({ code: 'custom', path: config.rules ? ['rules'] : [], message: describeIssue(issue) });
      return z.NEVER;
    }
    return { ...config, loaded: loaded as LoadedRules };
  });

export type DetectionConfig = z.output<typeof detectionConfigSchema>;
