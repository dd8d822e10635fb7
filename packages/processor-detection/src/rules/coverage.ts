import { ATTACK_VERSION, TACTICS, TECHNIQUES, tacticContains } from '../attack/attack-v19.js';
import type { CompiledRule } from './compiled-rule.js';

interface Covered {
  tacticId: string;
  techniqueId: string;
  rules: string[];
}

function coverage(rules: readonly CompiledRule[]): Covered[] {
  const map = new Map<string, Covered>();
  for (const rule of rules) {
    for (const threat of rule.definition.threat) {
      for (const technique of threat.techniques.flatMap((t) => [t, ...t.subtechniques])) {
        // A pair ATT&CK does not have is no cell in Navigator: `rules lint` reports it; never draw it.
        if (!tacticContains(threat.tactic.id, technique.id)) continue;
        const key = `${threat.tactic.id} ${technique.id}`;
        const entry = map.get(key) ?? { tacticId: threat.tactic.id, techniqueId: technique.id, rules: [] };
        if (!entry.rules.includes(rule.definition.id)) entry.rules.push(rule.definition.id);
        map.set(key, entry);
      }
    }
  }
  return [...map.values()].sort((a, b) => a.tacticId.localeCompare(b.tacticId) || a.techniqueId.localeCompare(b.techniqueId));
}

/** An ATT&CK Navigator layer (format 4.5) scoring each technique by the number of rules covering it. */
export function navigatorLayer(rules: readonly CompiledRule[], name = 'oktel Okta detections'): Record<string, unknown> {
  const covered = coverage(rules);
  const max = Math.max(1, ...covered.map((c) => c.rules.length));
  return {
    name,
    versions: { attack: ATTACK_VERSION, navigator: '5.1.0', layer: '4.5' },
    domain: 'enterprise-attack',
    description: `Techniques covered by ${rules.length} oktel detection rules`,
    techniques: covered.map((c) => ({
      techniqueID: c.techniqueId,
      tactic: TACTICS[c.tacticId]?.shortname ?? c.tacticId,
      score: c.rules.length,
      comment: c.rules.join(', '),
      enabled: true,
    })),
    gradient: { colors: ['#dbeafe', '#1d4ed8'], minValue: 0, maxValue: max },
    legendItems: [],
    showTacticRowBackground: true,
  };
}

export function coverageTable(rules: readonly CompiledRule[]): string {
  const lines = ['| tactic | technique | rules |', '|---|---|---|'];
  for (const c of coverage(rules)) {
    lines.push(
      `| ${c.tacticId} ${TACTICS[c.tacticId]?.name ?? ''} | ${c.techniqueId} ${TECHNIQUES[c.techniqueId] ?? ''} | ${c.rules.map((r) => `\`${r}\``).join(', ')} |`,
    );
  }
  return lines.join('\n');
}
