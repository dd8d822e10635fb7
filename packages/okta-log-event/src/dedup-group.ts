import { RetryableError } from '@oktel/core';

/**
 * One bounded set of Okta event uuids that several receivers of the same org share, so an
 * event that arrives both by Event Hook and by polling goes through the pipeline once.
 *
 * An event counts as delivered only once the pipeline accepted it: while one receiver is
 * delivering it, the other waits for that outcome instead of dropping its copy, and when the
 * delivery fails the uuid is released so the next attempt (a retry, the other receiver) carries
 * it. Remembered uuids are evicted oldest first beyond `capacity`.
 */
export class EventDedup {
  readonly #delivered = new Set<string>();
  readonly #inFlight = new Map<string, Promise<void>>();

  constructor(public capacity: number) {}

  /** Whether the uuid was delivered already (for tests and metrics). */
  has(uuid: string): boolean {
    return this.#delivered.has(uuid);
  }

  get size(): number {
    return this.#delivered.size;
  }

  /**
   * Calls `deliver` with the events neither delivered nor being delivered, and resolves once
   * those and the copies another receiver is delivering are all accepted. Rejects (retryably)
   * if any of them was not, with the uuids released for the retry.
   */
  async deliverOnce<T extends { uuid: string }>(
    events: readonly T[],
    deliver: (fresh: T[]) => Promise<void>,
  ): Promise<{ delivered: number; duplicates: number }> {
    const fresh: T[] = [];
    const waits = new Set<Promise<void>>();
    const seenHere = new Set<string>();
    let duplicates = 0;
    for (const event of events) {
      const pending = this.#inFlight.get(event.uuid);
      if (this.#delivered.has(event.uuid) || seenHere.has(event.uuid)) duplicates++;
      else if (pending) {
        duplicates++;
        waits.add(pending);
      } else {
        fresh.push(event);
        seenHere.add(event.uuid);
      }
    }
    if (fresh.length > 0) {
      const attempt = deliver(fresh);
      // Others wait on this attempt; they must not see an unhandled rejection from it.
      const shared = attempt.then(() => undefined);
      shared.catch(() => undefined);
      for (const event of fresh) this.#inFlight.set(event.uuid, shared);
      try {
        await attempt;
        for (const event of fresh) this.#remember(event.uuid);
      } finally {
        for (const event of fresh) if (this.#inFlight.get(event.uuid) === shared) this.#inFlight.delete(event.uuid);
      }
    }
    const others = await Promise.allSettled(waits);
    if (others.some((o) => o.status === 'rejected')) {
      throw new RetryableError('a copy of some of these events was being delivered by another receiver and failed; retry to deliver them', {
        code: 'ERR_DEDUP_PEER_FAILED',
      });
    }
    return { delivered: fresh.length, duplicates };
  }

  #remember(uuid: string): void {
    this.#delivered.delete(uuid);
    this.#delivered.add(uuid);
    if (this.#delivered.size > this.capacity) {
      for (const old of this.#delivered) {
        this.#delivered.delete(old);
        if (this.#delivered.size <= this.capacity) break;
      }
    }
  }
}

const groups = new Map<string, EventDedup>();

/**
 * The process-wide de-duplication group with this name, created on first use. Receivers that
 * name the same `dedup_group` in config share it; the largest capacity asked for wins.
 */
export function dedupGroup(name: string, capacity: number): EventDedup {
  let group = groups.get(name);
  if (!group) {
    group = new EventDedup(capacity);
    groups.set(name, group);
  } else if (capacity > group.capacity) group.capacity = capacity;
  return group;
}
