import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, MemoryLogSink, type HealthStatus } from '@oktel/core';
import { generateActivity, OktaSimulator, type SimulatorOptions } from '@oktel/okta-simulator';
import type { OktaLogEvent } from '@oktel/okta-log-event';
import { memoryCheckpoints, oktaReceiverConfigSchema, pollerSettings, SystemLogPoller } from '@oktel/receiver-okta';
import { createAuthenticatorForTest } from './auth-for-test.js';

export const TOKEN = '00abcdefghijklmnopqrstuvwxyz0123456789ABCD';

export function events(count: number, startMs = Date.now() - 3_600_000): OktaLogEvent[] {
  const { events: all } = generateActivity({ seed: count, start: startMs, signIns: Math.ceil(count / 5) + 5, meanGapMs: 400 });
  return all.slice(0, count);
}

export async function simulator(options: SimulatorOptions = {}): Promise<OktaSimulator> {
  const sim = new OktaSimulator({ apiTokens: [TOKEN], ...options });
  await sim.start();
  return sim;
}

export interface PollerHarness {
  delivered: OktaLogEvent[];
  logs: MemoryLogSink;
  health: HealthStatus[];
  checkpoints: ReturnType<typeof memoryCheckpoints>;
  stop: () => Promise<void>;
  waitFor: (n: number, timeoutMs?: number) => Promise<void>;
  deliverHook: { fail: number; delayMs: number };
}

/** Runs a poller against the simulator until stopped, collecting what it delivers. */
export function runPoller(sim: OktaSimulator, config: Record<string, unknown> = {}, checkpoints = memoryCheckpoints()): PollerHarness {
  const parsed = oktaReceiverConfigSchema.parse({ domain: sim.origin, auth: { api_token: TOKEN }, poll_interval: '50ms', retry: { initial_interval: '20ms', max_interval: '200ms', auth_failure_interval: '300ms' }, ...config });
  const logs = new MemoryLogSink();
  const delivered: OktaLogEvent[] = [];
  const health: HealthStatus[] = [];
  const deliverHook = { fail: 0, delayMs: 0 };
  const abort = new AbortController();
  const poller = new SystemLogPoller(pollerSettings(parsed), {
    auth: createAuthenticatorForTest(parsed, pollerSettings(parsed).orgUrl),
    checkpoints,
    logger: createLogger({ sink: logs, level: 'debug' }),
    reportHealth: (s) => health.push(s),
    deliver: async (page) => {
      if (deliverHook.delayMs) await new Promise((r) => setTimeout(r, deliverHook.delayMs));
      if (deliverHook.fail > 0) {
        deliverHook.fail--;
        throw new Error('exporter queue full');
      }
      delivered.push(...page);
    },
  });
  const run = poller.run(abort.signal);
  return {
    delivered,
    logs,
    health,
    checkpoints,
    deliverHook,
    stop: async () => {
      abort.abort();
      await run;
    },
    waitFor: async (n, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (delivered.length < n) {
        if (Date.now() > deadline) throw new Error(`timed out: ${delivered.length} of ${n} events delivered\n${logs.text.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

export function rsaKeyFiles(dir: string, name = 'key.pem'): { privateKeyFile: string; publicJwk: Record<string, unknown> } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyFile = join(dir, name);
  writeFileSync(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return { privateKeyFile, publicJwk: { ...publicKey.export({ format: 'jwk' }), alg: 'RS256', kid: 'test-key' } };
}
