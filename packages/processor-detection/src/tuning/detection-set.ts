import { resolve } from 'node:path';
import type { ConfigIssue } from '@oktel/core';
import type { CompiledRule } from '../rules/compiled-rule.js';
import { loadRules, type LoadedRules } from '../rules/load-rules.js';
import type { SigmaConfig } from '../rules/load-sigma.js';
import type { CompiledException } from './exceptions.js';
import { withLists } from './in-list.js';
import type { SharedList } from './lists.js';
import { applyTuning, EMPTY_TUNING, readTuning } from './tuning-file.js';

/** Everything the detection processor runs, loaded and checked as one unit (and swapped as one on reload). */
export interface DetectionSet extends LoadedRules {
  /** The rules after overrides (disabled rules left out). */
  rules: CompiledRule[];
  exceptions: CompiledException[];
  lists: ReadonlyMap<string, SharedList>;
  disabled: string[];
  tuningFile: string | undefined;
  /** The rules as shipped, before overrides (for `oktel rules test` with tuning). */
  untuned: CompiledRule[];
  /** Every file this set was read from (rules, tuning, lists): what reload_on_change watches. */
  sourceFiles: string[];
}

export interface DetectionSetSources {
  rules: readonly string[];
  sigma?: SigmaConfig | undefined;
  tuning?: string | undefined;
}

/**
 * Reads the tuning file (lists first: rules may use them), then the rules with those lists in
 * scope, then applies exceptions and overrides. Any issue anywhere fails the whole load.
 */
export function loadDetectionSet(sources: DetectionSetSources): { set?: DetectionSet; issues: ConfigIssue[]; rulesFailed?: boolean } {
  let tuning = EMPTY_TUNING;
  if (sources.tuning !== undefined) {
    const read = readTuning(resolve(sources.tuning));
    if (!read.tuning) return { issues: read.issues };
    tuning = read.tuning;
  }
  const { loaded, issues } = withLists(tuning.lists, () => loadRules(sources.rules, sources.sigma));
  if (!loaded) return { issues, rulesFailed: true };
  const { tuned, issues: tuningIssues } = applyTuning(loaded.rules, tuning);
  if (!tuned) return { issues: tuningIssues };
  return {
    set: {
      ...loaded,
      rules: tuned.rules,
      exceptions: tuned.exceptions,
      disabled: tuned.disabled,
      lists: tuning.lists,
      tuningFile: tuning.file,
      untuned: loaded.rules,
      sourceFiles: [...loaded.files, ...(tuning.file ? [tuning.file, ...tuning.listFiles] : [])],
    },
    issues: [],
  };
}
