import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@oktel/testkit';
import { allCommandPaths, COMMANDS, findCommand } from '../packages/cli/src/usage.js';
import { closest } from '../packages/cli/src/suggest.js';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/cli/bin/oktel.mjs');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;

function oktel(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 60_000 });
}

describe('oktel explains itself', () => {
  it('prints the version with --version, -v and version', () => {
    for (const flag of ['--version', '-v', 'version']) {
      const result = oktel([flag]);
      expect(result.status, flag).to.equal(0);
      expect(result.stdout).to.equal(`${VERSION}\n`);
    }
  });

  it('lists every command and the exit codes in the main help', () => {
    const result = oktel(['--help']);
    expect(result.status).to.equal(0);
    for (const path of allCommandPaths().filter((p) => !findCommand(p)!.subcommands))
      expect(result.stdout).to.match(new RegExp(`^  ${path.join(' ')}\\s{2,}\\S`, 'm'));
    expect(result.stdout).to.contain('Exit codes:\n  0    success');
    expect(result.stdout).to.contain('\n  1    failure');
    expect(result.stdout).to.contain('\n  3    run:');
    expect(oktel([]).stdout).to.equal(result.stdout);
  });

  for (const path of allCommandPaths()) {
    it(`answers "oktel ${path.join(' ')} --help" and "oktel help ${path.join(' ')}" with its usage and options`, () => {
      const spec = COMMANDS.find((c) => c.name === path[0])!;
      const command = path.length > 1 ? spec.subcommands!.find((s) => s.name === path[1])! : spec;
      const result = oktel([...path, '--help']);
      expect(result.status, result.stderr).to.equal(0);
      expect(result.stdout).to.match(new RegExp(`^Usage: oktel ${path.join(' ')}`));
      expect(result.stdout).to.contain(command.summary);
      for (const option of command.options ?? []) expect(result.stdout).to.contain(`--${option.name}`);
      expect(result.stdout).to.contain('-h, --help');
      expect(oktel(['help', ...path]).stdout).to.equal(result.stdout);
    });
  }

  it('has every command and every exit code in packages/cli/README.md', () => {
    const readme = readFileSync(join(ROOT, 'packages/cli/README.md'), 'utf8');
    for (const path of allCommandPaths()) expect(readme, `oktel ${path.join(' ')}`).to.contain(`oktel ${path.join(' ')}`);
    for (const code of ['0', '1', '2', '3', '130 / 143']) expect(readme).to.match(new RegExp(`^\\| ${code} \\|`, 'm'));
  });

  it('suggests the command meant by a typo and exits 2', () => {
    const result = oktel(['valdiate', '--config', 'configs/demo.yaml']);
    expect(result.status).to.equal(2);
    expect(result.stderr).to.contain('unknown command "valdiate" (did you mean "validate"?)');
    expect(oktel(['rules', 'lnit']).stderr).to.contain('"lnit" (did you mean "lint"?)');
  });

  it('suggests the flag meant by a typo, with the help of that command', () => {
    const result = oktel(['run', '--confg', 'configs/demo.yaml']);
    expect(result.status).to.equal(2);
    expect(result.stderr).to.contain('unknown option "--confg" for "oktel run" (did you mean "--config"?)');
    expect(result.stderr).to.contain('Usage: oktel run --config FILE');
    expect(oktel(['simulate-okta', '--backlg', '1h']).stderr).to.contain('(did you mean "--backlog"?)');
  });

  it('offers no suggestion when nothing is close', () => {
    expect(closest('frobnicate', ['run', 'validate', 'components'])).to.equal(undefined);
    expect(oktel(['frobnicate']).stderr).not.to.contain('did you mean');
  });

  it('exits 2 when a required argument is missing', () => {
    const result = oktel(['validate']);
    expect(result.status).to.equal(2);
    expect(result.stderr).to.contain('--config FILE is required');
  });
});

describe('oktel validate without secrets', () => {
  let dir: ReturnType<typeof tempDir>;
  let config: string;
  const env = { ...process.env };
  delete env.OKTEL_TEST_TOKEN;
  beforeEach(() => {
    dir = tempDir();
    config = join(dir.path, 'okta.yaml');
    writeFileSync(
      config,
      'receivers:\n  okta:\n    domain: example.okta.com\n    auth:\n      api_token: ${env:OKTEL_TEST_TOKEN}\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    logs: { receivers: [okta], exporters: [debug] }\n',
    );
  });
  afterEach(() => dir.cleanup());

  it('accepts a config whose secrets are unset, warning about each with its file, line and key', () => {
    const result = oktel(['validate', '--config', config], env);
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stdout).to.contain(`warning: ${config}:5: receivers::okta::auth::api_token: environment variable OKTEL_TEST_TOKEN is not set`);
    expect(result.stdout).to.contain('pipeline logs:');
  });

  it('still fails on a real mistake next to an unset secret', () => {
    writeFileSync(config, readFileSync(config, 'utf8').replace('domain: example.okta.com', 'domian: example.okta.com'));
    const result = oktel(['validate', '--config', config], env);
    expect(result.status).to.equal(2);
    expect(result.stderr).to.contain('unknown key "domian"');
  });

  it('makes unset variables errors with --strict, as run does', () => {
    const result = oktel(['validate', '--strict', '--config', config], env);
    expect(result.status).to.equal(2);
    expect(result.stderr).to.contain(
      `oktel: invalid configuration: ${config}:5: receivers::okta::auth::api_token: environment variable OKTEL_TEST_TOKEN is not set`,
    );
  });
});
