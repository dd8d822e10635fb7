import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import type { AlertEntities } from '../alert-record.js';
import type { EventEntities } from './group-entities.js';
/**
 * What a stateful rule keeps of one event while it waits in the reorder buffer: its time,
 * identity, group key and the facts the rule needs — never the event or its record.
 */
export interface CorrelationItem {
  ms: number;
  uuid: string;
  /** `org \u0000 JSON of the group_by values`: the org is part of every key (no cross-org groups). */
  groupKey: string;
  /** value_count: the field value; sequence: indexes of the steps it matches; aggregate: one entry per aggregate. */
  facts: unknown;
  /** The entity values of the event (see `eventEntities`), for its group's alert; not journaled. */
  entities?: EventEntities | undefined;
  /** Its estimated heap cost while it waits in the reorder buffer, computed once on the way in. */
  bytes: number;
}

/** A stateful rule's decision that a group crossed its condition. */
export interface Fire {
  groupKey: string;
  count: number;
  firstMs: number;
  lastMs: number;
  uuids: string[];
  /** The entities of the events that contributed (bounded per group; see StatefulRule). */
  entities?: AlertEntities;
  /** Values that are part of what fired and of its suppression key (new_terms: the new term). */
  terms?: Record<string, AnyValue>;
  /** Attributes the correlation type adds to the alert, and a clause for its message. */
  attributes?: AnyValueMap;
  summary?: string;
}

/**
 * The group key of an org and its group_by values. Joined, not concatenated: V8 keeps a `+` or a
 * template literal as a tree of cons strings for as long as the key lives, which cost an open
 * group ~60 bytes more than one flat string (BENCHMARKS.md, bytes per group).
 */
export function groupKeyOf(org: string, values: readonly unknown[]): string {
  return [org, JSON.stringify(values)].join('\u0000');
}

/** The org of a group key (the part before the first NUL). */
export function orgOfKey(key: string): string {
  const cut = key.indexOf('\u0000');
  return cut < 0 ? '' : key.slice(0, cut);
}

/** The group_by values of a group key, in group_by order. */
export function valuesOfKey(key: string): unknown[] {
  const parsed = JSON.parse(key.slice(key.indexOf('\u0000') + 1)) as unknown;
  return Array.isArray(parsed) ? parsed : [];
}
