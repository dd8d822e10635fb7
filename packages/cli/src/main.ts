#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { EXIT } from './exit-codes.js';
import { commandHelp, preflight, UsageError } from './usage.js';

async function main(argv: string[]): Promise<number> {
  const early = preflight(argv);
  if (early.kind === 'print') {
    process.stdout.write(early.text);
    return EXIT.ok;
  }
  const [command, ...rest] = argv;
  // Commands load on demand, so --help and --version do not pay for every component.
  const { builtinComponents } = await import('./components.js');
  const registry = builtinComponents();
  const configArgs = () => {
    const { values } = parseArgs({
      args: rest,
      options: { config: { type: 'string', short: 'c', multiple: true }, strict: { type: 'boolean' } },
      strict: true,
    });
    if (!values.config?.length) throw new UsageError('--config FILE is required', [command!]);
    return { files: values.config, strict: values.strict ?? false };
  };
  const configFiles = (): string[] => configArgs().files;
  switch (command) {
    case 'run': {
      const { runCommand } = await import('./commands/run.js');
      return runCommand({ configFiles: configFiles(), registry });
    }
    case 'validate': {
      const { validateCommand } = await import('./commands/validate.js');
      process.stdout.write(`${validateCommand(configArgs().files, registry, { strict: configArgs().strict })}\n`);
      return 0;
    }
    case 'schema':
      return (await import('./commands/schema.js')).schemaCommand(rest, registry);
    case 'rules': {
      const { rulesConvertCommand, rulesCoverageCommand, rulesLintCommand, rulesTestCommand } = await import('./commands/rules.js');
      switch (rest[0]) {
        case 'test':
          return rulesTestCommand(rest.slice(1), process.stdout, registry);
        case 'lint':
          return rulesLintCommand(rest.slice(1));
        case 'coverage':
          return rulesCoverageCommand(rest.slice(1));
        case 'convert':
          return rulesConvertCommand(rest.slice(1));
        default:
          throw new UsageError(`unknown rules command "${rest[0] ?? ''}" (rules test | lint | coverage | convert)`, ['rules']);
      }
    }
    case 'simulate-okta':
      return (await import('./commands/simulate-okta.js')).simulateOktaCommand(rest);
    case 'components':
      process.stdout.write(`${(await import('./commands/components.js')).componentsCommand(registry)}\n`);
      return 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // The run is over (drained, summary written): exit now rather than wait for a component's
    // stray timer or socket; stderr and stdout are synchronous on Linux for files and pipes.
    if (process.argv[2] === 'run') process.exit(code);
    process.exitCode = code;
  },
  async (err: unknown) => {
    const { ConfigError, errorMessage, formatConfigIssue } = await import('@oktel/core');
    if (err instanceof ConfigError) {
      for (const issue of err.issues) process.stderr.write(`oktel: invalid configuration: ${formatConfigIssue(issue)}\n`);
      process.exitCode = EXIT.usage;
    } else if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const args = process.argv.slice(2);
      const path = err instanceof UsageError ? err.command : args[0] === 'rules' ? args.slice(0, 2) : args.slice(0, 1);
      process.stderr.write(`oktel: ${errorMessage(err)}\n\n${commandHelp(path)}`);
      process.exitCode = EXIT.usage;
    } else {
      process.stderr.write(`oktel: ${errorMessage(err)}\n`);
      process.exitCode = EXIT.failed;
    }
  },
);
