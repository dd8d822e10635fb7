import { z } from 'zod';
import { actionSchema } from './actions-schema.js';
import { compileActions } from './actions.js';

export const attributesConfigSchema = z
  .strictObject({
    actions: z.array(actionSchema).min(1).describe('Actions on each record\'s attributes, applied in order: `{ key, action, value | from_attribute, pattern, converted_type }` as in the Collector\'s attributes processor.'),
  })
  .transform((config) => ({ ...config, apply: compileActions(config.actions) }));

export type AttributesConfig = z.output<typeof attributesConfigSchema>;
