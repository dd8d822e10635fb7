import { errorMessage, PermanentError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { StorageClient } from '../storage.js';

/**
 * How a request is written to and read back from a persistent queue, as a JSON object. The
 * stored entry is that object plus `records` (the count is needed before the request is loaded).
 */
export interface RequestCodec<R> {
  marshal(request: R): Record<string, unknown>;
  unmarshal(stored: Record<string, unknown>): R;
}

export interface QueueItem<R> {
  key: string;
  records: number;
  /** In memory, or undefined when the request lives in the persistent store. */
  request: R | undefined;
}

const PREFIX = 'batch/';
const CORRUPT_PREFIX = 'corrupt-';

function parseEntry(raw: Buffer): { records: number; stored: Record<string, unknown> } {
  const stored = JSON.parse(raw.toString('utf8')) as unknown;
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) throw new PermanentError('the entry is not a JSON object');
  const records = (stored as { records?: unknown }).records;
  if (typeof records !== 'number' || !Number.isInteger(records) || records < 0) throw new PermanentError('the entry has no valid record count');
  return { records, stored: stored as Record<string, unknown> };
}

/**
 * A queue bounded by records. Full: `put` waits (block_on_overflow) or refuses. With a storage
 * client every request is written to disk (atomically) before `put` resolves and deleted once
 * `done`, so what was accepted survives a crash; only keys and sizes stay in memory. An entry
 * that cannot be read back is moved aside under `corrupt-<key>` with a warning naming it.
 */
export class SendingQueue<R> {
  readonly #items: QueueItem<R>[] = [];
  readonly #capacity: number;
  readonly #block: boolean;
  readonly #store: StorageClient | undefined;
  readonly #codec: RequestCodec<R> | undefined;
  readonly #logger: Logger;
  #records = 0;
  #seq = 0;
  #closed = false;
  #spaceWaiters: (() => void)[] = [];
  #itemWaiters: ((item: QueueItem<R> | undefined) => void)[] = [];

  constructor(options: { capacity: number; blockOnOverflow: boolean; logger: Logger; store?: StorageClient; codec?: RequestCodec<R> }) {
    this.#capacity = options.capacity;
    this.#block = options.blockOnOverflow;
    this.#store = options.store;
    this.#codec = options.codec;
    this.#logger = options.logger;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** Records waiting or being sent. */
  get size(): number {
    return this.#records;
  }

  /** Requests a previous run left in the persistent store, queued again in order. */
  async recover(): Promise<number> {
    if (!this.#store) return 0;
    let recovered = 0;
    for (const key of await this.#store.list(PREFIX)) {
      const seq = Number(key.slice(PREFIX.length));
      if (Number.isFinite(seq)) this.#seq = Math.max(this.#seq, seq + 1);
      let records: number;
      try {
        const raw = await this.#store.get(key);
        if (!raw) continue;
        records = parseEntry(raw).records;
      } catch (err) {
        await this.#setAside(key, err);
        continue;
      }
      this.#push({ key, records, request: undefined });
      recovered += records;
    }
    return recovered;
  }

  /** Accepts a request; false when the queue is full and may not block (the request is dropped). */
  async put(request: R, records: number): Promise<boolean> {
    while (this.#records + records > this.#capacity && this.#records > 0) {
      if (!this.#block || this.#closed) return false;
      await new Promise<void>((resolve) => this.#spaceWaiters.push(resolve));
    }
    if (this.#closed) return false;
    const key = `${PREFIX}${String(this.#seq++).padStart(12, '0')}`;
    if (this.#store) await this.#store.set(key, JSON.stringify({ ...this.#codec!.marshal(request), records }));
    this.#push({ key, records, request: this.#store ? undefined : request });
    return true;
  }

  #push(item: QueueItem<R>): void {
    this.#records += item.records;
    const waiter = this.#itemWaiters.shift();
    if (waiter) waiter(item);
    else this.#items.push(item);
  }

  /** The next request to send; undefined once the queue is closed and empty. */
  take(): Promise<QueueItem<R> | undefined> {
    const item = this.#items.shift();
    if (item) return Promise.resolve(item);
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#itemWaiters.push(resolve));
  }

  /** The request of an item; undefined when its stored entry was unreadable (it was set aside). */
  async load(item: QueueItem<R>): Promise<R | undefined> {
    if (item.request !== undefined) return item.request;
    try {
      const raw = await this.#store!.get(item.key);
      if (!raw) throw new PermanentError('the entry is missing from storage');
      return this.#codec!.unmarshal(parseEntry(raw).stored);
    } catch (err) {
      await this.#setAside(item.key, err);
      this.#release(item.records);
      return undefined;
    }
  }

  async #setAside(key: string, err: unknown): Promise<void> {
    const store = this.#store!;
    const aside = `${CORRUPT_PREFIX}${key.replace(/\//g, '-')}`;
    try {
      const raw = await store.get(key);
      if (raw) await store.set(aside, raw);
      await store.delete(key);
      this.#logger.warn(
        `Moved the unreadable persistent-queue entry "${key}" aside as "${aside}" in ${store.directory} (${errorMessage(err)}); carrying on without it.`,
      );
    } catch (moveErr) {
      this.#logger.warn(
        `The persistent-queue entry "${key}" in ${store.directory} is unreadable (${errorMessage(err)}) and could not be moved aside: ${errorMessage(moveErr)}; skipping it.`,
      );
    }
  }

  /** The request left the queue for good (sent, or given up on). */
  async done(item: QueueItem<R>): Promise<void> {
    try {
      if (this.#store) await this.#store.delete(item.key);
    } finally {
      this.#release(item.records);
    }
  }

  /** The request stays persisted for the next run but leaves this run's queue. */
  abandon(item: QueueItem<R>): void {
    this.#release(item.records);
  }

  #release(records: number): void {
    this.#records -= records;
    for (const wake of this.#spaceWaiters.splice(0)) wake();
  }

  /** Items still waiting (not taken by a consumer), removed from the queue. */
  drainPending(): QueueItem<R>[] {
    return this.#items.splice(0);
  }

  close(): void {
    this.#closed = true;
    for (const wake of this.#spaceWaiters.splice(0)) wake();
    for (const waiter of this.#itemWaiters.splice(0)) waiter(undefined);
  }
}
