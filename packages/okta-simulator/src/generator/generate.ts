import type { OktaLogEvent } from '@oktel/okta-log-event';
import { benignAdminChange, benignSignIn } from './activity.js';
import { createOrg, type Org } from './org.js';
import { Random } from './random.js';
import { SCENARIO_BUILDERS, type ScenarioName } from './scenarios.js';

export interface GenerateOptions {
  seed?: number;
  /** Epoch ms of the first event. */
  start: number;
  /** Benign sign-ins to generate (each 4–10 events). */
  signIns: number;
  /** Mean gap between sign-ins, in ms. */
  meanGapMs?: number;
  users?: number;
  /** Attacks to inject, spread evenly over the timeline. */
  scenarios?: readonly ScenarioName[];
  org?: Org;
}

export interface GeneratedActivity {
  org: Org;
  events: OktaLogEvent[];
  /** The uuids of each injected attack's events, by scenario, for tests that check detections. */
  injected: { scenario: ScenarioName; victim: string; uuids: string[] }[];
}

/** A day in an org: benign sign-ins and admin work, with attacks injected; sorted by `published`. */
export function generateActivity(options: GenerateOptions): GeneratedActivity {
  const random = new Random(options.seed ?? 1);
  const org = options.org ?? createOrg(random, { users: options.users ?? 40 });
  const gap = options.meanGapMs ?? 20_000;
  const events: OktaLogEvent[] = [];
  let t = options.start;
  for (let i = 0; i < options.signIns; i++) {
    t += random.int(gap / 2, (gap * 3) / 2);
    events.push(...benignSignIn(random, org, random.pick(org.users), t));
    if (random.chance(0.05)) events.push(...benignAdminChange(random, org, org.users.find((u) => u.admin) ?? org.users[0]!, t + random.int(1000, 9000)));
  }
  const injected: GeneratedActivity['injected'] = [];
  const scenarios = options.scenarios ?? [];
  scenarios.forEach((scenario, i) => {
    const at = options.start + Math.round(((i + 0.5) / scenarios.length) * Math.max(t - options.start, 60_000));
    const victim = org.users[(i * 5 + 3) % org.users.length]!;
    const attack = SCENARIO_BUILDERS[scenario](random, org, victim, at);
    injected.push({ scenario, victim: victim.login, uuids: attack.map((e) => e.uuid) });
    events.push(...attack);
  });
  events.sort((a, b) => a.published.localeCompare(b.published));
  return { org, events, injected };
}
