/**
 * Generates src/attack/attack-enterprise.generated.ts, the ATT&CK table `oktel rules lint` and
 * `oktel rules coverage` check rules against, from MITRE ATT&CK Enterprise v18.1 as data (the
 * 14 tactics and every active technique with its tactics, extracted from MITRE's STIX objects)
 * with the ATT&CK v19 changes of V19 below applied on top.
 *
 *   pnpm exec tsx packages/processor-detection/scripts/generate-attack.ts <attack-enterprise.json>
 *
 * ATT&CK® is a registered trademark of The MITRE Corporation. The data is (c) The MITRE
 * Corporation, reproduced under its terms of use (https://attack.mitre.org/resources/legal-and-branding/terms-of-use/).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface SourceTactic {
  id: string;
  shortname: string;
  name: string;
}
interface SourceTechnique {
  id: string;
  name: string;
  tactics: string[];
}
interface Source {
  source: string;
  tactics: SourceTactic[];
  techniques: SourceTechnique[];
}

/**
 * ATT&CK v19 (April 2026) on top of v18.1, as far as the project could confirm it from public
 * sources (Elastic detection-rules `attack_v18_to_v19.yaml`, SigmaHQ's v19 retag PR #5966, rules
 * re-tagged by their authors). Defense Evasion was split by one question: is the adversary
 * hiding (Stealth, which keeps TA0005) or breaking a defence (Defense Impairment, new TA0112)?
 */
const V19 = {
  tactics: {
    rename: { TA0005: { name: 'Stealth', shortname: 'stealth' } } as Record<string, { name: string; shortname: string }>,
    /** Inserted after TA0005, in matrix order. */
    add: [{ id: 'TA0112', name: 'Defense Impairment', shortname: 'defense-impairment' }],
  },
  /** v18 ids revoked in v19 and the technique that replaces each (Elastic's v18→v19 map). */
  renumbered: {
    T1562: { id: 'T1685', name: 'Disable or Modify Tools' },
    'T1562.001': { id: 'T1685', name: 'Disable or Modify Tools' },
    'T1562.006': { id: 'T1685', name: 'Disable or Modify Tools' },
    'T1562.002': { id: 'T1685.001', name: 'Disable or Modify Windows Event Log' },
    'T1562.008': { id: 'T1685.002', name: 'Disable or Modify Cloud Log' },
    'T1070.001': { id: 'T1685.005', name: 'Clear Windows Event Logs' },
    'T1070.002': { id: 'T1685.006', name: 'Clear Linux or Mac System Logs' },
    'T1562.004': { id: 'T1686', name: 'Disable or Modify System Firewall' },
    'T1562.007': { id: 'T1686.001', name: 'Cloud Firewall' },
    'T1562.010': { id: 'T1689', name: 'Downgrade Attack' },
    T1656: { id: 'T1684.001', name: 'Impersonation' },
    'T1547.011': { id: 'T1647', name: 'Plist File Modification' },
  } as Record<string, { id: string; name: string }>,
  /** Techniques new in v19 that the renumbering needs, with their v19 tactics. */
  added: [
    { id: 'T1685', name: 'Disable or Modify Tools', tactics: ['defense-impairment'] },
    { id: 'T1685.001', name: 'Disable or Modify Windows Event Log', tactics: ['defense-impairment'] },
    { id: 'T1685.002', name: 'Disable or Modify Cloud Log', tactics: ['defense-impairment'] },
    { id: 'T1685.005', name: 'Clear Windows Event Logs', tactics: ['defense-impairment'] },
    { id: 'T1685.006', name: 'Clear Linux or Mac System Logs', tactics: ['defense-impairment'] },
    { id: 'T1686', name: 'Disable or Modify System Firewall', tactics: ['defense-impairment'] },
    { id: 'T1686.001', name: 'Cloud Firewall', tactics: ['defense-impairment'] },
    { id: 'T1689', name: 'Downgrade Attack', tactics: ['defense-impairment'] },
  ],
  /**
   * v18 Defense Evasion techniques that v19 files under Defense Impairment (with their
   * sub-techniques); every other one keeps TA0005, now Stealth. Sources: SigmaHQ's v19 tags
   * (T1556.006 "Okta MFA Reset or Deactivated", T1548/T1556 "CA Policy Removed", T1112 registry
   * rules) and rules re-tagged for v19 by their authors (T1484.002 with Defense Impairment).
   */
  impairment: ['T1556', 'T1548', 'T1112', 'T1484'],
};

