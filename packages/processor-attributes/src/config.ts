import { z } from 'zod';
import type { LogRecord } from '@oktel/core';
import { actionSchema } from './actions-schema.js';
import { compileActions } from './actions.js';
import { compileMatch, matchSchema } from './match.js';

export const attributesConfigSchema = z
  .strictObject({
    actions: z
      .array(actionSchema)
      .min(1)
      .describe(
        "Actions on each record's attributes, applied in order: `{ key, action, value | from_attribute, pattern, converted_type }` as in the Collector's attributes processor.",
      ),
    include: matchSchema
      .optional()
      .describe(
        'Act only on records that match (Collector filterconfig: match_type, attributes, resources, log_bodies, log_severity_texts, log_severity_number).',
      ),
    exclude: matchSchema.optional().describe('Leave records that match untouched (same properties as include).'),
  })
  .transform((config) => {
    const include = config.include ? compileMatch(config.include) : undefined;
    const exclude = config.exclude ? compileMatch(config.exclude) : undefined;
    return { ...config, apply: compileActions(config.actions), applies: (record: LogRecord) => (!include || include(record)) && !exclude?.(record) };
  });

export type AttributesConfig = z.output<typeof attributesConfigSchema>;
