export { builtinComponents } from './components.js';
export { componentsCommand } from './commands/components.js';
export { runCommand, type RunOptions } from './commands/run.js';
export { validateCommand } from './commands/validate.js';
