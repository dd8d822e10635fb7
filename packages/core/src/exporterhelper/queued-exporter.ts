import type { ComponentSettings, Exporter, Host } from '../component.js';
import { equalJitter } from '../backoff.js';
import { formatDuration } from '../config/units.js';
import { errorMessage, isRetryable, OktelError, PermanentError, RetryableError } from '../errors.js';
import type { LogBatch, LogRecord } from '../record.js';
import { type StorageClient, storageClient } from '../storage.js';
import type { ExporterHelperConfig } from './config.js';
import { SendingQueue, type QueueItem, type RequestCodec } from './queue.js';
import { abortableSleep, MAX_TIMER_MS } from './wait.js';

/** What a push learned from a backend that accepted the request (a 2xx is delivery). */
export interface PushResult {
  /** Records the backend said it rejected (OTLP partial success); clamped to the request's size. */
  rejected?: number;
  /** The backend's reason for the rejected records. */
  message?: string;
}

export interface QueuedExporterOptions<R> {
  /**
   * Encodes at most `batch.max_size` records into one request. May be asynchronous, so
   * compression can run on the thread pool. Throw PermanentError when it cannot.
   */
  encode?(records: LogBatch): R | Promise<R>;
  /**
   * Instead of `encode`, for backends that also bound requests by bytes (HEC's
   * max_content_length): the records as one or more requests.
   */
  encodeMany?(records: LogBatch): R[] | Promise<R[]>;
  /** Records in a request (for counters and the queue bound). */
  records(request: R): number;
  /**
   * Encoded bytes of a request before compression, for `batch.max_bytes` (requests from
   * `encode` only). Without it requests are bounded by records alone.
   */
  bytes?(request: R): number;
  /**
   * Sends one request. Resolve on delivery; reject with RetryableError (retryAfterMs honoured)
   * or PermanentError. Must stop when `signal` aborts (the attempt's deadline or shutdown);
   * the helper gives up on it at that moment either way.
   */
  push(request: R, signal: AbortSignal): Promise<PushResult | void>;
  /**
   * Merge small batches (in-memory queue only) up to `batch.max_size` or `batch.flush_timeout`
   * before encoding: fewer, larger requests. Off: one request per consumed batch (split at max_size).
   */
  mergeBatches?: boolean;
  /** How to persist a request; required when `sending_queue.storage` is set. */
  codec?: RequestCodec<R>;
  start?(host: Host): Promise<void>;
  /** Called after the queue drained (or drain_timeout passed): close files, sockets. */
  shutdown?(): Promise<void>;
}

/** Counter and gauge names, in the Collector's vocabulary (otelcol_exporter_*). */
const SENT = 'sent_log_records';
const SEND_FAILED = 'send_failed_log_records';
const ENQUEUE_FAILED = 'enqueue_failed_log_records';
const REJECTED = 'rejected_log_records';
const QUEUE_SIZE = 'queue_size';
const QUEUE_CAPACITY = 'queue_capacity';

/** How long an aborted push may take to settle before it is abandoned. */
const ABORT_GRACE_MS = 200;

type Outcome = 'sent' | 'failed' | 'interrupted';

class ExporterHelperError extends OktelError {}

/**
 * The Collector's exporterhelper for oktel: a bounded sending queue (blocking or dropping,
 * persistent on a storage extension), consumers that retry with backoff and Retry-After, a total
 * deadline per attempt, the send counters and queue gauges, a recoverable_error status while
 * sending keeps failing, and a shutdown bounded by `drain_timeout` whatever the backend does.
 * An exporter supplies only how to encode a batch and how to push one request.
 */
export function createQueuedExporter<R>(settings: ComponentSettings, config: ExporterHelperConfig, options: QueuedExporterOptions<R>): Exporter {
  return new QueuedExporter(settings, config, options);
}

class QueuedExporter<R> implements Exporter {
  readonly #settings: ComponentSettings;
  readonly #config: ExporterHelperConfig;
  readonly #options: QueuedExporterOptions<R>;
  /** Aborted when drain_timeout passes at shutdown: every wait and in-flight push stops. */
  readonly #abort = new AbortController();
  readonly #inFlight = new Set<Promise<unknown>>();
  #host: Host | undefined;
  #queue: SendingQueue<R> | undefined;
  #workers: Promise<void>[] = [];
  #pending: LogRecord[] = [];
  /**
   * The previous batch's asynchronous encode (compression on the thread pool) and enqueue: with
   * an in-memory queue the pipeline encodes the next batch meanwhile, and waits only for this one.
   */
  #encodeTail: Promise<void> = Promise.resolve();
  /** Encoded bytes per record seen so far (0 until the first request): sizes merged batches before they are encoded. */
  #bytesPerRecord = 0;
  #flushTimer: NodeJS.Timeout | undefined;
  #started = false;
  #stopped = false;
  #failingSince: number | undefined;
  #unhealthy = false;

