import type { EngineSnapshot } from '../engine.js';
import type { CompiledRule } from '../rules/compiled-rule.js';
import { correlationFingerprint } from './overrides.js';

/**
 * The part of the running engine's correlation state a reloaded rule set can keep: the groups of
 * stateful rules whose identity and correlation settings (id, version, match, group_by,
 * correlate) are unchanged. A rule whose threshold, window or match changed starts empty, since
 * its saved counts would mean something else under the new settings.
 */
export function carriedState(
  snapshot: EngineSnapshot,
  before: readonly CompiledRule[],
  after: readonly CompiledRule[],
): { snapshot: EngineSnapshot; kept: number; reset: number } {
  const old = new Map(before.map((r) => [r.definition.id, correlationFingerprint(r)]));
  const unchanged = new Set<string>();
  let reset = 0;
  for (const rule of after) {
    const fingerprint = correlationFingerprint(rule);
    if (fingerprint === undefined) continue;
    if (old.get(rule.definition.id) === fingerprint) unchanged.add(rule.definition.id);
    else if (old.has(rule.definition.id)) reset++;
  }
  return { snapshot: { ...snapshot, rules: snapshot.rules.filter(([id]) => unchanged.has(id)) }, kept: unchanged.size, reset };
}
