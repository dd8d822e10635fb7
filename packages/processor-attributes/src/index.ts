export { actionSchema, type ActionConfig } from './actions-schema.js';
export { compileActions, hashValue, type AttributeActions } from './actions.js';
export { AttributesProcessor } from './attributes-processor.js';
export { attributesConfigSchema, type AttributesConfig } from './config.js';
export { attributesProcessorFactory } from './factory.js';
export { compileMatch, matchSchema, type MatchConfig, type RecordMatcher } from './match.js';
