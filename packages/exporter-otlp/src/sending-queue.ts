import type { StorageClient } from '@oktel/core';
import type { EncodedBatch } from './encode.js';

export interface QueueItem {
  key: string;
  records: number;
  /** In memory, or undefined when the body lives in the persistent store. */
  batch: EncodedBatch | undefined;
}

interface StoredBatch {
  records: number;
  contentType: string;
  gzip: boolean;
  body: string;
}

const PREFIX = 'batch/';

/**
 * A queue bounded by records. Full: `put` waits (block_on_overflow) or refuses. With a storage
 * client every batch is written to disk (atomically) before `put` resolves and deleted once
 * `done`, so what was accepted survives a crash; only keys and sizes stay in memory.
 */
export class SendingQueue {
  readonly #items: QueueItem[] = [];
  readonly #capacity: number;
  readonly #block: boolean;
  readonly #store: StorageClient | undefined;
  #records = 0;
  #seq = 0;
  #closed = false;
  #spaceWaiters: (() => void)[] = [];
  #itemWaiters: ((item: QueueItem | undefined) => void)[] = [];

  constructor(options: { capacity: number; blockOnOverflow: boolean; store?: StorageClient }) {
    this.#capacity = options.capacity;
    this.#block = options.blockOnOverflow;
    this.#store = options.store;
  }

  /** Records waiting or being sent. */
  get size(): number {
    return this.#records;
  }

  /** Batches a previous run left in the persistent store, queued again in order. */
  async recover(): Promise<number> {
    if (!this.#store) return 0;
    let recovered = 0;
    for (const key of await this.#store.list(PREFIX)) {
      const raw = await this.#store.get(key);
      if (!raw) continue;
      const stored = JSON.parse(raw.toString('utf8')) as StoredBatch;
      this.#seq = Math.max(this.#seq, Number(key.slice(PREFIX.length)) + 1);
      this.#push({ key, records: stored.records, batch: undefined });
      recovered += stored.records;
    }
    return recovered;
  }

  /** Accepts a batch; false when the queue is full and may not block (the batch is dropped). */
  async put(batch: EncodedBatch): Promise<boolean> {
    while (this.#records + batch.records > this.#capacity && this.#records > 0) {
      if (!this.#block || this.#closed) return false;
      await new Promise<void>((resolve) => this.#spaceWaiters.push(resolve));
    }
    if (this.#closed) return false;
    const key = `${PREFIX}${String(this.#seq++).padStart(12, '0')}`;
    if (this.#store) {
      const stored: StoredBatch = { records: batch.records, contentType: batch.contentType, gzip: batch.gzip, body: batch.body.toString('base64') };
      await this.#store.set(key, JSON.stringify(stored));
    }
    this.#push({ key, records: batch.records, batch: this.#store ? undefined : batch });
    return true;
  }

  #push(item: QueueItem): void {
    this.#records += item.records;
    const waiter = this.#itemWaiters.shift();
    if (waiter) waiter(item);
    else this.#items.push(item);
  }

  /** The next batch to send; undefined once the queue is closed and empty. */
  take(): Promise<QueueItem | undefined> {
    const item = this.#items.shift();
    if (item) return Promise.resolve(item);
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#itemWaiters.push(resolve));
  }

  async load(item: QueueItem): Promise<EncodedBatch> {
    if (item.batch) return item.batch;
    const raw = await this.#store!.get(item.key);
    if (!raw) throw new Error(`queued batch ${item.key} is missing from storage`);
    const stored = JSON.parse(raw.toString('utf8')) as StoredBatch;
    return { records: stored.records, contentType: stored.contentType, gzip: stored.gzip, body: Buffer.from(stored.body, 'base64') };
  }

  /** The batch left the queue for good (sent, or given up on). */
  async done(item: QueueItem): Promise<void> {
    if (this.#store) await this.#store.delete(item.key);
    this.#release(item.records);
  }

  /** The batch stays persisted for the next run but leaves this run's queue. */
  abandon(item: QueueItem): void {
    this.#release(item.records);
  }

  #release(records: number): void {
    this.#records -= records;
    for (const wake of this.#spaceWaiters.splice(0)) wake();
  }

  /** Items still waiting (not taken by a consumer). */
  pending(): QueueItem[] {
    return [...this.#items];
  }

  close(): void {
    this.#closed = true;
    for (const wake of this.#spaceWaiters.splice(0)) wake();
    for (const waiter of this.#itemWaiters.splice(0)) waiter(undefined);
  }
}
