import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { findCommand } from '../packages/cli/src/usage.js';

const ROOT = new URL('..', import.meta.url).pathname;
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const rootManifest = JSON.parse(read('package.json')) as { packageManager: string; engines: { node: string }; scripts: Record<string, string> };
const cliManifest = JSON.parse(read('packages/cli/package.json')) as { bin: Record<string, string>; publishConfig: { bin: Record<string, string> } };
const config = parse(read('deploy/oktel.yaml')) as {
  extensions: { file_storage: { directory: string } };
  service: { telemetry: { health: { enabled: boolean; address: string } } };
};

/** Dockerfile instructions with continuation lines joined. */
function instructions(text: string): [string, string][] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.trim().split(/\s+/);
      return [keyword!.toUpperCase(), rest.join(' ')];
    });
}

function oktelSources(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [join(ROOT, 'packages/cli/bin/oktel.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 60_000 });
}

describe('deploy/Dockerfile', () => {
  const steps = instructions(read('deploy/Dockerfile'));
  const all = (keyword: string): string[] => steps.filter(([k]) => k === keyword).map(([, v]) => v);

  it('copies only files that exist, and installs with the pinned pnpm and a supported Node', () => {
    for (const copy of all('COPY').filter((c) => !c.startsWith('--from'))) {
      const sources = copy.split(/\s+/).slice(0, -1);
      for (const source of sources) expect(existsSync(join(ROOT, source)), `COPY ${source}`).to.equal(true);
    }
    expect(all('RUN').join('\n')).to.contain(rootManifest.packageManager);
    expect(all('RUN').join('\n')).to.contain('pnpm packages:pack /tarballs');
    expect(rootManifest.scripts['packages:pack']).to.be.a('string');
    const major = Number(/>=(\d+)/.exec(rootManifest.engines.node)![1]);
    for (const from of all('FROM')) expect(Number(/^node:(\d+)/.exec(from)![1]), from).to.be.at.least(major);
  });

  it('builds from a clean tree: the host node_modules and build output stay out of the context', () => {
    const ignored = read('deploy/Dockerfile.dockerignore')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).to.include.members(['**/node_modules', '**/dist', '.git']);
  });

  it('runs the compiled oktel bin on the config it copies, as a non-root user', () => {
    expect(JSON.parse(all('ENTRYPOINT')[0]!)).to.deep.equal(['oktel']);
    expect(cliManifest.publishConfig.bin).to.have.property('oktel', './dist/main.js');
    const command = JSON.parse(all('CMD')[0]!) as string[];
    expect(command.slice(0, 2)).to.deep.equal(['run', '--config']);
    expect(findCommand([command[0]!])).not.to.equal(undefined);
    expect(all('COPY')).to.include(`deploy/oktel.yaml ${command[2]}`);
    const user = all('USER').at(-1)!;
    expect(user).not.to.match(/^(root|0)(:|$)/);
  });

  it('keeps state on the volume and checks the health endpoint the config serves', () => {
    const volume = (JSON.parse(all('VOLUME')[0]!) as string[])[0]!;
    expect(config.extensions.file_storage.directory).to.contain(`${volume}/`);
    expect(config.service.telemetry.health).to.deep.equal({ enabled: true, address: '127.0.0.1:13133' });
    expect(all('HEALTHCHECK')[0]).to.contain(`http://${config.service.telemetry.health.address}/health`);
  });
});

describe('deploy/oktel.service', () => {
  const unit = read('deploy/oktel.service');
  const values = (key: string): string[] => [...unit.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1]!);

  it('restarts on failure and is hardened', () => {
    expect(values('Restart')).to.deep.equal(['on-failure']);
    for (const key of [
      'NoNewPrivileges',
      'ProtectSystem',
      'ProtectHome',
      'PrivateTmp',
      'PrivateDevices',
      'DynamicUser',
      'RestrictNamespaces',
      'SystemCallFilter',
      'CapabilityBoundingSet',
    ]) {
      expect(values(key), key).to.have.length.greaterThan(0);
    }
  });

  it('runs commands oktel has, on a state directory that matches the storage path', () => {
    for (const line of [...values('ExecStartPre'), ...values('ExecStart')]) {
      const [program, command, ...rest] = line.split(/\s+/);
      expect(program!.endsWith('/oktel'), line).to.equal(true);
      expect(findCommand([command!]), line).not.to.equal(undefined);
      for (const flag of rest.filter((a) => a.startsWith('--')))
        expect(
          findCommand([command!])!.options!.map((o) => `--${o.name}`),
          line,
        ).to.include(flag);
    }
    expect(values('Environment')).to.include(`OKTEL_DATA_DIR=/var/lib/${values('StateDirectory')[0]}/file_storage`);
  });

  it("ExecStartPre's strict validation passes on the shipped config once its variables are set", () => {
    const env = { ...process.env, OKTA_DOMAIN: 'acme.okta.com', OKTA_API_TOKEN: 'token-for-validation', OTLP_ENDPOINT: 'https://collector.example:4318' };
    const result = oktelSources(['validate', '--strict', '--config', 'deploy/oktel.yaml'], env);
    expect(result.status, result.stderr).to.equal(0);
    const without = oktelSources(['validate', '--strict', '--config', 'deploy/oktel.yaml'], { ...process.env, OKTA_API_TOKEN: '' });
    expect(without.status).to.equal(2);
  });
});
