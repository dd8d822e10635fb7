import { expect } from 'chai';
import { z } from 'zod';
import { block, ComponentRegistry, ConfigError, duration, formatConfigIssue, loadConfig, secret, size, type ReceiverFactory } from '@oktel/core';
import { LogsSink, sinkExporterFactory, tempDir, writeConfig } from '@oktel/testkit';

const pollerSchema = z.strictObject({
  path: z.string().describe('where'),
  poll_interval: duration().prefault('10s'),
  max_size: size().prefault('1MiB'),
  token: secret().optional(),
  retry: block({ attempts: z.number().int().default(3) }),
  storage: z.string().optional(),
});

const pollerFactory: ReceiverFactory<z.output<typeof pollerSchema>> = {
  type: 'poller',
  kind: 'receiver',
  description: 'test receiver',
  stability: 'development',
  configSchema: pollerSchema,
  extensionRefs: (c) => (c.storage ? [{ path: ['storage'], extensionId: c.storage, capability: 'storage' }] : []),
  create: () => ({ start: async () => undefined, shutdown: async () => undefined }),
};

function registry(): ComponentRegistry {
  return new ComponentRegistry([pollerFactory, sinkExporterFactory('sink', new LogsSink())]);
}

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).issues.map(formatConfigIssue);
  }
  expect.fail('expected a ConfigError');
}

