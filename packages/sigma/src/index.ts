export {
  compileSigma,
  DEFAULT_SKIP_STATUSES,
  type CompiledSigmaRule,
  type GroupAlias,
  type NativeRuleDefinition,
  type SigmaCompilation,
  type SigmaOptions,
  type SigmaOutcome,
} from './compile.js';
export { parseCondition, type ConditionNode } from './condition.js';
export { detectionLogic, KEYWORD_FIELDS } from './detection.js';
export { SigmaUnsupported } from './errors.js';
export { compileSigmaFiles, isSigmaText, type SigmaFileProblem } from './load.js';
export type { AttackTables } from './metadata.js';
export { knownLeafPaths, OKTA_FIELDS, resolveOktaField } from './okta-fields.js';
export type { Placeholders } from './placeholders.js';
export { parseSigmaFile, sigmaKind, type SigmaDocument } from './sigma-document.js';
export { renderOutcomes } from './report.js';
export { toNativeYaml } from './to-native-yaml.js';
