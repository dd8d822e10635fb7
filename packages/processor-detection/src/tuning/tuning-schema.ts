import { z } from 'zod';
import { duration } from '@oktel/core';
import { ruleSchema } from '../rules/rule-schema.js';
import { listSpecSchema } from './lists.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** `field: value`, `field: [values]` or `field: { in_list: name }`; all fields must hold (and). */
const simpleMatch = z.record(z.string().min(1), z.union([scalar, z.array(scalar).min(1), z.strictObject({ in_list: z.string().min(1) })]));

const jsonLogic = z.custom<unknown>((v) => v !== undefined && v !== null, 'a JsonLogic expression is required');

export const exceptionSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'an exception id is letters, digits, dot, dash, underscore (it is a metric label)')
      .describe('Name of the exception: the `exception` label of excluded_matches.'),
    rules: z.array(z.string().min(1)).min(1).optional().describe('Rule ids it applies to; "*" for every rule.'),
    tags: z.array(z.string().min(1)).min(1).optional().describe('Or: every rule carrying one of these tags.'),
    match: simpleMatch.optional().describe('Simple form: field: value(s) or field: { in_list: name }; every field must hold.'),
    when: jsonLogic.optional().describe('JsonLogic condition on the event (same paths and operations as a rule match, in_list included).'),
    expires: z.union([z.string(), z.date()]).optional().describe('Date (end of that day, UTC) or timestamp after which the exception no longer applies.'),
    comment: z.string().min(1).describe('Why the exception exists (required: an unexplained exception is never reviewed).'),
  })
  .refine((e) => e.rules !== undefined || e.tags !== undefined, { message: 'say which rules it applies to: rules (ids, or "*") or tags' })
  .refine((e) => e.match !== undefined || e.when !== undefined, { message: 'an exception needs match or when' });
export type ExceptionSpec = z.output<typeof exceptionSchema>;

/** Overridable rule settings, validated with the rule's own field schemas. */
export const overrideSchema = z.strictObject({
  enabled: z.boolean().optional().describe('false: the rule is not loaded.'),
  severity: ruleSchema.shape.severity.optional(),
  risk_score: ruleSchema.shape.risk_score,
  tags: ruleSchema.shape.tags.optional().describe("Extra tags, added to the rule's own."),
  suppression: z.strictObject({ window: duration() }).optional(),
  correlate: z
    .strictObject({
      window: duration().optional(),
      count: z.number().int().min(1).optional().describe('threshold rules'),
      distinct: z.number().int().min(1).optional().describe('value_count rules'),
    })
    .optional(),
});
export type OverrideSpec = z.output<typeof overrideSchema>;

export const tuningFileSchema = z.strictObject({
  lists: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'a list name is letters, digits, dot, dash, underscore'), listSpecSchema).default({}),
  exceptions: z.array(exceptionSchema).default([]),
  overrides: z.record(z.string(), overrideSchema).default({}),
});
export type TuningFile = z.output<typeof tuningFileSchema>;
