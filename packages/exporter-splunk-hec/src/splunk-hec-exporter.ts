import { setTimeout as sleep } from 'node:timers/promises';
import {
  Counters, errorMessage, isRetryable, isStorageExtension, OktelError, PermanentError, RetryableError,
  type ComponentSettings, type Exporter, type Host, type LogBatch, type LogRecord,
} from '@oktel/core';
import { SendingQueue, type EncodedBatch, type QueueItem } from '@oktel/exporter-otlp';
import type { SplunkHecConfig } from './config.js';
import { encodeRequests } from './encode.js';
import { createHecSender, type HecSend } from './send.js';

/** Records the exporter could never send (too large for one request, not JSON). */
export const UNSENDABLE_LOG_RECORDS = 'unsendable_log_records';

/**
 * The `splunk_hec` exporter. Encoding (records → HEC request bodies) and sending (one request →
 * done or a typed Retryable/PermanentError) are separate functions; the delivery around them —
 * bounded queue, optional persistence, retries with backoff and Retry-After, drain at shutdown —
 * follows the otlp_http exporter and is meant to move onto the shared exporter helper.
 */
export class SplunkHecExporter implements Exporter {
  readonly #settings: ComponentSettings;
  readonly #config: SplunkHecConfig;
  readonly #send: HecSend;
  readonly #abort = new AbortController();
  #host: Host | undefined;
  #status: 'ok' | 'recoverable_error' | 'permanent_error' | undefined;
  #queue: SendingQueue | undefined;
  #workers: Promise<void>[] = [];
  #pending: LogRecord[] = [];
  #flushTimer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(settings: ComponentSettings, config: SplunkHecConfig, send?: HecSend) {
    this.#settings = settings;
    this.#config = config;
    this.#send = send ?? createHecSender(config);
  }

  async start(host: Host): Promise<void> {
    this.#host = host;
    const q = this.#config.sending_queue;
    if (!q.enabled || this.#queue) return;
    let store;
    if (q.storage) {
      const extension = host.getExtension(q.storage);
      if (!isStorageExtension(extension)) throw new OktelError('ERR_STORAGE_MISSING', `storage extension "${q.storage}" is not available`);
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
    if (this.#queue && !this.#config.sending_queue.storage) {
      this.#pending.push(...batch);
      if (this.#pending.length >= this.#config.max_events_per_request) await this.#flushPending();
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
    const { requests, rejected } = encodeRequests(records, this.#config);
    if (rejected.length > 0) {
      // One bad record never stops the others: it is counted and named, the rest go on.
      this.#settings.telemetry.add(Counters.exporterSendFailed, rejected.length);
      this.#settings.telemetry.add(UNSENDABLE_LOG_RECORDS, rejected.length, 'Records that cannot be sent to HEC at all (too large, not JSON)');
      for (const r of rejected.slice(0, 5)) this.#settings.logger.error(`Dropping a record (${String(records[r.index]?.eventName ?? 'no event name')}) that ${r.reason}.`);
    }
    for (const request of requests) {
      if (!this.#queue) {
        await this.#deliver(request, this.#abort.signal, true);
        continue;
      }
      if (!(await this.#queue.put(request))) {
        this.#settings.telemetry.add(Counters.exporterEnqueueFailed, request.records, 'Records dropped because the sending queue was full');
        this.#settings.logger.warn(`The sending queue is full (${this.#config.sending_queue.queue_size} records); dropped ${request.records} records.`);
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
      let request: EncodedBatch;
      try {
        request = await queue.load(item);
      } catch (err) {
        this.#settings.logger.error(`Dropping a queued request that cannot be read: ${errorMessage(err)}`);
        await queue.done(item);
        continue;
      }
      const outcome = await this.#deliver(request, this.#abort.signal, false);
      if (outcome === 'interrupted') this.#leave(queue, item);
      else await queue.done(item);
      this.#gauge();
    }
  }

  #leave(queue: SendingQueue, item: QueueItem): void {
    queue.abandon(item);
    if (!this.#config.sending_queue.storage) this.#settings.telemetry.add(Counters.exporterSendFailed, item.records);
  }

  /** Makes the exporter's state visible in /health: a refused token is not something retrying fixes. */
  #report(status: 'ok' | 'recoverable_error' | 'permanent_error', err?: unknown): void {
    if (status === this.#status && status === 'ok') return;
    this.#status = status;
    this.#host?.reportStatus(`exporter/${this.#settings.id}`, status === 'ok' ? { status } : { status, reason: errorMessage(err), error: err });
  }

  async #deliver(request: EncodedBatch, signal: AbortSignal, throwOnFailure: boolean): Promise<'sent' | 'failed' | 'interrupted'> {
    const retry = this.#config.retry_on_failure;
    const started = Date.now();
    let step = retry.initial_interval;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#send(request, signal);
        this.#settings.telemetry.add(Counters.exporterSent, request.records);
        this.#report('ok');
        return 'sent';
      } catch (err) {
        if (signal.aborted) return 'interrupted';
        const retryable = isRetryable(err) && retry.enabled;
        const outOfTime = retry.max_elapsed_time > 0 && Date.now() - started >= retry.max_elapsed_time;
        if (!retryable || outOfTime) {
          this.#settings.telemetry.add(Counters.exporterSendFailed, request.records);
          this.#settings.logger.error(`Dropped ${request.records} records${outOfTime ? ` after retrying for ${Date.now() - started}ms` : ''}: ${errorMessage(err)}`);
          this.#report(err instanceof PermanentError ? 'permanent_error' : 'recoverable_error', err);
          if (throwOnFailure) throw err;
          return 'failed';
        }
        this.#report('recoverable_error', err);
        const hinted = err instanceof RetryableError ? err.retryAfterMs : undefined;
        const wait = Math.max(hinted ?? 0, Math.round(step / 2 + (Math.random() * step) / 2));
        step = Math.min(retry.max_interval, step * 2);
        if (attempt === 1 || attempt % 10 === 0) this.#settings.logger.warn(`HEC send failed (attempt ${attempt}); retrying in ${wait}ms: ${errorMessage(err)}`);
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

  async shutdown(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#flushPending();
    if (!this.#queue) return;
    this.#queue.close();
    // The drain timer is cancelled once the queue is empty, so it never holds the process open.
    const timer = new AbortController();
    const drained = await Promise.race([
      Promise.all(this.#workers).then(() => true),
      sleep(this.#config.sending_queue.drain_timeout, false, { signal: timer.signal }).catch(() => false),
    ]);
    timer.abort();
    if (!drained) {
      this.#abort.abort();
      await Promise.all(this.#workers);
      const left = this.#queue.size;
      for (const item of this.#queue.pending()) this.#leave(this.#queue, item);
      this.#settings.logger.warn(this.#config.sending_queue.storage
        ? 'Shutting down with records still queued; they stay in the persistent queue for the next start.'
        : `Shutting down with ${left} records unsent after ${this.#config.sending_queue.drain_timeout}ms; they are lost (configure sending_queue.storage to keep them).`);
    }
    this.#gauge();
  }
}
