import { correlationParts, type CorrelationSource } from './correlation.js';
import { detectionLogic, filterLogic } from './detection.js';
import { SigmaUnsupported } from './errors.js';
import type { Logic } from './field-condition.js';
import { severityOf, threatOf, type AttackTables, type NativeThreat } from './metadata.js';
import type { Placeholders } from './placeholders.js';
import { sigmaKind, type SigmaDocument } from './sigma-document.js';

export interface SigmaOptions {
  /** The ATT&CK version the project ships (tactic and technique names). */
  attack: AttackTables;
  placeholders?: Placeholders;
  /** Rules with one of these statuses are skipped. */
  skipStatuses?: readonly string[];
  /** Which logsources are this pipeline's: a rule loads when its product or service is listed. */
  logsource?: { products?: readonly string[]; services?: readonly string[] };
}

export const DEFAULT_SKIP_STATUSES = ['deprecated', 'unsupported'] as const;

/** A native rule definition, in the form a native rule YAML file is written (durations as text). */
export interface NativeRuleDefinition {
  id: string;
  name: string;
  description: string;
  version: number;
  severity: string;
  threat: NativeThreat[];
  tags: string[];
  references: string[];
  false_positives: string[];
  author: string;
  match: Logic;
  group_by: string[];
  correlate?: Record<string, unknown>;
  tests?: unknown[];
}

/** A group-by key whose field differs per referenced rule (Sigma correlation `aliases`). */
export interface GroupAlias {
  key: string;
  sources: { match: Logic; path: string }[];
}

export interface CompiledSigmaRule {
  definition: NativeRuleDefinition;
  file: string;
  line: number;
  /** Group-by keys native rules cannot express (one path per key): the loader reads them itself. */
  aliases: GroupAlias[];
  /** Kept on the rule and its alerts. */
  sigma: { id?: string; title: string; status?: string; level?: string; author?: string; kind: 'rule' | 'correlation' };
}

export interface SigmaOutcome {
  file: string;
  line: number;
  title: string;
  id?: string;
  outcome: 'loaded' | 'skipped' | 'refused';
  /** Why skipped or refused; for a rule used only inside a correlation, which one. */
  reason?: string;
  warnings: string[];
}

export interface SigmaCompilation {
  rules: CompiledSigmaRule[];
  outcomes: SigmaOutcome[];
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

function nativeId(doc: SigmaDocument): string {
  const id = text(doc.value.id)?.toLowerCase();
  if (id && /^[a-z0-9][a-z0-9-]{2,99}$/.test(id)) return id;
  const slug = (text(doc.value.title) ?? `${doc.file}-${doc.index}`)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 90);
  return `sigma-${slug || doc.index}`;
}

interface Entry {
  doc: SigmaDocument;
  kind: 'rule' | 'correlation' | 'filter';
  title: string;
  warnings: string[];
  outcome?: Pick<SigmaOutcome, 'outcome' | 'reason'>;
  /** Where in the document the refused construct sits, for its line. */
  refusedAt?: readonly (string | number)[];
  match?: Logic;
  usedBy: string[];
}

function refuse(entry: Entry, err: unknown): void {
  if (!(err instanceof SigmaUnsupported)) throw err;
  entry.outcome = { outcome: 'refused', reason: err.reason };
  entry.refusedAt = err.at;
}

/**
 * Compiles Sigma documents (rules and correlations, from any number of files: correlations may
 * name rules of other files) to native rule definitions. Each document gets an outcome; one bad
 * rule never stops the others.
 */
