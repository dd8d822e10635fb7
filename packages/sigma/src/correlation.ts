import type { GroupAlias } from './compile.js';
import { SigmaUnsupported } from './errors.js';
import type { Logic } from './field-condition.js';
import { resolveOktaField } from './okta-fields.js';

/** How a correlation finds the rules it names. */
export interface CorrelationSource {
  resolve(ref: string): { value: Record<string, unknown>; match: Logic | undefined; kind: 'rule' | 'correlation'; name?: string };
}

export interface CorrelationParts {
  match: Logic;
  groupBy: string[];
  correlate: Record<string, unknown>;
  aliases: GroupAlias[];
  /** The refs as written, so the referenced rules know they are used. */
  references: string[];
  /** Levels and tags of the referenced rules: a correlation without its own inherits them. */
  levels: string[];
  tags: string[];
}

const OPS = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '==', neq: '!=' } as const;
type Op = keyof typeof OPS;

interface Step {
  ref: string;
  name: string;
  match: Logic;
  /** From a chained event_count correlation: this many events of the step. */
  min: number;
}

const AT = ['correlation'];
const fail = (why: string, at: readonly (string | number)[] = AT): never => {
  throw new SigmaUnsupported(why, at);
};

function conditionOf(raw: unknown, required: boolean): { ops: [Op, number][]; field?: unknown } {
  if (raw === undefined) {
    if (required) fail('this correlation type needs a condition (gte: N, …)', [...AT, 'condition']);
    return { ops: [] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('condition must be a map like {gte: 10}', [...AT, 'condition']);
  const ops: [Op, number][] = [];
  let field: unknown;
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'field') field = v;
    else if (k in OPS && typeof v === 'number' && Number.isFinite(v)) ops.push([k as Op, v]);
    else fail(`condition.${k}: expected one of ${Object.keys(OPS).join(', ')} with a number`, [...AT, 'condition', k]);
  }
  if (ops.length === 0) fail('condition has no criterion (gte: N, …)', [...AT, 'condition']);
  return { ops, ...(field !== undefined ? { field } : {}) };
}

function conditionLogic(subject: Logic, ops: readonly [Op, number][]): Logic {
  const parts = ops.map(([op, n]) => ({ [OPS[op]]: [subject, n] }));
  return parts.length === 1 ? parts[0] : { and: parts };
}

/** A lone `gte`/`gt`: what a native threshold or value_count (fires at N, on a sliding window) means. */
function atLeast(ops: readonly [Op, number][]): number | undefined {
  if (ops.length !== 1) return undefined;
  const [op, n] = ops[0]!;
  if (op === 'gte') return Math.max(1, Math.ceil(n));
  if (op === 'gt') return Math.max(1, Math.floor(n) + 1);
  return undefined;
}

function eventPath(field: unknown, warn: (m: string) => void, at: readonly (string | number)[]): string {
  if (typeof field !== 'string' || field.trim() === '') return fail('a field name must be a string', at);
  const resolved = resolveOktaField(field);
  if (!resolved.known) warn(`field "${field}" is not an Okta System Log field (resolved as ${resolved.segments.join('.')}); groups on it may be empty`);
  if (resolved.arrayAt === -1) return resolved.segments.join('.');
  warn(`field "${field}" is inside a list: the first element is used`);
  return [...resolved.segments.slice(0, resolved.arrayAt), '0', ...resolved.segments.slice(resolved.arrayAt)].join('.');
}

/**
 * A Sigma correlation as the parts of a native stateful rule: event_count → threshold (or
 * aggregate for other conditions), value_count → value_count (or aggregate), temporal →
 * aggregate with one count per rule, temporal_ordered → sequence. A referenced event_count
 * correlation (the spec's "failed logins, then a success" chain) becomes a step that needs N events.
 */
