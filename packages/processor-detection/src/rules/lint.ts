import { ATTACK_VERSION, RENUMBERED, TACTICS, TECHNIQUE_TACTICS, TECHNIQUES, tacticContains } from '../attack/attack-v19.js';
import type { CompiledRule } from './compiled-rule.js';
import { missingTestKinds } from './rule-tests.js';

export interface LintFinding {
  rule: string;
  file: string;
  message: string;
}

function varPath(node: unknown): string | undefined {
  if (typeof node !== 'object' || node === null || Array.isArray(node) || Object.keys(node).length !== 1 || !('var' in node)) return undefined;
  const arg = (node as { var: unknown }).var;
  return typeof arg === 'string' ? arg : Array.isArray(arg) && typeof arg[0] === 'string' ? arg[0] : undefined;
}

/** Conditions that can never hold, found by looking at the rule, not by running it. */
export function unreachable(logic: unknown, at = 'match'): string[] {
  if (typeof logic !== 'object' || logic === null || Array.isArray(logic)) return [];
  const [op] = Object.keys(logic);
  const args = (logic as Record<string, unknown>)[op!];
  const list = Array.isArray(args) ? args : [args];
  const found: string[] = list.flatMap((child, i) => unreachable(child, `${at}.${op}[${i}]`));
  if (op === 'in' && Array.isArray(list[1]) && list[1].length === 0) found.push(`${at}: "in" an empty list never holds`);
  if (op === 'and') {
    if (list.some((c) => c === false || c === null || c === 0 || c === '')) found.push(`${at}: "and" with a literal false never holds`);
    const pinned = new Map<string, unknown>();
    for (const clause of list) {
      if (typeof clause !== 'object' || clause === null || Array.isArray(clause)) continue;
      const [cop] = Object.keys(clause);
      const cargs = (clause as Record<string, unknown>)[cop!];
      if ((cop !== '==' && cop !== '===') || !Array.isArray(cargs) || cargs.length !== 2) continue;
      const path = varPath(cargs[0]) ?? varPath(cargs[1]);
      const value = varPath(cargs[0]) ? cargs[1] : cargs[0];
      if (!path || typeof value === 'object') continue;
      if (pinned.has(path) && pinned.get(path) !== value)
        found.push(`${at}: "and" requires ${path} to be both ${JSON.stringify(pinned.get(path))} and ${JSON.stringify(value)}`);
      pinned.set(path, value);
    }
  }
  return found;
}

/** Everything `oktel rules lint` checks beyond what loading already enforces (schema, ids, JsonLogic). */
export function lintRules(rules: readonly CompiledRule[]): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const rule of rules) {
    const def = rule.definition;
    const add = (message: string): void => void findings.push({ rule: def.id, file: rule.file, message });
    for (const threat of def.threat) {
      const tactic = TACTICS[threat.tactic.id];
      if (!tactic) add(`unknown ATT&CK v${ATTACK_VERSION} tactic ${threat.tactic.id}`);
      else if (tactic.name !== threat.tactic.name)
        add(`tactic ${threat.tactic.id} is "${tactic.name}" in ATT&CK v${ATTACK_VERSION}, not "${threat.tactic.name}"`);
      for (const parent of threat.techniques) {
        for (const technique of [parent, ...parent.subtechniques]) {
          const name = TECHNIQUES[technique.id];
          if (!name) {
            const replacement = RENUMBERED[technique.id];
            add(
              `unknown ATT&CK v${ATTACK_VERSION} technique ${technique.id}${replacement ? ` (revoked in v${ATTACK_VERSION}: use ${replacement} ${TECHNIQUES[replacement] ?? ''})` : ''}`,
            );
            continue;
          }
          if (name !== technique.name) add(`technique ${technique.id} is "${name}" in ATT&CK v${ATTACK_VERSION}, not "${technique.name}"`);
          if (technique !== parent && !technique.id.startsWith(`${parent.id}.`)) add(`sub-technique ${technique.id} is not a sub-technique of ${parent.id}`);
          if (tactic && !tacticContains(threat.tactic.id, technique.id)) {
            const homes = (TECHNIQUE_TACTICS[technique.id] ?? []).map((id) => `${id} ${TACTICS[id]?.name ?? ''}`).join(', ');
            add(`technique ${technique.id} ${name} is not under tactic ${threat.tactic.id} ${tactic.name} in ATT&CK v${ATTACK_VERSION} (it is under ${homes})`);
          }
        }
      }
    }
    for (const problem of unreachable(def.match)) add(problem);
    if (def.correlate?.type === 'sequence') def.correlate.steps.forEach((s, i) => unreachable(s.match, `correlate.steps[${i}].match`).forEach(add));
    // Travel is between one person's sign-ins: without an entity every user's sign-ins would be compared with everyone's.
    if (def.correlate?.type === 'impossible_travel' && def.group_by.length === 0)
      add('impossible_travel without group_by compares every sign-in with the previous one of anyone: group by the user (actor.alternateId)');
    for (const missing of missingTestKinds(rule)) add(`missing ${missing}`);
    if (def.references.length === 0) add('no references: say where the logic comes from');
  }
  return findings;
}
