import { OKTA_RULES_DIR } from '@oktel/rules-okta';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { coverageTable, describeIssue, lintRules, loadRules, missingTestKinds, navigatorLayer, renderTestTable, runRuleTests, type LoadedRules } from '@oktel/processor-detection';

function load(paths: string[], out: NodeJS.WriteStream): LoadedRules | undefined {
  const { loaded, issues } = loadRules(paths.length > 0 ? paths : [OKTA_RULES_DIR]);
  if (!loaded) for (const issue of issues) out.write(`${describeIssue(issue)}\n`);
  return loaded;
}

/** `oktel rules test [PATH…]`: runs every rule's embedded tests and prints a table. Exit 1 on any failure. */
export function rulesTestCommand(paths: string[], out: NodeJS.WriteStream = process.stdout): number {
  const loaded = load(paths, out);
  if (!loaded) return 1;
  const results = runRuleTests(loaded.rules);
  const untested = loaded.rules.flatMap((r) => missingTestKinds(r).map((m) => `${r.definition.id}: missing ${m}`));
  out.write(`${renderTestTable(results)}\n`);
  for (const line of untested) out.write(`FAIL  ${line}\n`);
  return results.every((r) => r.passed) && untested.length === 0 ? 0 : 1;
}

/** `oktel rules lint [PATH…]`: schema, duplicate ids, JsonLogic (at load), ATT&CK ids and names, unreachable conditions, tests. */
export function rulesLintCommand(paths: string[], out: NodeJS.WriteStream = process.stdout): number {
  const loaded = load(paths, out);
  if (!loaded) return 1;
  const findings = lintRules(loaded.rules);
  for (const f of findings) out.write(`${f.file}: rule ${f.rule}: ${f.message}\n`);
  out.write(`${loaded.rules.length} rules, ${findings.length} problems\n`);
  return findings.length === 0 ? 0 : 1;
}

/** `oktel rules coverage [PATH…] [--format navigator|markdown] [--output FILE]`. */
export function rulesCoverageCommand(args: string[], out: NodeJS.WriteStream = process.stdout): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { format: { type: 'string', default: 'markdown' }, output: { type: 'string' } } });
  if (values.format !== 'navigator' && values.format !== 'markdown') throw new Error(`--format must be navigator or markdown, not ${values.format}`);
  const loaded = load(positionals, out);
  if (!loaded) return 1;
  const text = values.format === 'navigator' ? `${JSON.stringify(navigatorLayer(loaded.rules), null, 2)}\n` : `${coverageTable(loaded.rules)}\n`;
  if (values.output) {
    writeFileSync(values.output, text);
    out.write(`Wrote ${values.format === 'navigator' ? 'an ATT&CK Navigator layer' : 'a coverage table'} for ${loaded.rules.length} rules to ${values.output}\n`);
  } else out.write(text);
  return 0;
}
