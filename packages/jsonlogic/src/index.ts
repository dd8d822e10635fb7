export { compile, type CompileOptions, type Evaluator, type VarScope } from './compile.js';
export { JsonLogicCompileError } from './errors.js';
export { compileLinearRegex, MAX_REGEX_INPUT, OKTA_OPERATIONS, parseOktaKeyValues, type CustomOperation } from './okta-operations.js';
export { MAX_SEARCH_DEPTH, MAX_SEARCH_VALUES, searchValues } from './search.js';
export { STANDARD_OPERATIONS } from './standard-operations.js';
export { truthy } from './truthy.js';
export { pathReader, type PathReader } from './var-path.js';
export { compileRuleSet, fieldGuard, guardAdmits, guardValues, type FieldGuard, type RuleSet, type RuleSetOptions } from './rule-set.js';
