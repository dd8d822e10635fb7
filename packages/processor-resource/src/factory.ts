import type { ProcessorFactory } from '@oktel/core';
import { resourceConfigSchema, type ResourceConfig } from './config.js';
import { ResourceProcessor } from './resource-processor.js';

export const resourceProcessorFactory: ProcessorFactory<ResourceConfig> = {
  type: 'resource',
  kind: 'processor',
  description:
    "Inserts, updates, upserts, deletes, hashes or extracts resource attributes (the Collector's resource processor), e.g. deployment.environment.name.",
  stability: 'development',
  configSchema: resourceConfigSchema,
  create: (settings, config, next) => new ResourceProcessor(settings, config, next),
};
