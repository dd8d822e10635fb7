import { OKTA_RULES_DIR } from '@oktel/rules-okta';
import { describeIssue, loadRules, missingTestKinds, renderTestTable, runRuleTests } from '@oktel/processor-detection';

/** `oktel rules test [PATH…]`: runs every rule's embedded tests and prints a table. Exit 1 on any failure. */
export function rulesTestCommand(paths: string[], out: NodeJS.WriteStream = process.stdout): number {
  const { loaded, issues } = loadRules(paths.length > 0 ? paths : [OKTA_RULES_DIR]);
  if (!loaded) {
    for (const issue of issues) out.write(`${describeIssue(issue)}\n`);
    return 1;
  }
  const results = runRuleTests(loaded.rules);
  const untested = loaded.rules.flatMap((r) => missingTestKinds(r).map((m) => `${r.definition.id}: missing ${m}`));
  out.write(`${renderTestTable(results)}\n`);
  for (const line of untested) out.write(`FAIL  ${line}\n`);
  return results.every((r) => r.passed) && untested.length === 0 ? 0 : 1;
}
