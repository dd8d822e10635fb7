// What every oktel command accepts and how it explains itself: the help texts, and a check of
// command and flag names before a command runs, with a suggestion for a typo.
import { readFileSync } from 'node:fs';
import { didYouMean } from './suggest.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
// The errors module alone: --help and --version must not load the whole runtime.
import { PermanentError } from '@oktel/core/errors';

export interface OptionSpec {
  readonly name: string;
  readonly short?: string;
  /** Placeholder of the value; absent for a boolean flag. */
  readonly value?: string;
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly description?: string;
  readonly options?: readonly OptionSpec[];
  readonly subcommands?: readonly CommandSpec[];
  readonly examples?: readonly string[];
}

/** Thrown for a wrong command line; printed with the help of the command it concerns, exit 2. */
export class UsageError extends PermanentError {
  constructor(
    message: string,
    readonly command: readonly string[] = [],
  ) {
    super(message, { code: 'ERR_USAGE', context: { command } });
  }
}

const CONFIG: OptionSpec = { name: 'config', short: 'c', value: 'FILE', help: 'Config file; repeat to merge several (later files win)' };
const HELP: OptionSpec = { name: 'help', short: 'h', help: 'Show this help' };

const SIGMA_OPTIONS: readonly OptionSpec[] = [
  { name: 'placeholder', value: 'NAME=VALUE', help: 'Fill a Sigma placeholder (%NAME%); repeatable' },
  { name: 'skip-status', value: 'STATUS', help: 'Skip Sigma rules with this status (default: deprecated, unsupported); repeatable' },
];

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'run',
    summary: 'Run the pipelines until stopped (or until finite input ends)',
    usage: 'oktel run --config FILE [--config FILE ...]',
    description:
      'Starts every component, then runs until SIGINT/SIGTERM or until every finite receiver is done; then drains the pipelines and prints a summary of records in, out and failed per component. A second signal exits at once without draining.',
    options: [CONFIG],
    examples: ['oktel run --config oktel.yaml', 'oktel run -c base.yaml -c production.yaml'],
  },
  {
    name: 'validate',
    summary: 'Check a config and print the pipelines it defines',
    usage: 'oktel validate --config FILE [--config FILE ...] [--strict]',
    description:
      'Reads, merges and checks config files without starting anything. An unset ${env:VAR} is a warning and a placeholder takes its place, so a config can be checked in CI without its secrets; --strict makes it an error, as `oktel run` does.',
    options: [CONFIG, { name: 'strict', help: 'Treat unset environment variables as errors' }],
    examples: ['oktel validate --config oktel.yaml', 'OKTA_API_TOKEN=… oktel validate --config oktel.yaml --strict'],
  },
  {
    name: 'components',
    summary: 'List the component types built in',
    usage: 'oktel components',
    description: 'Prints every receiver, processor, exporter, connector and extension type with its stability and purpose.',
  },
  {
    name: 'schema',
    summary: 'Print the JSON Schema of the config file',
    usage: 'oktel schema [--output FILE]',
    description:
      'The schema is generated from the same definitions that validate a config. Point your editor at it (yaml-language-server: `# yaml-language-server: $schema=<path>` at the top of oktel.yaml) to get completion and checks. The CLI package ships it as schema/oktel-config.schema.json.',
    options: [{ name: 'output', short: 'o', value: 'FILE', help: 'Write the schema to FILE instead of stdout' }],
  },
  {
    name: 'simulate-okta',
    summary: 'Serve a fake Okta org on 127.0.0.1 for trying the okta receiver',
    usage: 'oktel simulate-okta [options]',
    description: 'Serves /api/v1/logs with a backlog of realistic activity and attacks injected in turn, until SIGINT/SIGTERM.',
    options: [
      { name: 'port', value: 'PORT', help: 'Port on 127.0.0.1 (default 8089; 0 picks a free one)' },
      { name: 'token', value: 'TOKEN', help: 'API token the simulator accepts (default: a random one, printed)' },
      { name: 'backlog', value: 'DURATION', help: 'History served before now (default 24h)' },
      { name: 'sign-ins-per-minute', value: 'N', help: 'Live sign-in rate (default 30)' },
      { name: 'attack-every', value: 'DURATION', help: 'Interval between injected attacks (default 2m)' },
      { name: 'late-share', value: 'FRACTION', help: 'Share of events published late (default 0.02)' },
      { name: 'rate-limit', value: 'N', help: 'Requests per minute before HTTP 429 (default 120)' },
    ],
  },
  {
    name: 'rules',
    summary: 'Test, lint and map the detection rules',
    usage: 'oktel rules <test|lint|coverage|convert> [PATH ...]',
    description: 'PATH is a rule file or directory; without one, the shipped Okta rule pack is used.',
    subcommands: [
      {
        name: 'test',
        summary: "Run the rules' embedded tests",
        usage: 'oktel rules test [PATH ...] [--tuning FILE | --config FILE]',
        description:
          "Exit 1 when a test fails or a rule lacks a required test. With a tuning file (or a config whose detection processor has one), each test also runs with the site's exceptions and overrides: a test that passes as shipped and fails with the tuning is reported as OFF (turned off by tuning), a test of a disabled rule as DISABLED; neither fails the run.",
        options: [
          { name: 'tuning', value: 'FILE', help: 'Detection tuning file (lists, exceptions, overrides) to apply' },
          {
            name: 'config',
            short: 'c',
            value: 'FILE',
            help: 'oktel config: test with the rules and tuning of its detection processor(s); repeat to merge several',
          },
          ...SIGMA_OPTIONS,
        ],
      },
      {
        name: 'lint',
        summary: 'Check rules: ATT&CK ids and names, unreachable conditions, tests, Sigma rules refused',
        usage: 'oktel rules lint [PATH ...] [--tuning FILE]',
        description: 'Exit 1 on any finding. With --tuning, the tuning file is checked too and its lists are available to rules using in_list.',
        options: [{ name: 'tuning', value: 'FILE', help: 'Detection tuning file: validate it, and lint rules that use its lists' }, ...SIGMA_OPTIONS],
      },
      {
        name: 'convert',
        summary: 'Write Sigma rules as native rules (a report per rule on stderr)',
        usage: 'oktel rules convert --from sigma PATH ... [--output DIR]',
        options: [
          { name: 'from', value: 'sigma', help: 'The format of the input rules (only sigma)' },
          { name: 'output', value: 'DIR', help: 'Write one native rule file per rule into DIR (default: stdout)' },
          ...SIGMA_OPTIONS,
        ],
      },
      {
        name: 'coverage',
        summary: 'ATT&CK coverage as a Navigator layer or a markdown table',
        usage: 'oktel rules coverage [PATH ...] [--format navigator|markdown] [--output FILE]',
        options: [
          { name: 'format', value: 'navigator|markdown', help: 'Output format (default markdown)' },
          { name: 'output', value: 'FILE', help: 'Write to FILE instead of stdout' },
        ],
      },
    ],
  },
  { name: 'help', summary: 'Show help for oktel or for a command', usage: 'oktel help [COMMAND [SUBCOMMAND]]' },
];