describe('config loader', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  const load = (yaml: string, env: NodeJS.ProcessEnv = {}) => loadConfig([writeConfig(dir.path, 'oktel.yaml', yaml)], registry(), env);
  const failures = (yaml: string, env: NodeJS.ProcessEnv = {}) => issuesOf(() => load(yaml, env)).map((m) => m.replace(`${dir.path}/`, ''));

  const VALID = `receivers:
  poller/a:
    path: ./in
exporters:
  sink:
service:
  pipelines:
    logs:
      receivers: [poller/a]
      exporters: [sink]
`;

  it('applies defaults under the user config and parses durations and sizes', () => {
    const config = load(VALID.replace('path: ./in', 'path: ./in\n    poll_interval: 1m30s'));
    const poller = config.components.get('receiver')!.get('poller/a')!;
    expect(poller.config).to.deep.equal({ path: './in', poll_interval: 90_000, max_size: 1024 * 1024, retry: { attempts: 3 } });
    expect(config.pipelines).to.deep.equal([{ id: 'logs', receivers: ['poller/a'], processors: [], exporters: ['sink'] }]);
  });

  it('names the file, line and key path of an unknown key, with the valid keys', () => {
    const messages = failures(VALID.replace('path: ./in', 'path: ./in\n    pol_interval: 5s'));
    expect(messages).to.deep.equal([
      'oktel.yaml:4: receivers::poller/a::pol_interval: unknown key "pol_interval" (valid keys: path, poll_interval, max_size, token, retry, storage)',
    ]);
  });

  it('reports a wrong type and a bad duration at their lines, all at once', () => {
    const messages = failures(VALID.replace('path: ./in', 'path: 42\n    poll_interval: 10 seconds\n    retry: { attempts: many }'));
    expect(messages).to.have.length(3);
    expect(messages[0]).to.equal('oktel.yaml:3: receivers::poller/a::path: expected string, received number');
    expect(messages[1]).to.match(/^oktel\.yaml:4: receivers::poller\/a::poll_interval: invalid duration "10 seconds"/);
    expect(messages[2]).to.match(/^oktel\.yaml:5: receivers::poller\/a::retry::attempts: expected number/);
  });

  it('reports a missing required key', () => {
    expect(failures(VALID.replace('path: ./in', 'retry: {}'))).to.deep.equal(['oktel.yaml:2: receivers::poller/a::path: required key is missing']);
  });

  it('lists the known types when a component type is unknown', () => {
    expect(failures(VALID.replace('sink:', 'kafka:').replace('[sink]', '[kafka]'))).to.deep.equal([
      'oktel.yaml:5: exporters::kafka: unknown exporter type "kafka" for id "kafka" (valid values: sink)',
    ]);
  });

  it('rejects a pipeline that references a component that is not configured', () => {
    expect(failures(VALID.replace('exporters: [sink]', 'exporters: [sink, sink/two]'))).to.deep.equal([
      'oktel.yaml:10: service::pipelines::logs::exporters[1]: references exporter "sink/two" which is not configured',
    ]);
  });

  it('rejects duplicate references, empty pipelines and non-log signals', () => {
    const messages = failures(VALID.replace('receivers: [poller/a]', 'receivers: [poller/a, poller/a]').replace('    logs:', '    traces:'));
    expect(messages).to.include('oktel.yaml:9: service::pipelines::traces::receivers[1]: references receiver "poller/a" more than once');
    expect(messages.some((m) => m.includes('"traces" is not a supported pipeline id'))).to.equal(true);
    expect(failures(VALID.replace('exporters: [sink]', 'exporters: []'))[0]).to.match(/service::pipelines::logs::exporters: .*at least one exporter/);
  });

  it('rejects an invalid component id', () => {
    expect(failures(VALID.replace('poller/a:', '"poller/":').replace('[poller/a]', '["poller/"]'))[0]).to.match(
      /receivers::poller\/: "poller\/" is not a valid component id/,
    );
  });

  it('checks that a referenced storage extension is configured and enabled', () => {
    const messages = failures(VALID.replace('path: ./in', 'path: ./in\n    storage: file_storage'));
    expect(messages).to.deep.equal(['oktel.yaml:4: receivers::poller/a::storage: references extension "file_storage" which is not configured']);
  });

  it('reports YAML syntax errors with their line', () => {
    const messages = failures('receivers:\n  poller:\n    path: [unclosed\nservice: {}\n');
    expect(messages[0]).to.match(/^oktel\.yaml:\d+: YAML syntax error/);
  });

  it('requires a service section', () => {
    expect(failures('receivers: {}\n')).to.deep.equal(['oktel.yaml:1: service: required key is missing: a config needs service::pipelines']);
  });

  it('reports a config file that cannot be read', () => {
    const messages = issuesOf(() => loadConfig([`${dir.path}/missing.yaml`], registry(), {}));
    expect(messages[0]).to.contain('missing.yaml: cannot read config file: ENOENT');
  });

  describe('environment substitution', () => {
    it('types a whole-value reference and splices one inside a string', () => {
      const config = load(
        VALID.replace('path: ./in', () => 'path: ${env:BASE}/in-$${literal}\n    retry:\n      attempts: ${env:ATTEMPTS}'),
        { BASE: '/var/okta', ATTEMPTS: '7' },
      );
      expect(config.components.get('receiver')!.get('poller/a')!.config).to.include({ path: '/var/okta/in-${literal}' });
      expect((config.components.get('receiver')!.get('poller/a')!.config as { retry: unknown }).retry).to.deep.equal({ attempts: 7 });
    });

    it('uses the default when the variable is unset, and ${VAR} without env: works the same', () => {
      const config = load(VALID.replace('path: ./in', 'path: ${env:MISSING:-/default}\n    poll_interval: ${INTERVAL}'), { INTERVAL: '2s' });
      expect(config.components.get('receiver')!.get('poller/a')!.config).to.include({ path: '/default', poll_interval: 2000 });
    });

    it('reports an unset variable without a default at its key', () => {
      expect(failures(VALID.replace('path: ./in', 'path: ${env:OKTA_PATH}'))).to.deep.equal([
        'oktel.yaml:3: receivers::poller/a::path: environment variable OKTA_PATH is not set (use ${env:OKTA_PATH:-default} to give a default)',
      ]);
    });
  });

  it('merges several files: maps deep-merge and the later file wins', () => {
    const base = writeConfig(dir.path, 'base.yaml', VALID);
    const override = writeConfig(dir.path, 'override.yaml', 'receivers:\n  poller/a:\n    poll_interval: 1s\n    bogus: 1\n');
    const messages = issuesOf(() => loadConfig([base, override], registry(), {})).map((m) => m.replace(`${dir.path}/`, ''));
    expect(messages).to.deep.equal([
      'override.yaml:4: receivers::poller/a::bogus: unknown key "bogus" (valid keys: path, poll_interval, max_size, token, retry, storage)',
    ]);
    const fixed = writeConfig(dir.path, 'override.yaml', 'receivers:\n  poller/a:\n    poll_interval: 1s\n');
    const config = loadConfig([base, fixed], registry(), {});
    expect(config.components.get('receiver')!.get('poller/a')!.config).to.include({ path: './in', poll_interval: 1000 });
  });

  it('merges several files: a list in a later file replaces the earlier list, it is not appended to', () => {
    const base = writeConfig(
      dir.path,
      'base.yaml',
      VALID.replace('receivers:\n  poller/a:\n    path: ./in', 'receivers:\n  poller/a:\n    path: ./in\n  poller/b:\n    path: ./other').replace(
        'receivers: [poller/a]',
        'receivers: [poller/a, poller/b]',
      ),
    );
    const override = writeConfig(dir.path, 'override.yaml', 'service:\n  pipelines:\n    logs:\n      receivers: [poller/b]\n');
    const config = loadConfig([base, override], registry(), {});
    expect(config.pipelines.map((p) => p.receivers)).to.deep.equal([['poller/b']]);
    expect(config.pipelines.map((p) => p.exporters)).to.deep.equal([['sink']]);
  });
});
