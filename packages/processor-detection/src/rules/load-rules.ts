import { readFileSync, type Stats, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { globSync } from 'tinyglobby';
import { formatKeyPath, YamlSource, zodIssues, type ConfigIssue } from '@oktel/core';
import { compileRule, RuleLogicError, type CompiledRule } from './compiled-rule.js';
import { ruleSchema } from './rule-schema.js';
import { isSigmaText, type SigmaOutcome } from '@oktel/sigma';
import { loadSigmaRules, type SigmaConfig } from './load-sigma.js';

const RULE_FILE = /\.ya?ml$/i;

/** Directory order: a/x.yaml before a.yaml, as a walk in name order visits them (plain string order would not). */
function byPathSegments(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length - y.length;
}

/** Files named by `rules:` entries: files, directories (recursively, *.yaml / *.yml) and globs. */
export function expandRuleSources(sources: readonly string[]): { files: string[]; issues: ConfigIssue[] } {
  const files: string[] = [];
  const issues: ConfigIssue[] = [];
  sources.forEach((source, i) => {
    if (/[*?[\]{}]/.test(source)) {
      const found = globSync(source, { absolute: true })
        .filter((f) => RULE_FILE.test(f))
        .sort();
      if (found.length === 0) issues.push({ path: [i], message: `no rule files match ${source}` });
      files.push(...found);
      return;
    }
    let info: Stats;
    try {
      info = statSync(source);
    } catch {
      issues.push({ path: [i], message: `${source} does not exist` });
      return;
    }
    if (info.isDirectory())
      files.push(
        ...globSync('**/*', { cwd: source, absolute: true, dot: true })
          .filter((f) => RULE_FILE.test(f))
          .sort(byPathSegments),
      );
    else files.push(resolve(source));
  });
  return { files: [...new Set(files)], issues };
}

export interface LoadedRules {
  rules: CompiledRule[];
  files: string[];
  /** Per Sigma document: loaded / skipped / refused, and why (absent or empty without Sigma files). */
  sigma?: SigmaOutcome[];
}

/**
 * Loads, validates and compiles every rule; any fault in any file fails the whole load with
 * file, line, rule id and the path of the fault, so a pipeline never runs a half-loaded pack.
 */
export function loadRules(sources: readonly string[], sigmaConfig?: SigmaConfig): { loaded?: LoadedRules; issues: ConfigIssue[] } {
  const { files, issues } = expandRuleSources(sources);
  const rules: CompiledRule[] = [];
  const seen = new Map<string, string>();
  const sigmaFiles: { file: string; text: string }[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    // Sigma rules sit beside native ones, told apart by content; they are compiled together below.
    if (isSigmaText(text)) {
      sigmaFiles.push({ file, text });
      continue;
    }
    const { source, issues: yamlIssues } = YamlSource.fromText(file, text);
    if (!source) {
      issues.push(...yamlIssues);
      continue;
    }
    const locate = (path: readonly (string | number)[]): number | undefined => source.locate(path)?.line;
    const idOf = (source.value as { id?: unknown })?.id;
    const label = typeof idOf === 'string' ? `rule ${idOf}: ` : '';
    const parsed = ruleSchema.safeParse(source.value);
    if (!parsed.success) {
      for (const issue of zodIssues(parsed.error, [], ruleSchema))
        issues.push({ ...issue, file, line: locate(issue.path), message: `${label}${issue.message}` });
      continue;
    }
    const definition = parsed.data;
    const previous = seen.get(definition.id);
    if (previous) {
      issues.push({ path: ['id'], file, line: locate(['id']), message: `rule ${definition.id}: the id is already used by ${previous}` });
      continue;
    }
    seen.set(definition.id, file);
    try {
      rules.push(compileRule(definition, file));
    } catch (err) {
      if (!(err instanceof RuleLogicError)) throw err;
      const path = [...err.field, ...logicPathSegments(err.logicPath)];
      const field = formatKeyPath(err.field).replace(/::/g, '.');
      issues.push({
        path,
        file,
        line: locate(path) ?? locate(err.field),
        message: `rule ${definition.id}: ${field}${err.logicPath ? ` at ${err.logicPath}` : ''}: ${err.reason}`,
      });
    }
  }
  const sigma = sigmaFiles.length > 0 ? loadSigmaRules(sigmaFiles, sigmaConfig, seen) : { rules: [], outcomes: [] };
  rules.push(...sigma.rules);
  if (files.length === 0 && issues.length === 0) issues.push({ path: [], message: 'no rule files found' });
  return issues.length > 0 ? { issues } : { loaded: { rules, files, sigma: sigma.outcomes }, issues };
}

/** `and[1].regex[1]` → ['and', 1, 'regex', 1], the YAML path of the fault under `match`. */
function logicPathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) segments.push(match[2] !== undefined ? Number(match[2]) : match[1]!);
  return segments;
}

export function describeIssue(issue: ConfigIssue): string {
  const where = issue.file ? `${issue.file}${issue.line ? `:${issue.line}` : ''}: ` : '';
  const path = issue.path.length > 0 && !issue.message.includes(' at ') ? `${formatKeyPath(issue.path)}: ` : '';
  return `${where}${path}${issue.message}`;
}