export function version(): string {
  // One level above both src/ and dist/: the package's own manifest.
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const table = (rows: readonly [string, string][]): string => {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`).join('\n');
};

const optionLabel = (o: OptionSpec): string => `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`;

export function mainHelp(): string {
  return `oktel ${version()}: ships Okta System Log events and the alerts detected in them over OTLP

Usage: oktel <command> [options]

Commands:
${table(COMMANDS.flatMap((c): [string, string][] => (c.subcommands ? c.subcommands.map((s): [string, string] => [`${c.name} ${s.name}`, s.summary]) : [[c.name, c.summary]])))}

Options:
${table([
  ['-h, --help', 'Show help (also after any command: oktel run --help)'],
  ['-v, --version', 'Print the version'],
])}

${EXIT_CODES_HELP}
`;
}

export function commandHelp(path: readonly string[]): string {
  const spec = findCommand(path);
  if (!spec) return mainHelp();
  const lines = [`Usage: ${spec.usage}`, '', `${spec.summary}.`];
  if (spec.description) lines.push('', wrap(spec.description));
  if (spec.subcommands) lines.push('', 'Commands:', table(spec.subcommands.map((s) => [s.name, s.summary])));
  lines.push('', 'Options:', table([...(spec.options ?? []), HELP].map((o) => [optionLabel(o), o.help])));
  if (spec.examples) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

function wrap(text: string, width = 96): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.join('\n');
}

export function findCommand(path: readonly string[]): CommandSpec | undefined {
  let list: readonly CommandSpec[] | undefined = COMMANDS;
  let found: CommandSpec | undefined;
  for (const name of path) {
    found = list?.find((c) => c.name === name);
    if (!found) return undefined;
    list = found.subcommands;
  }
  return found;
}

/** Every command path, subcommands included: what `--help` must work for. */
export function allCommandPaths(): string[][] {
  return COMMANDS.flatMap((c) => [[c.name], ...(c.subcommands ?? []).map((s) => [c.name, s.name])]);
}

export type Preflight = { kind: 'print'; text: string } | { kind: 'run' };

/**
 * Answers --help, --version and `help` itself, and rejects an unknown command, subcommand or
 * flag with a suggestion, before the command parses its own arguments.
 */
export function preflight(argv: readonly string[]): Preflight {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { kind: 'print', text: mainHelp() };
  if (first === '--version' || first === '-v' || first === 'version') return { kind: 'print', text: `${version()}\n` };
  if (first === 'help') {
    const target = rest.filter((a) => a !== '--help' && a !== '-h');
    if (target.length === 0) return { kind: 'print', text: rest.length > 0 ? commandHelp(['help']) : mainHelp() };
    if (!findCommand(target)) throw unknownCommand(target);
    return { kind: 'print', text: commandHelp(target) };
  }
  const spec = findCommand([first]);
  if (!spec) {
    if (first.startsWith('-')) throw new UsageError(`unknown option "${first}"${didYouMean(first.replace(/^-+/, ''), ['help', 'version'], (n) => `--${n}`)}`);
    throw unknownCommand([first]);
  }
  let command = spec;
  const path = [first];
  let args = rest;
  if (spec.subcommands) {
    const sub = rest[0];
    if (sub === undefined || sub === '--help' || sub === '-h') return { kind: 'print', text: commandHelp(path) };
    const found = spec.subcommands.find((s) => s.name === sub);
    if (!found) throw unknownCommand([first, sub]);
    command = found;
    path.push(sub);
    args = rest.slice(1);
  }
  const end = args.indexOf('--');
  const flags = end === -1 ? args : args.slice(0, end);
  if (flags.includes('--help') || flags.includes('-h')) return { kind: 'print', text: commandHelp(path) };
  const options = command.options ?? [];
  for (const arg of flags) {
    if (!arg.startsWith('-') || arg === '-') continue;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0]!;
      if (!options.some((o) => o.name === name)) {
        throw new UsageError(
          `unknown option "--${name}" for "oktel ${path.join(' ')}"${didYouMean(
            name,
            options.map((o) => o.name),
            (n) => `--${n}`,
          )}`,
          path,
        );
      }
    } else if (!/^-\d/.test(arg) && !options.some((o) => o.short === arg.slice(1, 2))) {
      throw new UsageError(`unknown option "${arg}" for "oktel ${path.join(' ')}"`, path);
    }
  }
  return { kind: 'run' };
}

function unknownCommand(path: readonly string[]): UsageError {
  const parent = path.length > 1 ? findCommand(path.slice(0, -1)) : undefined;
  const names = (parent ? (parent.subcommands ?? []) : COMMANDS).map((c) => c.name);
  const where = parent ? `"oktel ${path.slice(0, -1).join(' ')}" command` : 'command';
  return new UsageError(`unknown ${where} "${path[path.length - 1]}"${didYouMean(path[path.length - 1]!, names)}`, path.slice(0, -1));
}