export function compileSigma(documents: readonly SigmaDocument[], options: SigmaOptions): SigmaCompilation {
  const skip = new Set((options.skipStatuses ?? DEFAULT_SKIP_STATUSES).map((s) => s.toLowerCase()));
  const products = new Set((options.logsource?.products ?? ['okta']).map((s) => s.toLowerCase()));
  const services = new Set((options.logsource?.services ?? ['okta']).map((s) => s.toLowerCase()));
  const entries: Entry[] = documents.map((doc) => ({
    doc,
    kind: sigmaKind(doc.value)!,
    title: text(doc.value.title) ?? `(untitled document ${doc.index + 1})`,
    warnings: [],
    usedBy: [],
  }));

  for (const entry of entries) {
    const v = entry.doc.value;
    const status = text(v.status)?.toLowerCase();
    if (status && skip.has(status)) {
      entry.outcome = { outcome: 'skipped', reason: `status ${status}` };
      continue;
    }
    if (!text(v.title)) entry.warnings.push('no title');
    if (entry.kind === 'correlation') continue;
    const logsource = (typeof v.logsource === 'object' && v.logsource !== null ? v.logsource : {}) as Record<string, unknown>;
    const product = text(logsource.product)?.toLowerCase();
    const service = text(logsource.service)?.toLowerCase();
    if (!(product && products.has(product)) && !(service && services.has(service))) {
      const said =
        Object.entries(logsource)
          .map(([k, x]) => `${k}=${String(x)}`)
          .join(' ') || 'none';
      entry.outcome = {
        outcome: 'skipped',
        reason: `logsource ${said} is not this pipeline's (product or service: ${[...new Set([...products, ...services])].join(', ')})`,
      };
      continue;
    }
    try {
      const ctx = { placeholders: options.placeholders ?? {}, warn: (m: string) => void entry.warnings.push(m) };
      entry.match = entry.kind === 'filter' ? filterLogic(v.filter, ctx) : detectionLogic(v.detection, ctx);
    } catch (err) {
      refuse(entry, err);
    }
  }

  const rules: CompiledSigmaRule[] = [];
  const byRef = (ref: string): Entry | undefined =>
    entries.find((e) => text(e.doc.value.name) === ref) ?? entries.find((e) => text(e.doc.value.id)?.toLowerCase() === ref.toLowerCase());
  // Meta-filters (Sigma filters specification): the filter's condition is ANDed to each named
  // rule, before any correlation uses that rule — pySigma's semantics, so exclusions say `not`.
  for (const filter of entries) {
    if (filter.kind !== 'filter' || filter.outcome || filter.match === undefined) continue;
    const refs = strings((filter.doc.value.filter as Record<string, unknown>).rules);
    const applied: string[] = [];
    for (const ref of refs) {
      const target = byRef(ref);
      if (target?.kind !== 'rule') {
        filter.warnings.push(`filter names rule "${ref}", which is not among the loaded Sigma rules`);
        continue;
      }
      if (target.match === undefined) continue;
      target.match = { and: [target.match, filter.match] };
      target.warnings.push(`tuned by filter "${filter.title}"`);
      applied.push(target.title);
    }
    filter.usedBy.push(...applied);
  }
  const sources: CorrelationSource = {
    resolve(ref) {
      const found = byRef(ref);
      if (!found)
        throw new SigmaUnsupported(`correlation names rule "${ref}", which is not among the loaded Sigma rules (by name or id)`, ['correlation', 'rules']);
      if (found.outcome)
        throw new SigmaUnsupported(`correlation needs rule "${ref}", which was ${found.outcome.outcome}: ${found.outcome.reason}`, ['correlation', 'rules']);
      // Filters are always refused above, so a found, usable document is a rule or a correlation.
      return { value: found.doc.value, match: found.match, kind: found.kind === 'correlation' ? 'correlation' : 'rule', name: text(found.doc.value.name) };
    },
  };
  const correlations: { entry: Entry; rule: CompiledSigmaRule }[] = [];
  const generates = (used: Entry): boolean =>
    entries.some(
      (c) => c.kind === 'correlation' && (c.doc.value.correlation as Record<string, unknown> | undefined)?.generate === true && used.usedBy.includes(c.title),
    );
  for (const entry of entries) {
    if (entry.kind !== 'correlation' || entry.outcome) continue;
    try {
      const parts = correlationParts(entry.doc.value, sources, (m) => entry.warnings.push(m));
      entry.match = parts.match;
      for (const ref of parts.references) byRef(ref)?.usedBy.push(entry.title);
      const level = entry.doc.value.level ?? parts.levels.sort((a, b) => LEVEL_ORDER.indexOf(b) - LEVEL_ORDER.indexOf(a))[0];
      const tags = strings(entry.doc.value.tags).length > 0 ? strings(entry.doc.value.tags) : parts.tags;
      correlations.push({
        entry,
        rule: build(entry, { match: parts.match, group_by: parts.groupBy, correlate: parts.correlate, level, tags }, parts.aliases, options),
      });
    } catch (err) {
      refuse(entry, err);
    }
  }
  // A correlation chained into another is a part of it, like a base rule, unless `generate: true`.
  for (const { entry, rule } of correlations) if (entry.usedBy.length === 0 || generates(entry)) rules.push(rule);
  for (const entry of entries) {
    if (entry.kind !== 'rule' || entry.outcome || entry.match === undefined) continue;
    if (entry.usedBy.length > 0 && !generates(entry)) continue;
    try {
      rules.push(build(entry, { match: entry.match, group_by: [], level: entry.doc.value.level, tags: strings(entry.doc.value.tags) }, [], options));
    } catch (err) {
      refuse(entry, err);
    }
  }

  const outcomes: SigmaOutcome[] = entries.map((e) => {
    const base = {
      file: e.doc.file,
      line: e.doc.line(e.refusedAt ?? []),
      title: e.title,
      ...(text(e.doc.value.id) ? { id: text(e.doc.value.id)! } : {}),
      warnings: e.warnings,
    };
    if (e.outcome) return { ...base, ...e.outcome };
    const alsoAlone = generates(e);
    if (e.kind === 'filter')
      return {
        ...base,
        outcome: 'loaded' as const,
        reason: `filter applied to ${e.usedBy.length === 0 ? 'no rule' : e.usedBy.map((t) => `"${t}"`).join(', ')}`,
      };
    if (e.usedBy.length > 0)
      return {
        ...base,
        outcome: 'loaded' as const,
        reason: `${alsoAlone ? 'on its own and ' : 'only '}as part of correlation ${e.usedBy.map((t) => `"${t}"`).join(', ')}`,
      };
    return { ...base, outcome: 'loaded' as const };
  });
  return { rules, outcomes };
}

