import { stringify } from 'yaml';
import type { CompiledSigmaRule } from './compile.js';

/**
 * A compiled Sigma rule as a native rule file, to review, extend and add tests to. A rule whose
 * group-by needs aliases (a different field per referenced rule) has no native form: undefined.
 */
export function toNativeYaml(rule: CompiledSigmaRule): string | undefined {
  if (rule.aliases.length > 0) return undefined;
  const s = rule.sigma;
  const header = [
    `# Converted from Sigma ${s.kind} "${s.title}"${s.id ? ` (${s.id})` : ''}`,
    `# source: ${rule.file}:${rule.line}${s.status ? `, status ${s.status}` : ''}`,
  ];
  if (!rule.definition.tests) header.push('# TODO: add tests (at least one event that must match and one that must not) before loading it as a native rule');
  return `${header.join('\n')}\n${stringify(rule.definition, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
