import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatKeyPath, YamlSource, zodIssues, type ConfigIssue } from '@oktel/core';
import type { CompiledRule } from '../rules/compiled-rule.js';
import { compileException, ExceptionCompileError, type CompiledException } from './exceptions.js';
import { withLists } from './in-list.js';
import { loadList, type SharedList } from './lists.js';
import { applyOverride, type OverrideProblem } from './overrides.js';
import { tuningFileSchema, type TuningFile } from './tuning-schema.js';

/** A tuning file read and checked: lists loaded, exceptions compiled lazily against rules. */
export interface Tuning {
  readonly file: string | undefined;
  readonly spec: TuningFile;
  readonly lists: ReadonlyMap<string, SharedList>;
  /** The list files read (absolute paths). */
  readonly listFiles: readonly string[];
  readonly locate: (path: readonly (string | number)[]) => number | undefined;
}

export const EMPTY_TUNING: Tuning = {
  file: undefined,
  spec: { lists: {}, exceptions: [], overrides: {} },
  lists: new Map(),
  listFiles: [],
  locate: () => undefined,
};

/** Reads and validates a tuning file and loads its lists; issues name file, line and key path. */
export function readTuning(file: string): { tuning?: Tuning; issues: ConfigIssue[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { issues: [{ path: [], file, message: `cannot read the tuning file: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }] };
  }
  const { source, issues: yamlIssues } = YamlSource.fromText(file, text);
  if (!source) return { issues: yamlIssues };
  const locate = (path: readonly (string | number)[]): number | undefined => source.locate(path)?.line;
  const parsed = tuningFileSchema.safeParse(source.value ?? {});
  if (!parsed.success) return { issues: zodIssues(parsed.error, [], tuningFileSchema).map((i) => ({ ...i, file, line: locate(i.path) })) };
  const issues: ConfigIssue[] = [];
  const lists = new Map<string, SharedList>();
  const listFiles: string[] = [];
  for (const [name, spec] of Object.entries(parsed.data.lists)) {
    const listFile = spec.file === undefined ? undefined : resolve(dirname(file), spec.file);
    if (listFile) listFiles.push(listFile);
    const { list, issues: listIssues } = loadList(name, spec, listFile);
    for (const i of listIssues)
      issues.push({
        path: ['lists', name],
        file: i.file === '(inline)' ? file : i.file,
        line: i.line ?? (i.file === '(inline)' ? locate(['lists', name]) : undefined),
        message: i.message,
      });
    if (list) lists.set(name, list);
  }
  return issues.length > 0 ? { issues } : { tuning: { file, spec: parsed.data, lists, listFiles, locate }, issues };
}

export interface TunedRules {
  /** The rules to run: overrides applied, disabled rules left out. */
  rules: CompiledRule[];
  exceptions: CompiledException[];
  /** Rule ids an override disabled. */
  disabled: string[];
}

/**
 * Applies a tuning to loaded rules. Rule expressions must have been compiled with the same
 * lists in scope (see loadTunedRules); every exception and override is checked here, and an
 * exception or override naming a rule that does not exist is an error (a typo would otherwise
 * silently tune nothing).
 */
export function applyTuning(rules: readonly CompiledRule[], tuning: Tuning): { tuned?: TunedRules; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const at = (path: (string | number)[], message: string): ConfigIssue => ({ path, file: tuning.file, line: tuning.locate(path), message });
  const ids = new Set(rules.map((r) => r.definition.id));
  const exceptions: CompiledException[] = [];
  const seen = new Set<string>();
  withLists(tuning.lists, () => {
    tuning.spec.exceptions.forEach((spec, i) => {
      if (seen.has(spec.id)) issues.push(at(['exceptions', i, 'id'], `exception id ${spec.id} is used twice`));
      seen.add(spec.id);
      for (const [j, id] of (spec.rules ?? []).entries())
        if (id !== '*' && !ids.has(id)) issues.push(at(['exceptions', i, 'rules', j], `exception ${spec.id}: no rule ${id} is loaded`));
      try {
        exceptions.push(compileException(spec));
      } catch (err) {
        if (!(err instanceof ExceptionCompileError)) throw err;
        issues.push(at(['exceptions', i, err.key], `exception ${spec.id}: ${err.key}${err.logicPath ? ` at ${err.logicPath}` : ''}: ${err.reason}`));
      }
    });
  });
  const out: CompiledRule[] = [];
  const disabled: string[] = [];
  for (const id of Object.keys(tuning.spec.overrides)) if (!ids.has(id)) issues.push(at(['overrides', id], `override for rule ${id}: no such rule is loaded`));
  for (const rule of rules) {
    const override = tuning.spec.overrides[rule.definition.id];
    if (!override) {
      out.push(rule);
      continue;
    }
    const problems: OverrideProblem[] = [];
    const tuned = withLists(tuning.lists, () => applyOverride(rule, override, problems));
    for (const p of problems)
      issues.push(
        at(['overrides', rule.definition.id, ...p.path], `${formatKeyPath(['overrides', rule.definition.id, ...p.path]).replace(/::/g, '.')}: ${p.message}`),
      );
    if (tuned) out.push(tuned);
    else disabled.push(rule.definition.id);
  }
  return issues.length > 0 ? { issues } : { tuned: { rules: out, exceptions, disabled }, issues };
}
