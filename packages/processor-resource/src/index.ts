export { resourceConfigSchema, type ResourceConfig } from './config.js';
export { resourceProcessorFactory } from './factory.js';
export { ResourceProcessor } from './resource-processor.js';
