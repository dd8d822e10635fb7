import type { ProcessorFactory } from '@oktel/core';
import { filterConfigSchema, type FilterConfig } from './config.js';
import { FilterProcessor } from './filter-processor.js';

export const filterProcessorFactory: ProcessorFactory<FilterConfig> = {
  type: 'filter',
  kind: 'processor',
  description: 'Drops records that meet a JsonLogic condition (noisy event types), counted as filtered_log_records.',
  stability: 'development',
  configSchema: filterConfigSchema,
  create: (settings, config, next) => new FilterProcessor(settings, config, next),
};
