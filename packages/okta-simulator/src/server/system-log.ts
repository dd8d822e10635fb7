import type { OktaLogEvent } from '@oktel/okta-log-event';

interface Stored {
  seq: number;
  persistedAt: number;
  published: number;
  event: OktaLogEvent;
}

export const RETENTION_MS = 90 * 24 * 3_600_000;

export interface LogQuery {
  since?: number;
  until?: number;
  after?: string;
  limit: number;
  descending: boolean;
  filter?: (event: Record<string, unknown>) => boolean;
}

export interface LogPage {
  events: OktaLogEvent[];
  /** Cursor for the next link, or undefined when a bounded query has no more pages. */
  nextAfter: string | undefined;
}

/**
 * The org's System Log as Okta stores it. Events get a persistence time (and order) when they
 * become visible, which for late arrivals is after newer events: polling follows persistence
 * order, as Okta's does, so a cursor never skips them; bounded queries use `published`.
 */
export class SystemLog {
  readonly #stored: Stored[] = [];
  #pending: { visibleAt: number; event: OktaLogEvent }[] = [];
  #seq = 0;

  /** Adds events, visible now or after `delayMs` (late arrivals). */
  append(events: readonly OktaLogEvent[], options: { now?: number; delayMs?: number } = {}): void {
    const now = options.now ?? Date.now();
    for (const event of events) this.#pending.push({ visibleAt: now + (options.delayMs ?? 0), event });
    this.#pending.sort((a, b) => a.visibleAt - b.visibleAt);
    this.#promote(now);
  }

  get size(): number {
    return this.#stored.length + this.#pending.length;
  }

  #promote(now: number): void {
    while (this.#pending.length > 0 && this.#pending[0]!.visibleAt <= now) {
      const { visibleAt, event } = this.#pending.shift()!;
      this.#stored.push({ seq: ++this.#seq, persistedAt: visibleAt, published: Date.parse(event.published), event });
    }
  }

  query(q: LogQuery, now: number): LogPage {
    this.#promote(now);
    const horizon = now - RETENTION_MS;
    const visible = (s: Stored): boolean => s.published >= horizon && (!q.filter || q.filter(s.event as Record<string, unknown>));
    if (q.until !== undefined || q.descending) return this.#bounded(q, now, visible);

    // Polling: persistence order; `after` is an opaque "<persistedAt>_<seq>" token.
    const afterSeq = q.after ? Number(q.after.split('_')[1]) : undefined;
    const since = q.since ?? now - 7 * 24 * 3_600_000;
    const events: OktaLogEvent[] = [];
    let lastSeq = afterSeq ?? 0;
    let lastPersisted = q.after ? Number(q.after.split('_')[0]) : since;
    for (const s of this.#stored) {
      if (afterSeq !== undefined ? s.seq <= afterSeq : s.persistedAt < since) continue;
      if (events.length >= q.limit) break;
      lastSeq = s.seq;
      lastPersisted = s.persistedAt;
      if (visible(s)) events.push(s.event);
    }
    if (afterSeq === undefined && events.length === 0 && lastSeq === 0) {
      // Nothing yet: the cursor starts just before the next event to be persisted.
      lastSeq = this.#stored.findLast((s) => s.persistedAt < since)?.seq ?? 0;
    }
    return { events, nextAfter: `${lastPersisted}_${lastSeq}` };
  }

  #bounded(q: LogQuery, now: number, visible: (s: Stored) => boolean): LogPage {
    const since = q.since ?? (q.until ?? now) - 7 * 24 * 3_600_000;
    const until = q.until ?? now;
    const matching = this.#stored.filter((s) => s.published >= since && s.published < until && visible(s));
    matching.sort((a, b) => (q.descending ? b.published - a.published : a.published - b.published) || a.seq - b.seq);
    const offset = q.after ? Number(q.after.replace(/^b/, '')) : 0;
    const events = matching.slice(offset, offset + q.limit).map((s) => s.event);
    return { events, nextAfter: offset + q.limit < matching.length ? `b${offset + q.limit}` : undefined };
  }
}
