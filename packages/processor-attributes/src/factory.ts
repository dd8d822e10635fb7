import type { ProcessorFactory } from '@oktel/core';
import { AttributesProcessor } from './attributes-processor.js';
import { attributesConfigSchema, type AttributesConfig } from './config.js';

export const attributesProcessorFactory: ProcessorFactory<AttributesConfig> = {
  type: 'attributes',
  kind: 'processor',
  description: "Inserts, updates, upserts, deletes, hashes, extracts or converts record attributes (the Collector's attributes processor actions).",
  stability: 'development',
  configSchema: attributesConfigSchema,
  create: (settings, config, next) => new AttributesProcessor(settings, config, next),
};
