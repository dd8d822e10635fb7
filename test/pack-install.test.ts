import { expect } from 'chai';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, telemetryOnAnyPort } from '@oktel/testkit';
import { publishableDirs } from '../scripts/pack-packages.js';

const ROOT = new URL('..', import.meta.url).pathname;
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, timeout = 180_000): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout });
  if (result.error) throw result.error;
  return result;
}

const publishable = publishableDirs;

describe('the oktel command installed from the packed tarballs', function () {
  // Builds the workspace, packs every package and installs them with npm: about a minute.
  this.timeout(600_000);
  let dir: ReturnType<typeof tempDir>;
  let app: string;
  /** Only the installed bin directory and node itself: no pnpm, no tsx, no source tree. */
  let env: NodeJS.ProcessEnv;

  before(() => {
    dir = tempDir();
    // The same command the Dockerfile and a release use: tsc -b, then pnpm pack of each publishable package.
    const tarballs = join(dir.path, 'tarballs');
    const pack = run('pnpm', ['packages:pack', tarballs], ROOT);
    expect(pack.status, pack.stdout + pack.stderr).to.equal(0);

    app = join(dir.path, 'app');
    mkdirSync(app);
    const files = readdirSync(tarballs).map((f) => join(tarballs, f));
    expect(files).to.have.length(publishable().length);
    const install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...files], app);
    expect(install.status, install.stdout + install.stderr).to.equal(0);

    const nodeBin = join(dir.path, 'node-only');
    mkdirSync(nodeBin);
    symlinkSync(process.execPath, join(nodeBin, 'node'));
    env = { PATH: `${join(app, 'node_modules/.bin')}:${nodeBin}`, HOME: dir.path };
  });
  after(() => dir?.cleanup());

  const oktel = (args: string[]): SpawnSyncReturns<string> => run('oktel', args, app, env, 60_000);

  it('installs without TypeScript or tsx: the packages carry compiled JavaScript and declarations', () => {
    expect(existsSync(join(app, 'node_modules/tsx'))).to.equal(false);
    expect(existsSync(join(app, 'node_modules/typescript'))).to.equal(false);
    const core = JSON.parse(readFileSync(join(app, 'node_modules/@oktel/core/package.json'), 'utf8')) as {
      exports: Record<string, { types: string; default: string }>;
      version: string;
    };
    expect(core.version).to.equal(VERSION);
    expect(core.exports['.']).to.deep.equal({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(existsSync(join(app, 'node_modules/@oktel/core/dist/index.d.ts'))).to.equal(true);
    const cli = JSON.parse(readFileSync(join(app, 'node_modules/@oktel/cli/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(cli.dependencies['@oktel/core'], 'workspace:* becomes the real version on pack').to.equal(VERSION);
    for (const d of publishable()) expect(existsSync(join(app, 'node_modules/@oktel', d, 'LICENSE')), `@oktel/${d} ships LICENSE`).to.equal(true);
  });

  it('prints its version', () => {
    const result = oktel(['--version']);
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stdout.trim()).to.equal(VERSION);
  });

  it('validates and runs the demo shipped with the CLI package, from an empty directory', () => {
    cpSync(join(app, 'node_modules/@oktel/cli/configs'), join(app, 'configs'), { recursive: true });
    const validate = oktel(['validate', '--config', 'configs/demo.yaml']);
    expect(validate.status, validate.stderr).to.equal(0);
    expect(validate.stdout).to.contain('pipeline logs:\n  receivers:  file/okta\n  processors: detection\n  exporters:  debug, file');

    // /metrics and /health on free ports: the defaults (8888, 13133) may be taken by another run on this host.
    const result = oktel(['run', '--config', 'configs/demo.yaml', '--config', telemetryOnAnyPort(app)]);
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stderr).to.match(/receiver file\/okta\s+1084\s+1084\s+0/);
    expect(result.stderr).to.contain('ALERT [');
    expect(readFileSync(join(app, 'out/okta-logs.otlp.jsonl'), 'utf8').length).to.be.greaterThan(0);
  });

  it('prints the JSON Schema it ships', () => {
    const result = oktel(['schema']);
    expect(result.status, result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout)).to.deep.equal(JSON.parse(readFileSync(join(app, 'node_modules/@oktel/cli/schema/oktel-config.schema.json'), 'utf8')));
  });

  it("validates the deploy config as the systemd unit's ExecStartPre does, with the installed build", () => {
    const config = join(ROOT, 'deploy/oktel.yaml');
    expect(oktel(['validate', '--config', config]).status, 'unset secrets are warnings').to.equal(0);
    const strict = run(
      'oktel',
      ['validate', '--strict', '--config', config],
      app,
      { ...env, OKTA_DOMAIN: 'acme.okta.com', OKTA_API_TOKEN: 'x', OTLP_ENDPOINT: 'https://collector.example:4318' },
      60_000,
    );
    expect(strict.status, strict.stderr).to.equal(0);
  });

  it('lets a TypeScript consumer type-check against the declarations (ES2022, NodeNext, strict, no skipLibCheck)', () => {
    writeFileSync(
      join(app, 'consumer.ts'),
      "import { loadConfig, type ResolvedConfig } from '@oktel/core';\nimport { builtinComponents } from '@oktel/cli';\nconst config: ResolvedConfig = loadConfig(['configs/demo.yaml'], builtinComponents());\nconsole.log(config.pipelines.length);\n",
    );
    const compilerOptions = {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      typeRoots: [join(ROOT, 'node_modules/@types')],
      types: ['node'],
    };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
    // The checkout's compiler as a tool; what it checks is only what npm installed.
    const check = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
    expect(check.status, check.stdout + check.stderr).to.equal(0);
  });

  it('runs the rule tests of the shipped pack', () => {
    const result = oktel(['rules', 'test']);
    expect(result.status, result.stdout + result.stderr).to.equal(0);
  });
});
