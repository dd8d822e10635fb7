import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, MemoryLogSink, type HealthStatus, type StatusEvent } from '@oktel/core';
import { generateActivity, OktaSimulator, type SimulatorOptions } from '@oktel/okta-simulator';
import type { OktaLogEvent } from '@oktel/okta-log-event';
import { memoryCheckpoints, oktaReceiverConfigSchema, pollerSettings, SystemLogPoller, type CheckpointStore } from '@oktel/receiver-okta';
import { waitUntil } from '@oktel/testkit';
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

export interface PollerHarness<C extends CheckpointStore = ReturnType<typeof memoryCheckpoints>> {
  delivered: OktaLogEvent[];
  logs: MemoryLogSink;
  health: HealthStatus[];
  statuses: StatusEvent[];
  /** Every wait the poller asked for, in ms, in order (recorded, then really waited). */
  waits: number[];
  poller: SystemLogPoller;
  checkpoints: C;
  stop: () => Promise<void>;
  waitFor: (n: number, timeoutMs?: number) => Promise<void>;
  waitForLog: (text: string, timeoutMs?: number) => Promise<void>;
  deliverHook: { fail: number; delayMs: number };
}

/** Runs a poller against the simulator until stopped, collecting what it delivers. */
export function runPoller<C extends CheckpointStore = ReturnType<typeof memoryCheckpoints>>(
  sim: OktaSimulator,
  config: Record<string, unknown> = {},
  checkpoints: C = memoryCheckpoints() as CheckpointStore as C,
): PollerHarness<C> {
  const parsed = oktaReceiverConfigSchema.parse({
    domain: sim.origin,
    auth: { api_token: TOKEN },
    poll_interval: '50ms',
    retry: { initial_interval: '20ms', max_interval: '200ms', auth_failure_interval: '300ms' },
    ...config,
  });
  const logs = new MemoryLogSink();
  const delivered: OktaLogEvent[] = [];
  const health: HealthStatus[] = [];
  const statuses: StatusEvent[] = [];
  const waits: number[] = [];
  const deliverHook = { fail: 0, delayMs: 0 };
  const abort = new AbortController();
  const poller = new SystemLogPoller(pollerSettings(parsed), {
    auth: createAuthenticatorForTest(parsed, pollerSettings(parsed).orgUrl),
    checkpoints,
    logger: createLogger({ sink: logs, level: 'debug' }),
    reportHealth: (s) => health.push(s),
    reportStatus: (e) => statuses.push(e),
    sleep: async (ms, signal) => {
      waits.push(ms);
      if (ms > 0 && !signal.aborted) await sleep(ms, undefined, { signal }).catch(() => undefined);
    },
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
    statuses,
    waits,
    poller,
    checkpoints,
    deliverHook,
    stop: async () => {
      abort.abort();
      await run;
    },
    waitFor: (n, timeoutMs = 20_000) =>
      waitUntil(
        () => delivered.length >= n,
        timeoutMs,
        () => `${n} events delivered (${delivered.length} were)\n${logs.text.slice(-2000)}`,
        10,
      ),
    waitForLog: (text, timeoutMs = 10_000) =>
      waitUntil(
        () => logs.text.includes(text),
        timeoutMs,
        () => `the log to say ${JSON.stringify(text)}\n${logs.text.slice(-2000)}`,
        10,
      ),
  };
}

export function rsaKeyFiles(dir: string, name = 'key.pem'): { privateKeyFile: string; publicJwk: Record<string, unknown> } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyFile = join(dir, name);
  writeFileSync(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return { privateKeyFile, publicJwk: { ...publicKey.export({ format: 'jwk' }), alg: 'RS256', kid: 'test-key' } };
}
