import { parseArgs } from 'node:util';
import { ConfigError, errorMessage, formatConfigIssue } from '@oktel/core';
import { ExitCode } from './exit-codes.js';
import { builtinComponents } from './components.js';
import { componentsCommand } from './commands/components.js';
import { runCommand } from './commands/run.js';
import { rulesCoverageCommand, rulesLintCommand, rulesTestCommand } from './commands/rules.js';
import { SIMULATE_USAGE, simulateOktaCommand } from './commands/simulate-okta.js';
import { validateCommand } from './commands/validate.js';

const USAGE = `Usage: oktel <command> [options]

Commands:
  run --config FILE [--config FILE ...]   Run the pipelines until stopped (or until finite input ends)
  validate --config FILE [...]            Check a config and print the pipelines it defines
  components                              List the component types built in
  simulate-okta [options]                 Serve a fake Okta org on 127.0.0.1 (see below)
  rules test [PATH ...]                   Run the rules' embedded tests (default: the shipped Okta pack)
  rules lint [PATH ...]                   Check rules: ATT&CK ids and names, unreachable conditions, tests
  rules coverage [PATH ...] [--format navigator|markdown] [--output FILE]
                                          ATT&CK coverage as a Navigator layer or a markdown table
  help                                    Show this text

  ${SIMULATE_USAGE}
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const registry = builtinComponents();
  const configFiles = (): string[] => {
    const { values } = parseArgs({ args: rest, options: { config: { type: 'string', short: 'c', multiple: true } }, strict: true });
    if (!values.config?.length) throw new UsageError('--config FILE is required');
    return values.config;
  };
  switch (command) {
    case 'run':
      return runCommand({ configFiles: configFiles(), registry });
    case 'validate':
      process.stdout.write(`${validateCommand(configFiles(), registry)}\n`);
      return 0;
    case 'rules':
      switch (rest[0]) {
        case 'test':
          return rulesTestCommand(rest.slice(1));
        case 'lint':
          return rulesLintCommand(rest.slice(1));
        case 'coverage':
          return rulesCoverageCommand(rest.slice(1));
        default:
          throw new UsageError(`unknown rules command "${rest[0] ?? ''}" (rules test | lint | coverage)`);
      }
    case 'simulate-okta':
      return simulateOktaCommand(rest);
    case 'components':
      process.stdout.write(`${componentsCommand(registry)}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => {
    // The run is over (drained, summary written): exit now rather than wait for a component's
    // stray timer or socket; stderr and stdout are synchronous on Linux for files and pipes.
    if (process.argv[2] === 'run') process.exit(code);
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      for (const issue of err.issues) process.stderr.write(`oktel: invalid configuration: ${formatConfigIssue(issue)}\n`);
    } else if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`oktel: ${errorMessage(err)}\n\n${USAGE}`);
    } else {
      process.stderr.write(`oktel: ${errorMessage(err)}\n`);
    }
    process.exitCode = ExitCode.usage;
  },
);
