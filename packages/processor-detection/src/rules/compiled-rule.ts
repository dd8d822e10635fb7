import type { AnyValueMap } from '@opentelemetry/api-logs';
import { PermanentError } from '@oktel/core';
import { compile, JsonLogicCompileError, pathReader, type Evaluator, type PathReader } from '@oktel/jsonlogic';
import type { RuleDefinition } from './rule-schema.js';
import { ruleScope } from './rule-context.js';
import { TUNING_OPERATIONS } from '../tuning/in-list.js';
import { DEFAULT_RISK_SCORE, severityRank } from './severity.js';

export interface CompiledRule {
  readonly definition: RuleDefinition;
  readonly file: string;
  readonly match: Evaluator;
  /** Readers for group_by paths (native event paths, evaluated on the event). */
  readonly groupBy: readonly { path: string; read: PathReader }[];
  /** The group_by paths as one string: rules with the same group_by read an event's values and build its group key once. */
  readonly groupBySignature: string;
  readonly riskScore: number;
  readonly severityRank: number;
  /** Attributes every tagged record and alert of this rule carries (ATT&CK, rule identity). */
  readonly tagAttributes: AnyValueMap;
}

/** A JsonLogic fault somewhere in a rule: `field` is where the expression sits (match, a step, the condition). */
export class RuleLogicError extends PermanentError {
  constructor(
    readonly field: (string | number)[],
    readonly logicPath: string,
    readonly reason: string,
  ) {
    super(reason, { code: 'ERR_RULE_LOGIC', context: { field, logicPath } });
  }
}

function compileAt(logic: unknown, field: (string | number)[], scoped: boolean): Evaluator {
  try {
    return compile(logic, scoped ? { scope: ruleScope, operations: TUNING_OPERATIONS } : { operations: TUNING_OPERATIONS });
  } catch (err) {
    if (err instanceof JsonLogicCompileError) throw new RuleLogicError(field, err.logicPath, err.reason);
    throw err;
  }
}

export function compileRule(definition: RuleDefinition, file: string): CompiledRule {
  // Stateful parts are compiled again per engine; compiling here reports their faults at load.
  const c = definition.correlate;
  if (c?.type === 'sequence') c.steps.forEach((s, i) => compileAt(s.match, ['correlate', 'steps', i, 'match'], true));
  if (c?.type === 'aggregate') {
    compileAt(c.condition, ['correlate', 'condition'], false);
    for (const [name, a] of Object.entries(c.aggregates))
      if ('count' in a && a.count.match !== undefined) compileAt(a.count.match, ['correlate', 'aggregates', name, 'count', 'match'], true);
  }
  const tactics = definition.threat.map((t) => t.tactic);
  const techniques = definition.threat.flatMap((t) => t.techniques.flatMap((tech) => [tech, ...tech.subtechniques]));
  return {
    definition,
    file,
    match: compileAt(definition.match, ['match'], true),
    groupBy: definition.group_by.map((path) => ({ path, read: pathReader(path, null) })),
    groupBySignature: JSON.stringify(definition.group_by),
    riskScore: definition.risk_score ?? DEFAULT_RISK_SCORE[definition.severity],
    severityRank: severityRank(definition.severity),
    tagAttributes: {
      'security_rule.uuid': definition.id,
      'security_rule.name': definition.name,
      'security_rule.version': String(definition.version),
      'threat.framework': 'MITRE ATT&CK',
      'threat.tactic.id': tactics.map((t) => t.id),
      'threat.tactic.name': tactics.map((t) => t.name),
      'threat.technique.id': techniques.map((t) => t.id),
      'threat.technique.name': techniques.map((t) => t.name),
    },
  };
}
