import { z } from 'zod';
import { duration } from '@oktel/core';
import { SEVERITIES } from './severity.js';
import { impossibleTravelSchema, newTermsSchema } from './correlation-types-schema.js';

const technique = z.strictObject({
  id: z.string().regex(/^T\d{4}$/, 'a technique id looks like T1078'),
  name: z.string().min(1),
  subtechniques: z
    .array(z.strictObject({ id: z.string().regex(/^T\d{4}\.\d{3}$/, 'a sub-technique id looks like T1078.004'), name: z.string().min(1) }))
    .default([]),
});

export const threatSchema = z.strictObject({
  framework: z.literal('MITRE ATT&CK').default('MITRE ATT&CK'),
  tactic: z.strictObject({ id: z.string().regex(/^TA\d{4}$/, 'a tactic id looks like TA0001'), name: z.string().min(1) }),
  techniques: z.array(technique).default([]),
});

const jsonLogic = z.custom<unknown>((v) => v !== undefined, 'a JsonLogic expression is required');

/** A test case embedded in the rule: events in, the expected outcome out. */
export const ruleTestSchema = z.strictObject({
  name: z.string().min(1),
  events: z.array(z.record(z.string(), z.unknown())).min(1),
  expect: z.enum(['match', 'no_match', 'alert', 'no_alert']),
  /** For `alert`: the group-by values the alert must carry. */
  group: z.record(z.string(), z.unknown()).optional(),
});

const step = z.strictObject({
  name: z.string().min(1),
  match: jsonLogic,
  min_count: z.number().int().min(1).default(1),
});

const aggregateSpec = z.union([
  z.strictObject({ count: z.strictObject({ match: jsonLogic.optional() }) }),
  z.strictObject({ distinct: z.string().min(1) }),
  z.strictObject({ sum: z.string().min(1) }),
  z.strictObject({ min: z.string().min(1) }),
  z.strictObject({ max: z.string().min(1) }),
  z.strictObject({ values: z.string().min(1) }),
]);

/** Stateful rules: what to count per group within an event-time window. */
export const correlateSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('threshold'), window: duration(), count: z.number().int().min(1) }),
  z.strictObject({ type: z.literal('value_count'), window: duration(), field: z.string().min(1), distinct: z.number().int().min(1) }),
  z.strictObject({ type: z.literal('sequence'), window: duration(), steps: z.array(step).min(2, 'a sequence needs at least two steps') }),
  z.strictObject({
    type: z.literal('aggregate'),
    window: duration(),
    aggregates: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/), aggregateSpec),
    condition: jsonLogic,
  }),
  newTermsSchema,
  impossibleTravelSchema,
]);

export const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,99}$/, 'a rule id is lower-case letters, digits and dashes'),
  name: z.string().min(1),
  description: z.string().min(1),
  version: z.number().int().min(1).default(1),
  severity: z.enum(SEVERITIES),
  risk_score: z.number().int().min(0).max(100).optional(),
  threat: z.array(threatSchema).min(1, 'map the rule to at least one ATT&CK tactic'),
  tags: z.array(z.string()).default([]),
  references: z.array(z.string()).default([]),
  false_positives: z.array(z.string()).default([]),
  author: z.string().default('oktel'),
  match: jsonLogic,
  group_by: z.array(z.string().min(1)).default([]),
  correlate: correlateSchema.optional(),
  suppression: z.strictObject({ window: duration().optional() }).default({}),
  tests: z.array(ruleTestSchema).min(1, 'every rule carries tests: at least one event that must match and one that must not'),
});

export type RuleDefinition = z.output<typeof ruleSchema>;
export type RuleTest = z.output<typeof ruleTestSchema>;
export type Threat = z.output<typeof threatSchema>;
export type Correlate = z.output<typeof correlateSchema>;
