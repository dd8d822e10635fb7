export { generateActivity, type GenerateOptions, type GeneratedActivity } from './generator/generate.js';
export { createOrg, type Org, type OrgApp, type OrgUser } from './generator/org.js';
export { Random } from './generator/random.js';
export { SCENARIOS, type ScenarioName } from './generator/scenarios.js';
