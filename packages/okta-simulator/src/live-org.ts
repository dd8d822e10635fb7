import { generateActivity, type GenerateOptions } from './generator/generate.js';
import { createOrg } from './generator/org.js';
import { Random } from './generator/random.js';
import { SCENARIOS, type ScenarioName } from './generator/scenarios.js';
import type { OktaSimulator } from './server/simulator.js';

export interface LiveOrgOptions {
  /** Backlog to serve at start: this much past activity, attacks included. */
  backlogMs: number;
  /** New benign sign-ins per minute while running. */
  signInsPerMinute: number;
  /** Inject one attack scenario (in turn) this often; 0 = never. */
  attackEveryMs: number;
  /** Share of live events that become visible late (after newer ones). */
  lateShare: number;
  seed?: number;
}

/**
 * Keeps a simulator's org busy: a backlog of past activity with every attack scenario, then
 * live sign-ins every few seconds and, on a schedule, attacks, some events arriving late.
 */
export function runLiveOrg(sim: OktaSimulator, options: LiveOrgOptions): { stop: () => void; inject: (scenario: ScenarioName) => void } {
  const random = new Random(options.seed ?? 42);
  const org = createOrg(random);
  const now = Date.now();
  const backlogSignIns = Math.round((options.backlogMs / 60_000) * Math.min(options.signInsPerMinute, 2));
  sim.append(
    generateActivity({
      org,
      seed: random.int(1, 1e9),
      start: now - options.backlogMs,
      signIns: backlogSignIns,
      meanGapMs: options.backlogMs / Math.max(1, backlogSignIns),
      scenarios: SCENARIOS,
    }).events.filter((e) => Date.parse(e.published) <= now),
  );

  const emit = (base: Omit<GenerateOptions, 'org' | 'seed'>): void => {
    const { events } = generateActivity({ ...base, org, seed: random.int(1, 1e9) });
    const late = events.filter(() => random.chance(options.lateShare));
    // Okta never serves an event before its published time: an attack whose steps run past now is
    // released step by step as the clock reaches them (a late event additionally arrives later still).
    const now = Date.now();
    for (const event of events) {
      const dueIn = Math.max(0, Date.parse(event.published) - now);
      const delayMs = dueIn + (late.includes(event) ? random.int(2_000, 30_000) : 0);
      sim.append([event], delayMs > 0 ? { delayMs } : {});
    }
  };
  const tick = setInterval(() => emit({ start: Date.now() - 5_000, signIns: Math.max(1, Math.round(options.signInsPerMinute / 12)), meanGapMs: 400 }), 5_000);
  let next = 0;
  const inject = (scenario: ScenarioName): void => emit({ start: Date.now() - 60_000, signIns: 0, scenarios: [scenario] });
  const attacks = options.attackEveryMs > 0 ? setInterval(() => inject(SCENARIOS[next++ % SCENARIOS.length]!), options.attackEveryMs) : undefined;
  return {
    inject,
    stop: () => {
      clearInterval(tick);
      if (attacks) clearInterval(attacks);
    },
  };
}
