import { z } from 'zod';
import type { Correlate } from '../rules/rule-schema.js';
import type { Correlator } from './correlators.js';
import type { CorrelationItem, Fire } from './item.js';

type NewTermsSpec = Extract<Correlate, { type: 'new_terms' }>;

/** What every entity of one new_terms rule shares: when the rule began to learn (event time), persisted with the state. */
export interface LearningClock {
  since: number | null;
}

/** The term of an event: the field value, or the JSON array of the values of several fields; null when one is absent. */
export function termOf(values: readonly unknown[]): string | null {
  if (values.some((v) => v === null || v === undefined || (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean'))) return null;
  return values.length === 1 ? String(values[0]) : JSON.stringify(values.map(String));
}

/** The field values of a term, by field path: what the alert carries and is suppressed on. */
export function termValues(fields: readonly string[], term: string): Record<string, string> {
  const values = fields.length === 1 ? [term] : (JSON.parse(term) as string[]);
  const out: Record<string, string> = {};
  fields.forEach((f, i) => (out[f] = values[i] ?? ''));
  return out;
}

/**
 * new_terms for one entity: each term it was seen with and when it was last seen (event time),
 * least recently seen first. A term not seen within history_window is new; it alerts once the
 * rule's learning period is over. Costs one Map entry per term (about 100 bytes with a short
 * term, see BENCHMARKS.md), at most max_terms_per_entity terms (the least recently seen is
 * forgotten, counted); the entity is dropped when its last term leaves the history window.
 */
export class NewTermsCorrelator implements Correlator {
  key = '';
  readonly terms = new Map<string, number>();
  newest = Number.NEGATIVE_INFINITY;

  constructor(
    readonly spec: NewTermsSpec,
    readonly clock: LearningClock,
    readonly onTermEvict?: () => void,
  ) {}

  add(item: CorrelationItem): Fire | undefined {
    const term = item.facts;
    if (typeof term !== 'string') return undefined;
    const { history_window: history, learning_period: learning, max_terms_per_entity: maxTerms } = this.spec;
    if (this.clock.since === null || item.ms < this.clock.since) this.clock.since = item.ms;
    const last = this.terms.get(term);
    const fresh = last === undefined || item.ms - last > history;
    if (last !== undefined) this.terms.delete(term);
    this.terms.set(term, last === undefined ? item.ms : Math.max(last, item.ms));
    this.newest = Math.max(this.newest, item.ms);
    if (this.terms.size > maxTerms) {
      this.terms.delete(this.terms.keys().next().value as string);
      this.onTermEvict?.();
    }
    if (!fresh || item.ms < this.clock.since + learning) return undefined;
    const terms = termValues(this.spec.fields, term);
    const described = Object.entries(terms)
      .map(([f, v]) => `${f}=${v}`)
      .join(', ');
    return {
      groupKey: item.groupKey,
      count: 1,
      firstMs: item.ms,
      lastMs: item.ms,
      uuids: [item.uuid],
      terms,
      attributes: {
        'oktel.alert.new_terms.fields': [...this.spec.fields],
        'oktel.alert.new_terms.values': Object.values(terms),
        'oktel.alert.new_terms.known_terms': this.terms.size - 1,
      },
      summary: `first seen with ${described} within ${Math.round(history / 86_400_000)}d (${this.terms.size - 1} other known)`,
    };
  }

  deadline(): number {
    return this.newest + this.spec.history_window;
  }

  /** Forgets the terms the history window has left behind; the entity goes with its last term. */
  expire(watermark: number) {
    const horizon = watermark - this.spec.history_window;
    for (const [term, ms] of this.terms) if (ms < horizon) this.terms.delete(term);
    return { done: this.terms.size === 0 };
  }

  finish(): undefined {
    return undefined;
  }

  snapshot() {
    return { terms: [...this.terms] };
  }

  static readonly state = z.strictObject({ terms: z.array(z.tuple([z.string(), z.number()])) });

  restore(state: z.output<typeof NewTermsCorrelator.state>): void {
    for (const [term, ms] of state.terms.slice(-this.spec.max_terms_per_entity)) {
      this.terms.set(term, ms);
      this.newest = Math.max(this.newest, ms);
    }
  }
}
