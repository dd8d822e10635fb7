/**
 * Sigma metadata onto oktel's rule fields: `level` → severity, `tags: attack.*` → ATT&CK threat
 * entries with the names of the ATT&CK version the project ships (passed in, not copied here).
 */
export interface AttackTables {
  version: string;
  tactics: Readonly<Record<string, { name: string; shortname: string }>>;
  techniques: Readonly<Record<string, string>>;
}

export interface NativeThreat {
  tactic: { id: string; name: string };
  techniques: { id: string; name: string; subtechniques: { id: string; name: string }[] }[];
}

const LEVELS = new Set(['informational', 'low', 'medium', 'high', 'critical']);

export function severityOf(level: unknown, warn: (m: string) => void): string {
  if (level === undefined) {
    warn('no level: severity medium');
    return 'medium';
  }
  if (typeof level === 'string' && LEVELS.has(level.toLowerCase())) return level.toLowerCase();
  warn(`level ${JSON.stringify(level)} is not a Sigma level: severity medium`);
  return 'medium';
}

/** ATT&CK v19 split Defense Evasion (TA0005): older tags are mapped, and said so. */
const RENAMED_TACTICS: Readonly<Record<string, string>> = { 'defense-evasion': 'stealth' };

export function threatOf(tags: readonly string[], attack: AttackTables, warn: (m: string) => void): { threat: NativeThreat[]; otherTags: string[] } {
  const tactics: { id: string; name: string }[] = [];
  const techniqueIds: string[] = [];
  const otherTags: string[] = [];
  for (const tag of tags) {
    const lower = tag.toLowerCase();
    if (!lower.startsWith('attack.')) {
      otherTags.push(tag);
      continue;
    }
    const rest = lower.slice('attack.'.length);
    if (/^t\d{4}(\.\d{3})?$/.test(rest)) {
      techniqueIds.push(rest.toUpperCase());
      continue;
    }
    if (/^(g|s|m|c|ds|ta)\d{4}$/.test(rest)) {
      // Groups, software, mitigations: kept as plain tags; tactic ids are mapped below.
      if (rest.startsWith('ta')) {
        const id = rest.toUpperCase();
        const t = attack.tactics[id];
        if (t) tactics.push({ id, name: t.name });
        else warn(`tag ${tag}: no tactic ${id} in ATT&CK v${attack.version}`);
      } else otherTags.push(tag);
      continue;
    }
    let shortname = rest.replace(/_/g, '-');
    if (RENAMED_TACTICS[shortname]) {
      warn(
        `tag ${tag}: ATT&CK v${attack.version} split Defense Evasion; mapped to ${RENAMED_TACTICS[shortname]} (retag as attack.stealth or attack.defense-impairment)`,
      );
      shortname = RENAMED_TACTICS[shortname]!;
    }
    const found = Object.entries(attack.tactics).find(([, t]) => t.shortname === shortname);
    if (found) tactics.push({ id: found[0], name: found[1].name });
    else warn(`tag ${tag}: not an ATT&CK v${attack.version} tactic or technique`);
  }
  const uniqueTactics = [...new Map(tactics.map((t) => [t.id, t])).values()];
  const nameOf = (id: string): string => {
    const name = attack.techniques[id];
    if (!name) warn(`technique ${id} is not in oktel's ATT&CK v${attack.version} table: named by its id (rules lint will flag it)`);
    return name ?? id;
  };
  // Sigma tags do not say which tactic a technique serves: the techniques go under the first
  // tactic (the alert's threat.technique.* lists are the same either way).
  const techniques: NativeThreat['techniques'] = [];
  for (const id of [...new Set(techniqueIds)].sort()) {
    const parent = id.split('.')[0]!;
    let entry = techniques.find((t) => t.id === parent);
    if (!entry) {
      entry = { id: parent, name: nameOf(parent), subtechniques: [] };
      techniques.push(entry);
    }
    if (id !== parent) entry.subtechniques.push({ id, name: nameOf(id) });
  }
  if (uniqueTactics.length === 0 && techniques.length > 0)
    warn('ATT&CK techniques without a tactic tag: the alert carries the techniques, but native rules need a tactic (add attack.<tactic>)');
  const threat: NativeThreat[] = uniqueTactics.map((tactic, i) => ({ tactic, techniques: i === 0 ? techniques : [] }));
  return { threat, otherTags };
}
