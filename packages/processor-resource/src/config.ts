import { z } from 'zod';
import { actionSchema, compileActions } from '@oktel/processor-attributes';

export const resourceConfigSchema = z
  .strictObject({
    attributes: z
      .array(actionSchema)
      .min(1)
      .describe(
        "Actions on the resource attributes, applied in order: `{ key, action, value | from_attribute, pattern, converted_type }` as in the Collector's resource processor.",
      ),
  })
  .transform((config) => ({ ...config, apply: compileActions(config.attributes) }));

export type ResourceConfig = z.output<typeof resourceConfigSchema>;
