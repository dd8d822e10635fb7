export { filterConfigSchema, type FilterConfig } from './config.js';
export { filterProcessorFactory } from './factory.js';
export { FILTERED_LOG_RECORDS, FilterProcessor } from './filter-processor.js';
