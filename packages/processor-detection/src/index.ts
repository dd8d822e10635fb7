export {
  ALERT_EVENT_NAME,
  alertRecord,
  countryIsoCode,
  ENTITY_ATTRIBUTES,
  EntityCollector,
  entitiesOf,
  groupAttributeName,
  primaryEntity,
  writeEntityAttributes,
  type AlertEntities,
  type AlertFacts,
} from './alert-record.js';
export { detectionConfigSchema, detectionConfigSchemaFor, type DetectionConfig } from './config.js';
export { DetectionProcessor, type DetectionProcessorOptions } from './detection-processor.js';
export { DetectionEngine, StateFormatError, tagsFor, type EngineOptions, type EngineSnapshot, type Evaluation, type JournalEntry } from './engine.js';
export { createDetectionProcessorFactory, detectionProcessorFactory, type DetectionFactoryOptions } from './factory.js';
export { compileRule, type CompiledRule } from './rules/compiled-rule.js';
export { describeIssue, expandRuleSources, loadRules, type LoadedRules } from './rules/load-rules.js';
export { ATTRIBUTES_PREFIX, RESOURCE_PREFIX, RuleContext } from './rules/rule-context.js';
export { ruleSchema, type RuleDefinition, type RuleTest, type Threat } from './rules/rule-schema.js';
export { ALERT_SEVERITY_NUMBER, SEVERITIES, type Severity } from './rules/severity.js';
export { missingTestKinds, renderTestTable, runRuleTest, runRuleTests, type RuleTestResult } from './rules/rule-tests.js';
export { DetectionLogRecordProcessor, type DetectionLogRecordProcessorOptions } from './sdk-processor.js';
export { ATTACK_VERSION, RENUMBERED, TACTICS, TECHNIQUE_TACTICS, TECHNIQUES, tacticContains } from './attack/attack-v19.js';
export { coverageTable, navigatorLayer } from './rules/coverage.js';
export { lintRules, unreachable, type LintFinding } from './rules/lint.js';
export { loadSigmaRules, SIGMA_RULES, sigmaConfigSchema, type SigmaConfig } from './rules/load-sigma.js';
export { loadDetectionSet, type DetectionSet, type DetectionSetSources } from './tuning/detection-set.js';
export { renderTunedTestTable, runTunedRuleTests, type TunedTestResult } from './tuning/tuned-tests.js';
export { buildList, loadList, type SharedList } from './tuning/lists.js';
export { tuningFileSchema, type TuningFile } from './tuning/tuning-schema.js';
