import { expect } from 'chai';
import { z } from 'zod';
import { ComponentRegistry, ConfigError, loadConfig, secret, type ReceiverFactory } from '@oktel/core';
import { LogsSink, sinkExporterFactory, tempDir, writeConfig } from '@oktel/testkit';

const pollerFactory: ReceiverFactory<unknown> = {
  type: 'poller',
  kind: 'receiver',
  description: 'test receiver',
  stability: 'development',
  configSchema: z.strictObject({ token: secret(), port: z.number().int(), level: z.enum(['a', 'b']).default('a') }),
  create: () => ({ start: async () => undefined, shutdown: async () => undefined }),
};
const registry = (): ComponentRegistry => new ComponentRegistry([pollerFactory, sinkExporterFactory('sink', new LogsSink())]);

describe('config loader: unset environment variables', () => {
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  beforeEach(() => {
    dir = tempDir();
    file = writeConfig(
      dir.path,
      'oktel.yaml',
      'receivers:\n  poller:\n    token: ${env:POLL_TOKEN}\n    port: ${env:POLL_PORT}\nexporters:\n  sink: {}\nservice:\n  pipelines:\n    logs: { receivers: [poller], exporters: [sink] }\n',
    );
  });
  afterEach(() => dir.cleanup());

  it('fails the load by default, naming each variable at its key', () => {
    try {
      loadConfig([file], registry(), {});
      expect.fail('loaded');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      const unset = (err as ConfigError).issues.filter((i) => i.message.startsWith('environment variable'));
      expect(unset.map((i) => `${i.line} ${i.path.join('.')}`)).to.deep.equal(['3 receivers.poller.token', '4 receivers.poller.port']);
    }
  });

  it("with unsetEnv 'warn', loads with placeholders and returns one located warning per variable", () => {
    const config = loadConfig([file], registry(), {}, { unsetEnv: 'warn' });
    expect(config.warnings?.map((w) => `${w.file}:${w.line} ${w.path.join('.')}: ${w.message.split(' (')[0]}`)).to.deep.equal([
      `${file}:3 receivers.poller.token: environment variable POLL_TOKEN is not set`,
      `${file}:4 receivers.poller.port: environment variable POLL_PORT is not set`,
    ]);
    expect(config.pipelines.map((p) => p.id)).to.deep.equal(['logs']);
  });

  it("with unsetEnv 'warn', still fails on a problem that does not come from an unset variable", () => {
    const broken = writeConfig(
      dir.path,
      'broken.yaml',
      'receivers:\n  poller:\n    token: ${env:POLL_TOKEN}\n    port: 80\n    level: c\nexporters:\n  sink: {}\nservice:\n  pipelines:\n    logs: { receivers: [poller], exporters: [sink] }\n',
    );
    expect(() => loadConfig([broken], registry(), {}, { unsetEnv: 'warn' })).to.throw(ConfigError, /receivers::poller::level/);
  });
});
