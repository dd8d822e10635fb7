import { ATTACK_RENUMBERED, ATTACK_TACTICS, ATTACK_TECHNIQUES, ATTACK_VERSION } from './attack-enterprise.generated.js';

/**
 * MITRE ATT&CK Enterprise v19 as the rules are checked against it: generated from MITRE's
 * published data (see scripts/generate-attack.ts and the NOTICE in the generated file).
 * ATT&CK® is a registered trademark of The MITRE Corporation; the data is (c) MITRE.
 */
export { ATTACK_VERSION };

export const TACTICS: Readonly<Record<string, { name: string; shortname: string }>> = ATTACK_TACTICS;

/** Technique and sub-technique id → name. */
export const TECHNIQUES: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(ATTACK_TECHNIQUES).map(([id, [name]]) => [id, name])),
);

/** Technique id → the tactic ids whose column contains it (a sub-technique's are its parent's). */
export const TECHNIQUE_TACTICS: Readonly<Record<string, readonly string[]>> = Object.freeze(
  Object.fromEntries(Object.entries(ATTACK_TECHNIQUES).map(([id, [, tactics]]) => [id, tactics])),
);

/** v18 technique ids revoked in v19 → their replacement. */
export const RENUMBERED: Readonly<Record<string, string>> = ATTACK_RENUMBERED;

/** Whether ATT&CK places the technique under the tactic (Navigator shows only such cells). */
export function tacticContains(tacticId: string, techniqueId: string): boolean {
  return TECHNIQUE_TACTICS[techniqueId]?.includes(tacticId) ?? false;
}