const LEVEL_ORDER = ['informational', 'low', 'medium', 'high', 'critical'];

function build(
  entry: Entry,
  logic: { match: Logic; group_by: string[]; correlate?: Record<string, unknown>; level: unknown; tags: string[] },
  aliases: GroupAlias[],
  options: SigmaOptions,
): CompiledSigmaRule {
  const v = entry.doc.value;
  const warn = (m: string): void => void entry.warnings.push(m);
  const { threat, otherTags } = threatOf(logic.tags, options.attack, warn);
  const definition: NativeRuleDefinition = {
    id: nativeId(entry.doc),
    name: entry.title,
    description: text(v.description) ?? entry.title,
    version: 1,
    severity: severityOf(logic.level, warn),
    threat,
    tags: ['sigma', ...otherTags],
    references: strings(v.references),
    false_positives: strings(v.falsepositives),
    author: text(v.author) ?? 'unknown (Sigma)',
    match: logic.match,
    group_by: logic.group_by,
    ...(logic.correlate ? { correlate: logic.correlate } : {}),
    ...(Array.isArray(v.tests) ? { tests: v.tests as unknown[] } : {}),
  };
  return {
    definition,
    file: entry.doc.file,
    line: entry.doc.line(),
    aliases,
    sigma: {
      ...(text(v.id) ? { id: text(v.id)! } : {}),
      title: entry.title,
      ...(text(v.status) ? { status: text(v.status)! } : {}),
      ...(typeof logic.level === 'string' ? { level: logic.level } : {}),
      ...(text(v.author) ? { author: text(v.author)! } : {}),
      kind: entry.kind === 'correlation' ? 'correlation' : 'rule',
    },
  };
}
