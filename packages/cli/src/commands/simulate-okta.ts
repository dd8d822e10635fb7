import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseDuration } from '@oktel/core';
import { UsageError } from '../usage.js';
import { OktaSimulator, runLiveOrg, SCENARIOS } from '@oktel/okta-simulator';

export const SIMULATE_USAGE = `oktel simulate-okta [--port 8089] [--token TOKEN] [--backlog 24h] [--sign-ins-per-minute 30]
                    [--attack-every 2m] [--late-share 0.02] [--rate-limit 120]`;

/** Serves a fake Okta org on 127.0.0.1 until SIGINT/SIGTERM, for trying the okta receiver without a tenant. */
export async function simulateOktaCommand(args: string[], out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string', default: '8089' },
      token: { type: 'string' },
      backlog: { type: 'string', default: '24h' },
      'sign-ins-per-minute': { type: 'string', default: '30' },
      'attack-every': { type: 'string', default: '2m' },
      'late-share': { type: 'string', default: '0.02' },
      'rate-limit': { type: 'string', default: '120' },
    },
  });
  const duration = (name: string, text: string): number => {
    const ms = parseDuration(text);
    if (ms === undefined) throw new UsageError(`--${name}: invalid duration "${text}"`, ['simulate-okta']);
    return ms;
  };
  const token = values.token ?? `00sim${randomBytes(18).toString('base64url')}`;
  const sim = new OktaSimulator({ apiTokens: [token], rateLimit: Number(values['rate-limit']), port: Number(values.port) });
  const origin = await sim.start();
  const live = runLiveOrg(sim, {
    backlogMs: duration('backlog', values.backlog),
    signInsPerMinute: Number(values['sign-ins-per-minute']),
    attackEveryMs: duration('attack-every', values['attack-every']),
    lateShare: Number(values['late-share']),
  });
  out.write(`Okta simulator serving ${origin}/api/v1/logs (${sim.log.size} events in the backlog).

Point the okta receiver at it:

  OKTA_DOMAIN=${origin} OKTA_API_TOKEN=${token} pnpm oktel run --config configs/okta-simulator.yaml

Attacks injected in turn: ${SCENARIOS.join(', ')}.
Stop with Ctrl-C.
`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  live.stop();
  await sim.stop();
  return 0;
}
