import { z } from 'zod';
import { duration } from '@oktel/core';
import { OKTA_RULES_DIR } from '@oktel/rules-okta';
import { describeIssue, loadRules, type LoadedRules } from './rules/load-rules.js';

export const detectionConfigSchema = z
  .strictObject({
    rules: z.array(z.string().min(1)).optional().describe('Rule files, directories (every *.yaml inside, recursively) and globs. Without it the shipped Okta pack (@oktel/rules-okta) is loaded.'),
    suppression_window: duration().prefault('1h').describe('Default window in which a rule alerts once per group; later hits are counted and reported in one follow-up alert. A rule may set its own suppression.window.'),
    max_alert_event_uuids: z.number().int().min(1).max(1000).default(20).describe('Contributing event uuids listed in an alert.'),
    max_suppression_groups: z.number().int().min(1).default(100_000).describe('Open suppression windows kept; the oldest is dropped beyond this (counted as evictions).'),
    log_alerts: z.boolean().default(true).describe("Also write one line per alert to oktel's own log (alerts are rare; raw matches are never logged)."),
    error_mode: z.enum(['ignore', 'propagate']).default('ignore').describe('When a rule throws on an event: ignore counts it (rule_errors) and goes on; propagate fails the batch.'),
  })
  .transform((config, ctx) => {
    const sources = config.rules ?? [OKTA_RULES_DIR];
    const { loaded, issues } = loadRules(sources);
    if (!loaded) {
      for (const issue of issues) ctx.addIssue({ code: 'custom', path: config.rules ? ['rules'] : [], message: describeIssue(issue) });
      return z.NEVER;
    }
    return { ...config, loaded: loaded as LoadedRules };
  });

export type DetectionConfig = z.output<typeof detectionConfigSchema>;