export function applyV19(source: Source): { tactics: SourceTactic[]; techniques: SourceTechnique[] } {
  const tactics: SourceTactic[] = [];
  for (const tactic of source.tactics) {
    tactics.push({ ...tactic, ...(V19.tactics.rename[tactic.id] ?? {}) });
    if (tactic.id === 'TA0005') tactics.push(...V19.tactics.add);
  }
  const techniques: SourceTechnique[] = [];
  for (const technique of source.techniques) {
    if (V19.renumbered[technique.id]) continue;
    const parent = technique.id.split('.')[0]!;
    const impairs = V19.impairment.includes(parent);
    const moved = technique.tactics.map((t) => (t === 'defense-evasion' ? (impairs ? 'defense-impairment' : 'stealth') : t));
    techniques.push({ id: technique.id, name: technique.name, tactics: [...new Set(moved)] });
  }
  for (const added of V19.added) if (!techniques.some((t) => t.id === added.id)) techniques.push(added);
  techniques.sort((a, b) => a.id.localeCompare(b.id));
  return { tactics, techniques };
}

function render(source: Source): string {
  const { tactics, techniques } = applyV19(source);
  const tacticId = new Map(tactics.map((t) => [t.shortname, t.id]));
  const lines = [
    '// GENERATED by packages/processor-detection/scripts/generate-attack.ts — do not edit; rerun the script.',
    '//',
    `// Derived from MITRE ATT&CK® Enterprise: ${source.source}`,
    '// with the ATT&CK v19 changes listed in the script applied. ATT&CK® is a registered trademark of',
    '// The MITRE Corporation; the data is (c) The MITRE Corporation, reproduced and distributed under',
    '// its terms of use: https://attack.mitre.org/resources/legal-and-branding/terms-of-use/',
    '',
    "export const ATTACK_VERSION = '19';",
    '',
    '/** Tactics in matrix order: id → name and Navigator shortname. */',
    'export const ATTACK_TACTICS: Readonly<Record<string, { readonly name: string; readonly shortname: string }>> = {',
    ...tactics.map((t) => `  ${t.id}: { name: ${JSON.stringify(t.name)}, shortname: ${JSON.stringify(t.shortname)} },`),
    '};',
    '',
    '/** Every active technique and sub-technique: id → [name, tactic ids that contain it]. */',
    'export const ATTACK_TECHNIQUES: Readonly<Record<string, readonly [string, readonly string[]]>> = {',
    ...techniques.map(
      (t) => `  ${JSON.stringify(t.id)}: [${JSON.stringify(t.name)}, [${t.tactics.map((s) => JSON.stringify(tacticId.get(s) ?? s)).join(', ')}]],`,
    ),
    '};',
    '',
    '/** v18 ids revoked in v19 → the technique that replaces them (for a clear lint message). */',
    'export const ATTACK_RENUMBERED: Readonly<Record<string, string>> = {',
    ...Object.entries(V19.renumbered).map(([from, to]) => `  ${JSON.stringify(from)}: ${JSON.stringify(to.id)},`),
    '};',
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const input = process.argv[2];
  if (!input) {
    process.stderr.write('usage: generate-attack.ts <attack-enterprise.json>\n');
    process.exit(2);
  }
  const output = fileURLToPath(new URL('../src/attack/attack-enterprise.generated.ts', import.meta.url));
  writeFileSync(output, render(JSON.parse(readFileSync(input, 'utf8')) as Source));
  process.stdout.write(`wrote ${output}\n`);
}
