import { setTimeout as sleep } from 'node:timers/promises';
import {
  Counters, errorMessage, isRetryable, isStorageExtension, RetryableError,
  type ComponentSettings, type Exporter, type Host, type LogBatch, type LogRecord,
} from '@oktel/core';
import { logsUrl, type OtlpHttpConfig } from './config.js';
import { encodeBatch, partialSuccess, type EncodedBatch } from './encode.js';
import { createSender, type Sender } from './send.js';
import { SendingQueue, type QueueItem } from './sending-queue.js';

/**
 * The `otlp_http` exporter. The OpenTelemetry JS serializers encode; delivery is ours: a queue
 * bounded by records (blocking the pipeline or dropping with a counter when full), optionally on
 * disk, consumers that retry 429/5xx/network failures with backoff and Retry-After for as long as
 * configured, and a clear line for anything the backend rejects for good.
 */
export class OtlpHttpExporter implements Exporter {
  readonly #settings: ComponentSettings;
  readonly #config: OtlpHttpConfig;
  readonly #send: Sender;
  readonly #abort = new AbortController();
  #queue: SendingQueue | undefined;
  #workers: Promise<void>[] = [];
  #pending: LogRecord[] = [];
  #flushTimer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(settings: ComponentSettings, config: OtlpHttpConfig, sender?: Sender) {
    this.#settings = settings;
    this.#config = config;
    this.#send = sender ?? createSender(logsUrl(config), config);
  }

  async start(host: Host): Promise<void> {
    const q = this.#config.sending_queue;
    if (!q.enabled || this.#queue) return; // started already: one queue, one set of consumers
    let store;
    if (q.storage) {
      const extension = host.getExtension(q.storage);
      if (!isStorageExtension(extension)) throw new Error(`storage extension "${q.storage}" is not available`);
      store = await extension.client('exporter', this.#settings.id);
    }
    this.#queue = new SendingQueue({ capacity: q.queue_size, blockOnOverflow: q.block_on_overflow, ...(store ? { store } : {}) });
    const recovered = await this.#queue.recover();
    if (recovered > 0) this.#settings.logger.info(`Resuming ${recovered} records left in the persistent queue.`);
    this.#gauge();
    for (let i = 0; i < q.num_consumers; i++) this.#workers.push(this.#work());
  }

  async consume(batch: LogBatch): Promise<void> {
    if (this.#stopped) throw new RetryableError(`exporter ${this.#settings.id} is shut down`);
    if (batch.length === 0) return;
    // A persistent queue must hold the records before consume returns (the receiver checkpoints then),
    // so only the in-memory queue waits to fill batches.
    if (this.#queue && !this.#config.sending_queue.storage) {
      this.#pending.push(...batch);
      if (this.#pending.length >= this.#config.batch.max_size) await this.#flushPending();
      else this.#flushTimer ??= setTimeout(() => void this.#flushPending().catch(() => undefined), this.#config.batch.flush_timeout);
      return;
    }
    await this.#enqueueOrSend(batch);
  }

  async #flushPending(): Promise<void> {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const records = this.#pending;
    this.#pending = [];
    if (records.length > 0) await this.#enqueueOrSend(records);
  }

  async #enqueueOrSend(records: LogBatch): Promise<void> {
    for (let i = 0; i < records.length; i += this.#config.batch.max_size) {
      const chunk = records.slice(i, i + this.#config.batch.max_size);
      const encoded = encodeBatch(chunk, this.#config.encoding, this.#config.compression === 'gzip');
      if (!this.#queue) {
        await this.#deliver(encoded, this.#abort.signal, true);
        continue;
      }
      if (!(await this.#queue.put(encoded))) {
        this.#settings.telemetry.add(Counters.exporterEnqueueFailed, encoded.records, 'Records dropped because the sending queue was full');
        this.#settings.logger.warn(`The sending queue is full (${this.#config.sending_queue.queue_size} records); dropped ${encoded.records} records.`);
      }
      this.#gauge();
    }
  }

  async #work(): Promise<void> {
    const queue = this.#queue!;
    for (let item = await queue.take(); item; item = await queue.take()) {
      if (this.#abort.signal.aborted) {
        this.#leave(queue, item);
        continue;
      }
      let batch: EncodedBatch;
      try {
        batch = await queue.load(item);
      } catch (err) {
        this.#settings.logger.error(`Dropping a queued batch that cannot be read: ${errorMessage(err)}`);
        await queue.done(item);
        continue;
      }
      const outcome = await this.#deliver(batch, this.#abort.signal, false);
      if (outcome === 'interrupted') this.#leave(queue, item);
      else await queue.done(item);
      this.#gauge();
    }
  }

  /** What shutdown could not send: kept on disk for the next run, or counted as lost. */
  #leave(queue: SendingQueue, item: QueueItem): void {
    queue.abandon(item);
    if (!this.#config.sending_queue.storage) this.#settings.telemetry.add(Counters.exporterSendFailed, item.records);
  }

  /** Sends with retries; 'sent', 'failed' (permanent or out of time) or 'interrupted' by shutdown. */
  async #deliver(batch: EncodedBatch, signal: AbortSignal, throwOnFailure: boolean): Promise<'sent' | 'failed' | 'interrupted'> {
    const retry = this.#config.retry_on_failure;
    const started = Date.now();
    let step = retry.initial_interval;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.#send(batch);
        const partial = partialSuccess(result.body, this.#config.encoding);
        if (partial) {
          this.#settings.telemetry.add('rejected_log_records', partial.rejected, 'Records the backend rejected in a partial success');
          this.#settings.logger.warn(`The backend accepted the batch but rejected ${partial.rejected} records: ${partial.message}`);
        }
        this.#settings.telemetry.add(Counters.exporterSent, batch.records - (partial?.rejected ?? 0));
        return 'sent';
      } catch (err) {
        const retryable = isRetryable(err) && retry.enabled;
        const outOfTime = retry.max_elapsed_time > 0 && Date.now() - started >= retry.max_elapsed_time;
        if (!retryable || outOfTime) {
          this.#settings.telemetry.add(Counters.exporterSendFailed, batch.records);
          this.#settings.logger.error(`Dropped ${batch.records} records${outOfTime ? ` after retrying for ${Date.now() - started}ms` : ''}: ${errorMessage(err)}`);
          if (throwOnFailure) throw err;
          return 'failed';
        }
        const hinted = err instanceof RetryableError ? err.retryAfterMs : undefined;
        const wait = Math.max(hinted ?? 0, Math.round(step / 2 + (Math.random() * step) / 2));
        step = Math.min(retry.max_interval, step * 2);
        if (attempt === 1 || attempt % 10 === 0) this.#settings.logger.warn(`Export failed (attempt ${attempt}); retrying in ${wait}ms: ${errorMessage(err)}`);
        try {
          await sleep(wait, undefined, { signal });
        } catch {
          return 'interrupted';
        }
      }
    }
  }

  #gauge(): void {
    this.#settings.telemetry.set(Counters.exporterQueueSize, this.#queue?.size ?? 0, 'Records in the sending queue');
  }

  /** Drains what it can within drain_timeout; a persistent queue keeps the rest for the next start. */
  async shutdown(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#flushPending();
    if (!this.#queue) return;
    this.#queue.close();
    const drained = await Promise.race([Promise.all(this.#workers).then(() => true), sleep(this.#config.sending_queue.drain_timeout).then(() => false)]);
    if (!drained) {
      this.#abort.abort();
      await Promise.all(this.#workers);
      const left = this.#queue.size;
      for (const item of this.#queue.pending()) this.#leave(this.#queue, item);
      this.#settings.logger.warn(this.#config.sending_queue.storage
        ? `Shutting down with records still queued; they stay in the persistent queue for the next start.`
        : `Shutting down with ${left} records unsent after ${this.#config.sending_queue.drain_timeout}ms; they are lost (configure sending_queue.storage to keep them).`);
    }
    this.#gauge();
  }
}
