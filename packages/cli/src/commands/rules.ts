import { OKTA_RULES_DIR } from '@oktel/rules-okta';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ATTACK_VERSION,
  coverageTable,
  describeIssue,
  expandRuleSources,
  lintRules,
  loadDetectionSet,
  loadRules,
  renderTunedTestTable,
  runTunedRuleTests,
  type DetectionSet,
  missingTestKinds,
  navigatorLayer,
  renderTestTable,
  runRuleTests,
  SIGMA_RULES,
  TACTICS,
  TECHNIQUES,
  type LoadedRules,
} from '@oktel/processor-detection';
import { compileSigmaFiles, DEFAULT_SKIP_STATUSES, isSigmaText, renderOutcomes, toNativeYaml } from '@oktel/sigma';
import { readFileSync } from 'node:fs';
import { loadConfig, OktelError, type ComponentRegistry } from '@oktel/core';
import { UsageError } from '../usage.js';

const SIGMA_OPTIONS = { placeholder: { type: 'string', multiple: true }, 'skip-status': { type: 'string', multiple: true } } as const;

/** `--placeholder name=value` (repeatable) and `--skip-status s` (repeatable): the `sigma:` config, on the command line. */
function sigmaConfig(values: { placeholder?: string[]; 'skip-status'?: string[] }): { placeholders: Record<string, string[]>; skip_statuses: string[] } {
  const placeholders: Record<string, string[]> = {};
  for (const p of values.placeholder ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--placeholder takes name=value, not ${p}`);
    const name = p.slice(0, eq);
    placeholders[name] = [...(placeholders[name] ?? []), p.slice(eq + 1)];
  }
  return { placeholders, skip_statuses: values['skip-status'] ?? [...DEFAULT_SKIP_STATUSES] };
}

function load(args: string[], out: NodeJS.WriteStream): LoadedRules | undefined {
  const { values, positionals: paths } = parseArgs({ args, allowPositionals: true, strict: true, options: SIGMA_OPTIONS });
  const { loaded, issues } = loadRules(paths.length > 0 ? paths : [OKTA_RULES_DIR], sigmaConfig(values));
  if (!loaded) for (const issue of issues) out.write(`${describeIssue(issue)}\n`);
  return loaded;
}

const TEST_OPTIONS = { ...SIGMA_OPTIONS, tuning: { type: 'string' }, config: { type: 'string', short: 'c', multiple: true } } as const;

/**
 * `oktel rules test [PATH…]`: runs every rule's embedded tests and prints a table. Exit 1 on any failure.
 * With `--tuning FILE` or `--config FILE`, the tests also run with the site's exceptions and
 * overrides, and the tests the tuning turns off are listed as OFF (not failures).
 */
export function rulesTestCommand(paths: string[], out: NodeJS.WriteStream = process.stdout, registry?: ComponentRegistry): number {
  const { values, positionals } = parseArgs({ args: paths, allowPositionals: true, strict: true, options: TEST_OPTIONS });
  if (values.tuning !== undefined || values.config !== undefined) return tunedTest(values, positionals, out, registry);
  const loaded = load(paths, out);
  if (!loaded) return 1;
  const results = runRuleTests(loaded.rules);
  // Sigma has no tests in its format: a Sigma rule without the oktel `tests:` extension is not a failure.
  const untested = loaded.rules
    .filter((r) => !(SIGMA_RULES.has(r) && r.definition.tests.length === 0))
    .flatMap((r) => missingTestKinds(r).map((m) => `${r.definition.id}: missing ${m}`));
  out.write(`${renderTestTable(results)}\n`);
  for (const line of untested) out.write(`FAIL  ${line}\n`);
  return results.every((r) => r.passed) && untested.length === 0 ? 0 : 1;
}

function tunedTest(
  values: { tuning?: string; config?: string[]; placeholder?: string[]; 'skip-status'?: string[] },
  positionals: string[],
  out: NodeJS.WriteStream,
  registry: ComponentRegistry | undefined,
): number {
  if (values.tuning !== undefined && values.config !== undefined) throw new OktelError('ERR_USAGE', 'give --tuning or --config, not both');
  const sets: { label: string; set: DetectionSet }[] = [];
  if (values.config !== undefined) {
    if (!registry) throw new OktelError('ERR_USAGE', '--config needs the component registry (run through the oktel CLI)');
    if (positionals.length > 0) throw new OktelError('ERR_USAGE', 'with --config the rules come from the detection processor; leave out PATH');
    const config = loadConfig(values.config, registry);
    for (const [id, component] of config.components.get('processor') ?? []) {
      if (component.factory.type === 'detection') sets.push({ label: `processor ${id}`, set: (component.config as { loaded: DetectionSet }).loaded });
    }
    if (sets.length === 0) throw new OktelError('ERR_USAGE', `no detection processor in ${values.config.join(', ')}`);
  } else {
    const { set, issues } = loadDetectionSet({
      rules: positionals.length > 0 ? positionals : [OKTA_RULES_DIR],
      sigma: sigmaConfig(values),
      tuning: values.tuning,
    });
    if (!set) {
      for (const issue of issues) out.write(`${describeIssue(issue)}\n`);
      return 1;
    }
    sets.push({ label: `tuning ${values.tuning}`, set });
  }
  let failed = false;
  for (const { label, set } of sets) {
    const results = runTunedRuleTests(set);
    if (sets.length > 1 || values.config !== undefined) out.write(`== ${label}${set.tuningFile ? ` (tuning ${set.tuningFile})` : ' (no tuning file)'}\n`);
    out.write(`${renderTunedTestTable(results)}\n`);
    const untested = set.untuned
      .filter((r) => !(SIGMA_RULES.has(r) && r.definition.tests.length === 0))
      .flatMap((r) => missingTestKinds(r).map((m) => `${r.definition.id}: missing ${m}`));
    for (const line of untested) out.write(`FAIL  ${line}\n`);
    failed ||= results.some((r) => r.status === 'fail') || untested.length > 0;
  }
  return failed ? 1 : 0;
}

/** Rules to lint; with `--tuning FILE` its lists are in scope (a site rule may use in_list) and the tuning itself is checked. */
function loadForLint(args: string[], out: NodeJS.WriteStream): LoadedRules | undefined {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { ...SIGMA_OPTIONS, tuning: { type: 'string' } } });
  if (values.tuning === undefined) return load(args, out);
  const { set, issues } = loadDetectionSet({
    rules: positionals.length > 0 ? positionals : [OKTA_RULES_DIR],
    sigma: sigmaConfig(values),
    tuning: values.tuning,
  });
  if (!set) for (const issue of issues) out.write(`${describeIssue(issue)}\n`);
  return set ? { ...set, rules: set.untuned } : undefined;
}

/** `oktel rules lint [PATH…]`: schema, duplicate ids, JsonLogic (at load), ATT&CK ids and names, unreachable conditions, tests. */
export function rulesLintCommand(paths: string[], out: NodeJS.WriteStream = process.stdout): number {
  const loaded = loadForLint(paths, out);
  if (!loaded) return 1;
  // Sigma rules carry no tests in their format (an oktel `tests:` extension is optional).
  const findings = lintRules(loaded.rules).filter(
    (f) => !(f.message.startsWith('missing a ') && loaded.rules.some((r) => r.definition.id === f.rule && SIGMA_RULES.has(r))),
  );
  for (const f of findings) out.write(`${f.file}: rule ${f.rule}: ${f.message}\n`);
  const sigma = loaded.sigma ?? [];
  const refused = sigma.filter((o) => o.outcome === 'refused');
  if (sigma.length > 0) out.write(`${renderOutcomes(sigma)}\n`);
  out.write(`${loaded.rules.length} rules, ${findings.length + refused.length} problems\n`);
  return findings.length + refused.length === 0 ? 0 : 1;
}

/** `oktel rules coverage [PATH…] [--format navigator|markdown] [--output FILE]`. */
export function rulesCoverageCommand(args: string[], out: NodeJS.WriteStream = process.stdout): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { format: { type: 'string', default: 'markdown' }, output: { type: 'string' } },
  });
  if (values.format !== 'navigator' && values.format !== 'markdown')
    throw new UsageError(`--format must be navigator or markdown, not ${values.format}`, ['rules', 'coverage']);
  const loaded = load(positionals, out);
  if (!loaded) return 1;
  const text = values.format === 'navigator' ? `${JSON.stringify(navigatorLayer(loaded.rules), null, 2)}\n` : `${coverageTable(loaded.rules)}\n`;
  if (values.output) {
    writeFileSync(values.output, text);
    out.write(
      `Wrote ${values.format === 'navigator' ? 'an ATT&CK Navigator layer' : 'a coverage table'} for ${loaded.rules.length} rules to ${values.output}\n`,
    );
  } else out.write(text);
  return 0;
}

/**
 * `oktel rules convert --from sigma PATH… [--output DIR] [--placeholder name=value…] [--skip-status s…]`:
 * writes each Sigma rule as a native rule file (to review, extend and add tests to), or all of
 * them to stdout; the per-rule report goes to stderr. Exit 1 when a rule was refused.
 */
export function rulesConvertCommand(args: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { from: { type: 'string' }, output: { type: 'string' }, ...SIGMA_OPTIONS },
  });
  if (values.from !== 'sigma') throw new UsageError(`--from must be sigma${values.from ? `, not ${values.from}` : ''}`, ['rules', 'convert']);
  if (positionals.length === 0) throw new UsageError('name the Sigma files or directories to convert', ['rules', 'convert']);
  const { placeholders, skip_statuses: skipStatuses } = sigmaConfig(values);
  const output = values.output;
  const { files, issues } = expandRuleSources(positionals);
  for (const issue of issues) err.write(`${describeIssue(issue)}\n`);
  const sigmaFiles = files.map((file) => ({ file, text: readFileSync(file, 'utf8') })).filter((f) => isSigmaText(f.text));
  const result = compileSigmaFiles(sigmaFiles, {
    attack: { version: ATTACK_VERSION, tactics: TACTICS, techniques: TECHNIQUES },
    placeholders,
    skipStatuses,
  });
  const outcomes = [
    ...result.outcomes,
    ...result.problems.map((p) => ({ file: p.file, line: p.line, title: '(document)', outcome: 'refused' as const, reason: p.message, warnings: [] })),
  ];
  const texts: string[] = [];
  if (output) mkdirSync(output, { recursive: true });
  for (const rule of result.rules) {
    const yaml = toNativeYaml(rule);
    if (yaml === undefined) {
      const o = outcomes.find((x) => x.file === rule.file && x.line === rule.line);
      if (o)
        Object.assign(o, {
          outcome: 'refused',
          reason: 'its group-by uses aliases with a different field per rule, which a native rule cannot express (load the Sigma file directly instead)',
        });
      continue;
    }
    if (output) writeFileSync(join(output, `${rule.definition.id}.yaml`), yaml);
    else texts.push(yaml);
  }
  if (!output) out.write(texts.join('---\n'));
  err.write(`${renderOutcomes(outcomes)}\n`);
  if (output) err.write(`Wrote ${result.rules.length - outcomes.filter((o) => o.reason?.includes('aliases')).length} native rules to ${output}\n`);
  return outcomes.some((o) => o.outcome === 'refused') ? 1 : 0;
}