  constructor(settings: ComponentSettings, config: ExporterHelperConfig, options: QueuedExporterOptions<R>) {
    this.#settings = settings;
    this.#config = config;
    this.#options = options;
  }

  get #statusId(): string {
    return `exporter/${this.#settings.id}`;
  }

  async start(host: Host): Promise<void> {
    if (this.#started) return; // one queue, one set of consumers
    this.#started = true;
    this.#host = host;
    await this.#options.start?.(host);
    const q = this.#config.sending_queue;
    if (!q.enabled) {
      this.#gauges();
      return;
    }
    let store: StorageClient | undefined;
    if (q.storage) {
      if (!this.#options.codec)
        throw new ExporterHelperError(
          'ERR_CONFIG',
          `exporter ${this.#settings.id} cannot persist its queue: sending_queue.storage is not supported by this exporter`,
        );
      store = await storageClient(host, q.storage, 'exporter', this.#settings.id);
    }
    this.#queue = new SendingQueue<R>({
      capacity: q.queue_size,
      blockOnOverflow: q.block_on_overflow,
      logger: this.#settings.logger,
      ...(store ? { store, ...(this.#options.codec ? { codec: this.#options.codec } : {}) } : {}),
    });
    const recovered = await this.#queue.recover();
    if (recovered > 0) this.#settings.logger.info(`Resuming ${recovered} records left in the persistent queue.`);
    this.#gauges();
    for (let i = 0; i < q.num_consumers; i++) this.#workers.push(this.#work());
  }

  async consume(batch: LogBatch): Promise<void> {
    if (this.#stopped) throw new RetryableError(`exporter ${this.#settings.id} is shut down`);
    if (batch.length === 0) return;
    // A persistent queue must hold the records before consume returns (the receiver checkpoints
    // then), so only the in-memory queue waits to fill batches.
    if (this.#options.mergeBatches && this.#queue && !this.#config.sending_queue.storage) {
      // A consumed batch (records and the alerts they triggered) stays in one request: what is
      // pending goes first when adding the batch would take it past a bound.
      if (this.#pending.length > 0 && this.#wouldOverflow(this.#pending.length + batch.length)) await this.#flushPending();
      for (const record of batch) this.#pending.push(record);
      if (this.#wouldOverflow(this.#pending.length + 1)) await this.#flushPending();
      else
        this.#flushTimer ??= setTimeout(
          () => void this.#flushPending().catch((err: unknown) => this.#settings.logger.error(`Flushing a batch failed: ${errorMessage(err)}`)),
          Math.min(this.#config.batch.flush_timeout, MAX_TIMER_MS),
        );
      return;
    }
    await this.#track(this.#enqueueOrSend(batch));
  }

  async #track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    try {
      return await work;
    } finally {
      this.#inFlight.delete(work);
    }
  }

  async #flushPending(): Promise<void> {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const records = this.#pending;
    this.#pending = [];
    if (records.length > 0) await this.#enqueueOrSend(records);
  }

  /** True when this many records would pass batch.max_size, or batch.max_bytes by the bytes per record seen so far. */
  #wouldOverflow(records: number): boolean {
    const { max_size: maxSize, max_bytes: maxBytes } = this.#config.batch;
    return records > maxSize || (maxBytes > 0 && records * this.#bytesPerRecord > maxBytes);
  }

  /** Records per request: max_size, or fewer where the bytes per record seen so far say max_bytes would be passed. */
  #chunkSize(): number {
    const { max_size: maxSize, max_bytes: maxBytes } = this.#config.batch;
    if (!this.#options.bytes || maxBytes === 0 || this.#bytesPerRecord === 0) return maxSize;
    return Math.max(1, Math.min(maxSize, Math.floor(maxBytes / this.#bytesPerRecord)));
  }

  async #enqueueOrSend(records: LogBatch): Promise<void> {
    const max = this.#chunkSize();
    // A persistent queue must hold the records before consume returns, and without a queue the
    // send is the caller's: only an in-memory queue lets encoding overlap the next batch.
    const overlap = this.#queue !== undefined && !this.#config.sending_queue.storage && !this.#options.encodeMany;
    for (let i = 0; i < records.length; i += max) {
      const chunk = i === 0 && records.length <= max ? records : records.slice(i, i + max);
      if (overlap) {
        await this.#encodeOverlapped(chunk);
        continue;
      }
      const encoded = await this.#encodeOrDrop(chunk);
      if (encoded) for (const request of encoded) await this.#enqueueOrSendOne(request);
    }
  }

  /** The requests for the records, or undefined when they cannot be encoded (counted, logged; thrown without a queue). */
  async #encodeOrDrop(chunk: LogBatch): Promise<R[] | undefined> {
    try {
      return this.#options.encodeMany ? await this.#options.encodeMany(chunk) : await this.#encodeBounded(chunk);
    } catch (err) {
      this.#settings.telemetry.add(SEND_FAILED, chunk.length);
      this.#settings.logger.error(`Dropped ${chunk.length} records that cannot be encoded: ${errorMessage(err)}`);
      if (!this.#queue) throw err;
      return undefined;
    }
  }

  /**
   * Starts encoding the chunk now (the synchronous part runs here, on the pipeline thread) and
   * returns once the previous chunk is queued: its compression ran on the thread pool while this
   * one was encoded. Requests are queued in order; at most one chunk is in flight beyond the queue.
   */
  async #encodeOverlapped(chunk: LogBatch): Promise<void> {
    const encoding = this.#encodeOrDrop(chunk);
    const previous = this.#encodeTail;
    const queued = (async () => {
      const encoded = await encoding;
      await previous;
      if (encoded) for (const request of encoded) await this.#enqueueOrSendOne(request);
    })();
    this.#encodeTail = queued.catch((err: unknown) => this.#settings.logger.error(`Queuing an encoded batch failed: ${errorMessage(err)}`));
    void this.#track(this.#encodeTail);
    await previous;
  }

  /** One request, or halves of it (recursively) while it is larger than batch.max_bytes. */
  async #encodeBounded(records: LogBatch): Promise<R[]> {
    const request = await this.#encodeOne(records);
    const bytesOf = this.#options.bytes;
    if (!bytesOf) return [request];
    const bytes = bytesOf(request);
    // An average over recent requests, so merging can stop short of max_bytes before encoding.
    const perRecord = bytes / records.length;
    this.#bytesPerRecord = this.#bytesPerRecord === 0 ? perRecord : this.#bytesPerRecord * 0.8 + perRecord * 0.2;
    const maxBytes = this.#config.batch.max_bytes;
    if (maxBytes === 0 || bytes <= maxBytes || records.length === 1) return [request];
    const half = Math.ceil(records.length / 2);
    return [...(await this.#encodeBounded(records.slice(0, half))), ...(await this.#encodeBounded(records.slice(half)))];
  }

  #encodeOne(records: LogBatch): R | Promise<R> {
    if (!this.#options.encode) throw new ExporterHelperError('ERR_EXPORTER_HELPER', `exporter ${this.#settings.id} supplies neither encode nor encodeMany`);
    return this.#options.encode(records);
  }

  async #enqueueOrSendOne(request: R): Promise<void> {
    const count = this.#options.records(request);
    if (!this.#queue) {
      const outcome = await this.#deliver(request, true);
      if (outcome === 'interrupted') {
        this.#settings.telemetry.add(SEND_FAILED, count);
        throw new RetryableError(`exporter ${this.#settings.id} shut down before ${count} records were delivered`);
      }
      return;
    }
    if (!(await this.#queue.put(request, count))) {
      this.#settings.telemetry.add(ENQUEUE_FAILED, count, 'Records dropped because the sending queue was full or shut down');
      this.#settings.logger.warn(
        this.#stopped
          ? `Shutting down: dropped ${count} records that were waiting for room in the sending queue.`
          : `The sending queue is full (${this.#config.sending_queue.queue_size} records); dropped ${count} records.`,
      );
    }
    this.#gauges();
  }

  async #work(): Promise<void> {
    const queue = this.#queue!;
    for (let item = await queue.take(); item; item = await queue.take()) {
      if (this.#abort.signal.aborted) {
        this.#leave(queue, item);
        continue;
      }
      try {
        await this.#workOn(queue, item);
      } catch (err) {
        // A bug or a storage fault must not kill the consumer (nor become an unhandled rejection).
        this.#settings.logger.error(`A queued batch of ${item.records} records could not be handled: ${errorMessage(err)}`);
      }
      this.#gauges();
    }
  }

  async #workOn(queue: SendingQueue<R>, item: QueueItem<R>): Promise<void> {
    const request = await queue.load(item);
    if (request === undefined) {
      this.#settings.telemetry.add(SEND_FAILED, item.records);
      return;
    }
    const outcome = await this.#deliver(request, false);
    if (outcome === 'interrupted') this.#leave(queue, item);
    else
      await queue
        .done(item)
        .catch((err: unknown) =>
          this.#settings.logger.error(`Could not delete a sent batch from the persistent queue (it may be sent again after a restart): ${errorMessage(err)}`),
        );
  }

  /** What shutdown could not send: kept on disk for the next run, or counted as lost. */
  #leave(queue: SendingQueue<R>, item: QueueItem<R>): void {
    queue.abandon(item);
    if (!this.#config.sending_queue.storage) this.#settings.telemetry.add(SEND_FAILED, item.records);
  }

  /** One attempt, bounded by `timeout` in total whatever the push does, and by shutdown. */
  async #attempt(request: R): Promise<PushResult | void> {
    const attempt = new AbortController();
    const timeout = this.#config.timeout;
    const onShutdown = (): void => attempt.abort(new RetryableError(`exporter ${this.#settings.id} is shutting down`));
    this.#abort.signal.addEventListener('abort', onShutdown, { once: true });
    let timer: NodeJS.Timeout | undefined;
    let grace: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      // A push that honours the signal settles at once, and may still report delivery (a 2xx
      // whose body was cut off); one that ignores it is given up on after a short grace.
      const fail = (): void => {
        grace = setTimeout(() => reject(attempt.signal.reason instanceof Error ? attempt.signal.reason : new RetryableError('aborted')), ABORT_GRACE_MS);
      };
      attempt.signal.addEventListener('abort', fail, { once: true });
      if (timeout > 0)
        timer = setTimeout(
          () => attempt.abort(new RetryableError(`no complete response within the ${formatDuration(timeout)} timeout`)),
          Math.min(timeout, MAX_TIMER_MS),
        );
    });
    try {
      return await Promise.race([this.#options.push(request, attempt.signal), deadline]);
    } finally {
      clearTimeout(timer);
      clearTimeout(grace);
      this.#abort.signal.removeEventListener('abort', onShutdown);
      if (!attempt.signal.aborted) attempt.abort(new RetryableError('attempt finished'));
    }
  }

  /** Sends with retries; 'sent', 'failed' (permanent or out of time) or 'interrupted' by shutdown. */
  async #deliver(request: R, throwOnFailure: boolean): Promise<Outcome> {
    const retry = this.#config.retry_on_failure;
    const records = this.#options.records(request);
    const started = Date.now();
    let step = retry.initial_interval;
    for (let attempt = 1; ; attempt++) {
      if (this.#abort.signal.aborted) return 'interrupted';
      let result: PushResult | void;
      try {
        result = await this.#attempt(request);
      } catch (err) {
        if (this.#abort.signal.aborted) return 'interrupted';
        this.#noteFailure(err);
        const retryable = isRetryable(err) && retry.enabled;
        const outOfTime = retry.max_elapsed_time > 0 && Date.now() - started >= retry.max_elapsed_time;
        if (!retryable || outOfTime) {
          this.#settings.telemetry.add(SEND_FAILED, records);
          this.#settings.logger.error(
            `Dropped ${records} records${outOfTime ? ` after retrying for ${formatDuration(Date.now() - started)}` : ''}: ${errorMessage(err)}`,
          );
          if (throwOnFailure) throw err;
          return 'failed';
        }
        const wait = this.#backoff(err, step, attempt);
        step = Math.min(retry.max_interval, step * 2);
        if (!(await abortableSleep(wait, this.#abort.signal))) return 'interrupted';
        continue;
      }
      this.#noteSuccess();
      this.#count(records, result);
      return 'sent';
    }
  }

  #backoff(err: unknown, step: number, attempt: number): number {
    const retry = this.#config.retry_on_failure;
    let hinted = err instanceof RetryableError ? err.retryAfterMs : undefined;
    if (hinted !== undefined && !(hinted <= retry.max_retry_after)) {
      this.#settings.logger.warn(
        `The backend asked to wait ${Number.isFinite(hinted) ? formatDuration(hinted) : String(hinted)} before retrying; waiting retry_on_failure.max_retry_after (${formatDuration(retry.max_retry_after)}) instead.`,
      );
      hinted = retry.max_retry_after;
    }
    const jittered = equalJitter(step);
    const wait = Math.max(hinted ?? 0, jittered);
    if (attempt === 1 || attempt % 10 === 0)
      this.#settings.logger.warn(`Export failed (attempt ${attempt}); retrying in ${formatDuration(wait)}: ${errorMessage(err)}`);
    return wait;
  }

  /** A 2xx is delivery: never an exception here, whatever the backend claims about rejections. */
  #count(records: number, result: PushResult | void): void {
    const claimed = Number(result?.rejected ?? 0);
    const rejected = Number.isFinite(claimed) ? Math.min(records, Math.max(0, Math.floor(claimed))) : 0;
    if (rejected > 0 || claimed !== rejected) {
      const note = claimed !== rejected ? ` (it claimed ${String(result?.rejected)} of a batch of ${records})` : '';
      this.#settings.telemetry.add(REJECTED, rejected, 'Records the backend rejected in a partial success');
      this.#settings.telemetry.add(SEND_FAILED, rejected);
      this.#settings.logger.warn(`The backend accepted the batch but rejected ${rejected} records${note}: ${result?.message ?? ''}`);
    }
    this.#settings.telemetry.add(SENT, records - rejected);
  }

  #noteFailure(err: unknown): void {
    if (err instanceof PermanentError) {
      // Retrying cannot fix it (a refused token, an index the token may not write): say so in
      // /health at once, with the backend's reason; the next delivered batch clears it.
      this.#unhealthy = true;
      this.#host?.reportStatus(this.#statusId, { status: 'permanent_error', reason: errorMessage(err), error: err });
      return;
    }
    const now = Date.now();
    this.#failingSince ??= now;
    const limit = this.#config.retry_on_failure.unhealthy_after;
    if (!this.#unhealthy && now - this.#failingSince >= limit) {
      this.#unhealthy = true;
      this.#host?.reportStatus(this.#statusId, {
        status: 'recoverable_error',
        reason: `every send has failed for ${formatDuration(now - this.#failingSince)}: ${errorMessage(err)}`,
        error: err,
      });
    }
  }

  #noteSuccess(): void {
    this.#failingSince = undefined;
    if (!this.#unhealthy) return;
    this.#unhealthy = false;
    this.#host?.reportStatus(this.#statusId, { status: 'ok' });
  }

  #gauges(): void {
    this.#settings.telemetry.set(QUEUE_SIZE, this.#queue?.size ?? 0, 'Records in the sending queue');
    this.#settings.telemetry.set(QUEUE_CAPACITY, this.#queue?.capacity ?? 0, 'Records the sending queue can hold');
  }

  /**
   * Sends what is queued for at most drain_timeout, whatever the backend does; then aborts the
   * in-flight requests and waits, and leaves the rest in the persistent queue (or counts it as
   * send_failed). Every timer it started is cleared before it returns.
   */
  async shutdown(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const drainTimeout = this.#config.sending_queue.drain_timeout;
    const deadline = setTimeout(
      () => {
        this.#abort.abort();
        this.#queue?.close();
      },
      Math.min(drainTimeout, MAX_TIMER_MS),
    );
    try {
      await this.#flushPending().catch((err: unknown) => this.#settings.logger.error(`Shutting down: could not queue the last records: ${errorMessage(err)}`));
      await this.#encodeTail;
      this.#queue?.close();
      await Promise.all([...this.#workers, ...[...this.#inFlight].map((p) => p.catch(() => undefined))]);
    } finally {
      clearTimeout(deadline);
    }
    if (this.#abort.signal.aborted) {
      this.#settings.logger.warn(
        this.#config.sending_queue.storage
          ? `Shutting down after the ${formatDuration(drainTimeout)} drain_timeout with records unsent; they stay in the persistent queue for the next start.`
          : `Shutting down after the ${formatDuration(drainTimeout)} drain_timeout with records unsent; they are lost (configure sending_queue.storage to keep them).`,
      );
    }
    this.#abort.abort();
    this.#gauges();
    await this.#options.shutdown?.();
  }
}
