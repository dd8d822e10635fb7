import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import type { LogRecord } from '@oktel/core';
import { alertRecord, EntityCollector, type AlertEntities } from './alert-record.js';
import { MinHeap } from './correlation/min-heap.js';
import type { CompiledRule } from './rules/compiled-rule.js';

interface Entry {
  rule: CompiledRule;
  group: Record<string, AnyValue>;
  org: string;
  windowEndMs: number;
  count: number;
  reportedCount: number;
  firstMs: number;
  lastMs: number;
  uuids: string[];
  resource: LogRecord['resource'];
  /** Entities of every hit in the window, bounded (created on the first later hit). */
  entities: AlertEntities | undefined;
  later: EntityCollector | undefined;
  attributes: AnyValueMap | undefined;
  summary: string | undefined;
}

/** What one detection contributes: a single event, or a correlation's events. */
export interface Hit {
  count: number;
  firstMs: number;
  lastMs: number;
  uuids: readonly string[];
  entities?: AlertEntities;
  attributes?: AnyValueMap;
  summary?: string;
}

export interface SuppressionOptions {
  defaultWindowMs: number;
  maxEventUuids: number;
  maxEntries: number;
  onEvict?: () => void;
}

/** The attribute naming the Okta org on every alert (the resource's `okta.domain`). */
export const ORG_ATTRIBUTE = 'okta.domain';

/**
 * One alert per rule, org and group per window (on event time). Later hits in the window only
 * count; when the window closes — or the pipeline stops — a follow-up alert reports the hits
 * that came after the first one, so nothing is hidden and nothing floods. Windows close through
 * a heap keyed by window end: no sweep of every open window per batch.
 */
export class Suppression {
  readonly #entries = new Map<string, Entry>();
  readonly #closing = new MinHeap<{ key: string; entry: Entry }>();
  #watermark = Number.NEGATIVE_INFINITY;

  constructor(readonly options: SuppressionOptions) {}

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Records a hit; returns what to emit now: nothing inside an open window, else the new alert,
   * preceded by the follow-up of the window this hit closed, if that window had more hits.
   */
  hit(rule: CompiledRule, group: Record<string, AnyValue>, org: string, hit: Hit, resource: LogRecord['resource']): LogRecord[] {
    const eventMs = hit.lastMs;
    this.#watermark = Math.max(this.#watermark, eventMs);
    // Joined, not concatenated: one flat string instead of a tree of cons strings per open window.
    const key = [rule.definition.id, org, JSON.stringify(group)].join('\u0000');
    const existing = this.#entries.get(key);
    if (existing && eventMs < existing.windowEndMs) {
      existing.count += hit.count;
      existing.firstMs = Math.min(existing.firstMs, hit.firstMs);
      existing.lastMs = Math.max(existing.lastMs, eventMs);
      for (const uuid of hit.uuids) if (existing.uuids.length < this.options.maxEventUuids) existing.uuids.push(uuid);
      if (hit.entities) {
        if (!existing.later) {
          existing.later = new EntityCollector(ENTITY_CAP, ENTITY_OVERFLOW);
          if (existing.entities) existing.later.merge(existing.entities);
        }
        existing.later.merge(hit.entities);
      }
      return [];
    }
    const followUp = existing ? this.#followUp(existing) : undefined;
    if (existing) this.#entries.delete(key);
    if (this.#entries.size >= this.options.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
      this.options.onEvict?.();
    }
    const windowMs = rule.definition.suppression.window ?? this.options.defaultWindowMs;
    const uuids = hit.uuids.slice(0, this.options.maxEventUuids);
    const entry: Entry = {
      rule,
      group,
      org,
      windowEndMs: eventMs + windowMs,
      count: hit.count,
      reportedCount: hit.count,
      firstMs: hit.firstMs,
      lastMs: eventMs,
      uuids: [...uuids],
      resource,
      entities: hit.entities,
      later: undefined,
      attributes: hit.attributes,
      summary: hit.summary,
    };
    this.#entries.set(key, entry);
    this.#closing.push(entry.windowEndMs, { key, entry });
    if (this.#closing.size > 2 * this.#entries.size + 1024) this.#compact();
    const alert = withOrg(
      alertRecord({ rule, group, count: hit.count, firstMs: hit.firstMs, lastMs: eventMs, uuids, update: false, resource, ...extras(hit) }),
      org,
    );
    return followUp ? [followUp, alert] : [alert];
  }

  /** Follow-ups for windows that event time (the later of the hits seen and `clockMs`) has moved past. */
  expire(clockMs = Number.NEGATIVE_INFINITY): LogRecord[] {
    this.#watermark = Math.max(this.#watermark, clockMs);
    const out: LogRecord[] = [];
    while (this.#closing.peekKey() <= this.#watermark) {
      const { key, entry } = this.#closing.pop()!;
      if (this.#entries.get(key) !== entry) continue; // replaced or evicted
      const update = this.#followUp(entry);
      if (update) out.push(update);
      this.#entries.delete(key);
    }
    return out;
  }

  /** Replaced and evicted windows leave heap entries behind; past twice the live ones, rebuild from the live ones. */
  #compact(): void {
    this.#closing.clear();
    for (const [key, entry] of this.#entries) this.#closing.push(entry.windowEndMs, { key, entry });
  }

  /** Entries in the closing heap (live and stale), for tests of its bound. */
  get heapSize(): number {
    return this.#closing.size;
  }

  /** Follow-ups for every open window (the pipeline is stopping). */
  flush(): LogRecord[] {
    const out = [...this.#entries.values()].map((e) => this.#followUp(e)).filter((r): r is LogRecord => r !== undefined);
    this.#entries.clear();
    this.#closing.clear();
    return out;
  }

  #followUp(entry: Entry): LogRecord | undefined {
    if (entry.count <= entry.reportedCount) return undefined;
    entry.reportedCount = entry.count;
    return withOrg(
      alertRecord({
        rule: entry.rule,
        group: entry.group,
        count: entry.count,
        firstMs: entry.firstMs,
        lastMs: entry.lastMs,
        uuids: entry.uuids,
        update: true,
        resource: entry.resource,
        ...extras({ entities: entry.later?.result() ?? entry.entities, attributes: entry.attributes, summary: entry.summary }),
      }),
      entry.org,
    );
  }
}

/** Distinct values per entity an alert lists, and further values counted per entity (then a lower bound). */
export const ENTITY_CAP = 5;
export const ENTITY_OVERFLOW = 50;

function extras(hit: { entities?: AlertEntities | undefined; attributes?: AnyValueMap | undefined; summary?: string | undefined }): {
  entities?: AlertEntities;
  attributes?: AnyValueMap;
  summary?: string;
} {
  const out: { entities?: AlertEntities; attributes?: AnyValueMap; summary?: string } = {};
  if (hit.entities) out.entities = hit.entities;
  if (hit.attributes) out.attributes = hit.attributes;
  if (hit.summary) out.summary = hit.summary;
  return out;
}

/** Every alert names its org, so an analyst of a multi-org pipeline knows which tenant to open. */
function withOrg(alert: LogRecord, org: string): LogRecord {
  if (org !== '') alert.attributes[ORG_ATTRIBUTE] = org;
  return alert;
}
