import { expandPattern, parseCondition, type ConditionNode } from './condition.js';
import { SigmaUnsupported } from './errors.js';
import { fieldCondition, type CompileContext, type Logic } from './field-condition.js';
import { resolveOktaField, type ResolvedField } from './okta-fields.js';

/**
 * Keyword searches (search identifiers that are plain strings or lists of strings) look at every
 * value of the event through the `search` operation. Only a keyword with a wildcard inside
 * (`foo*bar`), which `search` cannot express, is matched as a pattern over these text fields.
 */
export const KEYWORD_FIELDS = [
  'displayMessage',
  'eventType',
  'legacyEventType',
  'outcome.result',
  'outcome.reason',
  'actor.alternateId',
  'actor.displayName',
  'target.alternateId',
  'target.displayName',
  'client.userAgent.rawUserAgent',
  'client.ipAddress',
  'debugContext.debugData.requestUri',
  'debugContext.debugData.url',
  'debugContext.debugData.behaviors',
  'debugContext.debugData.risk',
  'debugContext.debugData.logOnlySecurityData',
] as const;

const keywordFields: readonly ResolvedField[] = KEYWORD_FIELDS.map((f) => resolveOktaField(f));

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapLogic(map: Record<string, unknown>, ctx: CompileContext, at: readonly (string | number)[]): Logic {
  const entries = Object.entries(map);
  if (entries.length === 0) throw new SigmaUnsupported('an empty selection map', at);
  const parts = entries.map(([key, value]) => fieldCondition(key, value, ctx, [...at, key], keywordFields));
  return parts.length === 1 ? parts[0] : { and: parts };
}

/** One search identifier: a map (AND), a list of maps or keywords (OR), or keywords. */
function searchLogic(definition: unknown, ctx: CompileContext, at: readonly (string | number)[]): Logic {
  if (isMap(definition)) return mapLogic(definition, ctx, at);
  if (Array.isArray(definition)) {
    if (definition.length === 0) throw new SigmaUnsupported('an empty search identifier', at);
    const maps = definition.map((item, i) => (isMap(item) ? mapLogic(item, ctx, [...at, i]) : undefined));
    const keywords = definition.filter((item) => !isMap(item));
    const parts: Logic[] = maps.filter((m) => m !== undefined);
    if (keywords.length > 0) parts.push(fieldCondition('|contains', keywords, ctx, at, keywordFields));
    return parts.length === 1 ? parts[0] : { or: parts };
  }
  if (typeof definition === 'string' || typeof definition === 'number') return fieldCondition('|contains', [definition], ctx, at, keywordFields);
  throw new SigmaUnsupported(`a search identifier must be a map, a list or a keyword, not ${definition === null ? 'null' : typeof definition}`, at);
}

/**
 * A rule's `detection:` as one JsonLogic expression: each search identifier compiled once, the
 * condition (or the OR of a list of conditions) over them.
 */
export function detectionLogic(detection: unknown, ctx: CompileContext): Logic {
  if (!isMap(detection)) throw new SigmaUnsupported('detection must be a map of search identifiers and a condition', ['detection']);
  const { condition, timeframe, ...searches } = detection;
  if (timeframe !== undefined)
    throw new SigmaUnsupported('detection.timeframe belongs to the obsolete aggregation syntax: write a correlation rule', ['detection', 'timeframe']);
  const identifiers = Object.keys(searches);
  const compiled = new Map<string, Logic>();
  const search = (name: string): Logic => {
    if (!compiled.has(name)) compiled.set(name, searchLogic(searches[name], ctx, ['detection', name]));
    return compiled.get(name);
  };
  const conditions = Array.isArray(condition) ? condition : [condition];
  if (conditions.length === 0 || conditions.some((c) => typeof c !== 'string' || c.trim() === ''))
    throw new SigmaUnsupported('detection.condition must be a string or a list of strings', ['detection', 'condition']);
  const toLogic = (node: ConditionNode, at: readonly (string | number)[]): Logic => {
    switch (node.kind) {
      case 'id':
        if (!Object.hasOwn(searches, node.name))
          throw new SigmaUnsupported(`the condition names "${node.name}", which is not a search identifier of this rule`, at);
        return search(node.name);
      case 'not':
        return { '!': [toLogic(node.arg, at)] };
      case 'and':
      case 'or':
        return { [node.kind]: node.args.map((a) => toLogic(a, at)) };
      case 'of': {
        const names = expandPattern(node.pattern, identifiers);
        if (names.length === 0) throw new SigmaUnsupported(`"${node.quantifier === 'all' ? 'all' : '1'} of ${node.pattern}" matches no search identifier`, at);
        const parts = names.map(search);
        return parts.length === 1 ? parts[0] : { [node.quantifier === 'all' ? 'and' : 'or']: parts };
      }
    }
  };
  const parts = conditions.map((c, i) =>
    toLogic(parseCondition(c as string, Array.isArray(condition) ? ['detection', 'condition', i] : ['detection', 'condition']), ['detection', 'condition']),
  );
  return parts.length === 1 ? parts[0] : { or: parts };
}

/**
 * A meta-filter's `filter:` block (Sigma filters specification): `rules` names what it tunes;
 * the rest is search identifiers and a condition, compiled as a rule's detection.
 */
export function filterLogic(filter: unknown, ctx: CompileContext): Logic {
  if (!isMap(filter)) throw new SigmaUnsupported('filter must be a map with rules, search identifiers and a condition', ['filter']);
  const { rules, ...detection } = filter;
  if (rules === undefined) throw new SigmaUnsupported('filter.rules must name the rules it tunes', ['filter']);
  const condition = detection.condition;
  if (typeof condition === 'string' && !/\bnot\b/i.test(condition))
    ctx.warn('filter condition has no "not": it keeps only the events it selects (its condition is ANDed to the rules)');
  try {
    return detectionLogic(detection, ctx);
  } catch (err) {
    if (err instanceof SigmaUnsupported && err.at[0] === 'detection') throw new SigmaUnsupported(err.reason, ['filter', ...err.at.slice(1)]);
    throw err;
  }
}