export function correlationParts(value: Record<string, unknown>, sources: CorrelationSource, warn: (m: string) => void): CorrelationParts {
  const c = value.correlation;
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return fail('correlation must be a map');
  const spec = c as Record<string, unknown>;
  const type = spec.type;
  const refs = Array.isArray(spec.rules) ? spec.rules : typeof spec.rules === 'string' ? [spec.rules] : [];
  if (refs.length === 0 || refs.some((r) => typeof r !== 'string')) fail('correlation.rules must name one or more rules by name or id', [...AT, 'rules']);
  const timespan = spec.timespan;
  if (typeof timespan !== 'string' || !/^\d+[smhd]$/.test(timespan))
    fail(`timespan ${JSON.stringify(timespan)}: write a number and s, m, h or d (like 10m)`, [...AT, 'timespan']);
  const groupByRaw = spec['group-by'] ?? [];
  if (!Array.isArray(groupByRaw) || groupByRaw.some((g) => typeof g !== 'string')) fail('group-by must be a list of field names', [...AT, 'group-by']);
  if ((groupByRaw as string[]).length === 0) warn('no group-by: every event counts in one group');
  if (spec.generate !== undefined && typeof spec.generate !== 'boolean') fail('generate must be true or false', [...AT, 'generate']);

  const levels: string[] = [];
  const tags: string[] = [];
  const steps: Step[] = (refs as string[]).map((ref) => {
    const found = sources.resolve(ref);
    if (typeof found.value.level === 'string') levels.push(found.value.level.toLowerCase());
    if (Array.isArray(found.value.tags)) tags.push(...found.value.tags.filter((t): t is string => typeof t === 'string'));
    const name = found.name ?? ref;
    if (found.kind === 'rule') return { ref, name, match: found.match, min: 1 };
    // A chained correlation: only a counting one can become a step of another.
    const inner = (found.value.correlation ?? {}) as Record<string, unknown>;
    if (inner.type !== 'event_count')
      fail(`correlation "${ref}" of type ${String(inner.type)} cannot be chained into another correlation (only event_count can)`, [...AT, 'rules']);
    const innerParts = correlationParts(found.value, sources, warn);
    const min = innerParts.correlate.type === 'threshold' ? (innerParts.correlate.count as number) : undefined;
    if (min === undefined) fail(`chained correlation "${ref}" needs a gte or gt condition`, [...AT, 'rules']);
    if (JSON.stringify(innerParts.groupBy) !== JSON.stringify(groupByRaw) || innerParts.aliases.length > 0)
      fail(`chained correlation "${ref}" must group by the same fields as this one`, [...AT, 'rules']);
    if (inner.timespan !== timespan) warn(`chained correlation "${ref}": its ${String(inner.timespan)} timespan is replaced by this correlation's ${timespan}`);
    return { ref, name, match: innerParts.match, min: min! };
  });
  const match = steps.length === 1 ? steps[0]!.match : { or: steps.map((s) => s.match) };

  // group-by, through aliases when a key names different fields in different rules.
  const aliasesRaw = (spec.aliases ?? {}) as Record<string, unknown>;
  if (typeof aliasesRaw !== 'object' || aliasesRaw === null || Array.isArray(aliasesRaw)) fail('aliases must be a map', [...AT, 'aliases']);
  const aliases: GroupAlias[] = [];
  const groupBy = (groupByRaw as string[]).map((key, k) => {
    const alias = aliasesRaw[key];
    if (alias === undefined) return eventPath(key, warn, [...AT, 'group-by', k]);
    if (typeof alias !== 'object' || alias === null || Array.isArray(alias))
      return fail(`aliases.${key} must map rule names to fields`, [...AT, 'aliases', key]);
    const perRule = alias as Record<string, unknown>;
    const paths = steps.map((s) => {
      const field = perRule[s.name] ?? perRule[s.ref];
      if (field === undefined) fail(`aliases.${key} gives no field for rule "${s.name}"`, [...AT, 'aliases', key]);
      return eventPath(field, warn, [...AT, 'aliases', key, s.name]);
    });
    if (new Set(paths).size === 1) return paths[0]!;
    aliases.push({ key, sources: steps.map((s, i) => ({ match: s.match, path: paths[i]! })) });
    return key;
  });

  let correlate: Record<string, unknown>;
  const chainedIn = steps.some((s) => s.min > 1);
  switch (type) {
    case 'event_count': {
      if (chainedIn) fail('an event_count over another event_count is not supported');
      const { ops } = conditionOf(spec.condition, true);
      const n = atLeast(ops);
      correlate =
        n !== undefined
          ? { type: 'threshold', window: timespan, count: n }
          : { type: 'aggregate', window: timespan, aggregates: { events: { count: {} } }, condition: conditionLogic({ var: 'events' }, ops) };
      if (n === undefined) warn('event_count with a condition other than gte/gt is judged per timespan-long window, when the window closes');
      break;
    }
    case 'value_count':
    case 'value_sum':
    case 'value_avg': {
      if (chainedIn) fail(`a ${String(type)} over an event_count is not supported`);
      const { ops, field } = conditionOf(spec.condition, true);
      const path = eventPath(field ?? spec.field, warn, [...AT, 'condition', 'field']);
      if (Array.isArray(field ?? spec.field)) fail('value_count over several fields at once is not supported', [...AT, 'condition', 'field']);
      const n = type === 'value_count' ? atLeast(ops) : undefined;
      if (n !== undefined) correlate = { type: 'value_count', window: timespan, field: path, distinct: n };
      else if (type === 'value_count')
        correlate = { type: 'aggregate', window: timespan, aggregates: { values: { distinct: path } }, condition: conditionLogic({ var: 'values' }, ops) };
      else if (type === 'value_sum')
        correlate = { type: 'aggregate', window: timespan, aggregates: { total: { sum: path } }, condition: conditionLogic({ var: 'total' }, ops) };
      else
        correlate = {
          type: 'aggregate',
          window: timespan,
          aggregates: { total: { sum: path }, events: { count: {} } },
          condition: conditionLogic({ '/': [{ var: 'total' }, { var: 'events' }] }, ops),
        };
      if (n === undefined) warn(`${String(type)} with this condition is judged per timespan-long window, when the window closes`);
      break;
    }
    case 'temporal': {
      if (steps.length < 2) fail('temporal needs at least two rules');
      const { ops } = conditionOf(spec.condition, false);
      const aggregates = Object.fromEntries(steps.map((s, i) => [`rule_${i}`, { count: { match: s.match } }]));
      const seen = steps.map((s, i) => ({ '>=': [{ var: `rule_${i}` }, s.min] }));
      const condition = ops.length === 0 ? { and: seen } : conditionLogic({ '+': seen.map((x) => ({ if: [x, 1, 0] })) }, ops);
      correlate = { type: 'aggregate', window: timespan, aggregates, condition };
      warn('temporal is judged per timespan-long window from the first event of a group (native aggregate), not on a sliding window');
      break;
    }
    case 'temporal_ordered': {
      if (steps.length < 2) fail('temporal_ordered needs at least two rules');
      if (spec.condition !== undefined) {
        const { ops } = conditionOf(spec.condition, false);
        if (!(ops.length === 1 && ops[0]![0] === 'gte' && ops[0]![1] === steps.length))
          fail(`temporal_ordered is supported with all its rules in order (condition gte: ${steps.length} or none)`, [...AT, 'condition']);
      }
      correlate = { type: 'sequence', window: timespan, steps: steps.map((s) => ({ name: s.name, match: s.match, min_count: s.min })) };
      break;
    }
    case 'value_percentile':
      return fail('value_percentile correlations are not supported (the engine keeps no per-group value distribution)', [...AT, 'type']);
    default:
      return fail(`unknown correlation type ${JSON.stringify(type)}`, [...AT, 'type']);
  }
  return { match, groupBy, correlate, aliases, references: steps.map((s) => s.ref), levels, tags };
}
