import { z } from 'zod';
import { block, duration, extensionId, size } from '../config/schema.js';

/**
 * The config keys every queued exporter declares identically, as the Collector's exporterhelper
 * does: `timeout`, `sending_queue`, `retry_on_failure` (and `batch` for exporters that merge
 * small batches). Spread `exporterHelperShape()` into an exporter's strictObject; pass defaults
 * only where that exporter truly needs different ones (the file exporter writes with one
 * consumer so lines keep their order).
 */

export interface SendingQueueDefaults {
  enabled?: boolean;
  queue_size?: number;
  num_consumers?: number;
  block_on_overflow?: boolean;
  drain_timeout?: string;
}

export function sendingQueueConfig(defaults: SendingQueueDefaults = {}) {
  return block({
    enabled: z
      .boolean()
      .default(defaults.enabled ?? true)
      .describe('Queue batches and send them in the background; when false, consume waits for the send (with its retries).'),
    queue_size: z
      .number()
      .int()
      .min(1)
      .default(defaults.queue_size ?? 10_000)
      .describe('Records the queue holds at most (memory stays bounded by this). Exposed as the queue_capacity gauge; queue_size shows the current fill.'),
    num_consumers: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(defaults.num_consumers ?? 4)
      .describe('Batches sent concurrently.'),
    block_on_overflow: z
      .boolean()
      .default(defaults.block_on_overflow ?? true)
      .describe('When full, make the pipeline wait (the receiver slows down) instead of dropping; false drops and counts enqueue_failed.'),
    storage: extensionId()
      .optional()
      .describe(
        'Storage extension for a persistent queue: batches are written to disk before consume returns and deleted once sent, so they survive restarts and kill -9. A corrupt entry is moved aside (key corrupt-<key>) with a warning.',
      ),
    drain_timeout: duration()
      .prefault(defaults.drain_timeout ?? '30s')
      .describe(
        'At shutdown, the longest time spent sending what is queued, whatever the backend does; then in-flight requests are aborted and the rest stays in the persistent queue (or is counted as send_failed without one).',
      ),
  });
}

export function retryOnFailureConfig() {
  return block({
    enabled: z.boolean().default(true).describe('Retry retryable failures (429, 502, 503, 504, timeouts, network and I/O errors).'),
    initial_interval: duration().prefault('5s').describe('First wait; doubles with jitter, honouring Retry-After.'),
    max_interval: duration().prefault('30s').describe('Longest wait between attempts.'),
    max_elapsed_time: duration().prefault('0').describe('Give up on a batch after this long (0 = never: keep it until the backend is back).'),
    max_retry_after: duration().prefault('15m').describe('Longest Retry-After honoured; a server asking for more is logged and waited this long instead.'),
    unhealthy_after: duration()
      .prefault('1m')
      .describe('Report the exporter as recoverable_error (/health 503) once every send has failed for this long; ok again on the next success.'),
  });
}

export function timeoutConfig(defaultTimeout = '10s') {
  return duration()
    .prefault(defaultTimeout)
    .describe('Total deadline of one send attempt (connection, headers and body), after which it is aborted and retried.');
}

export function batchConfig() {
  return block({
    max_size: z
      .number()
      .int()
      .min(1)
      .default(2048)
      .describe(
        'Records per request at most; larger batches are split. The default holds a full receiver batch (Okta pages are at most 1 000 events) together with the alerts it triggered, so they travel in one request.',
      ),
    max_bytes: size()
      .prefault('4MiB')
      .describe(
        'Encoded bytes (before compression) per request at most, for otlp_http (the file exporter writes each consumed batch as one line whatever its size): merged batches are sent before they would pass it, and a request encoded larger is split in halves until it fits (a single record larger than this is still sent alone). 0 = no byte bound.',
      ),
    flush_timeout: duration()
      .prefault('1s')
      .describe(
        'Without a persistent queue, small batches are merged and sent after this long at most; a batch is sent before merging would take it past max_size or max_bytes, so each consumed batch stays in one request.',
      ),
  });
}

/** `timeout`, `sending_queue`, `retry_on_failure`, `batch`: spread into an exporter's config object. */
export function exporterHelperShape(defaults: { timeout?: string; sending_queue?: SendingQueueDefaults } = {}) {
  return {
    timeout: timeoutConfig(defaults.timeout),
    sending_queue: sendingQueueConfig(defaults.sending_queue),
    retry_on_failure: retryOnFailureConfig(),
    batch: batchConfig(),
  };
}

/** The helper keys alone, e.g. for wrapping an SDK exporter (`fromLogRecordExporter`). */
export const exporterHelperConfigSchema = z.strictObject(exporterHelperShape());
/** The parsed helper keys, as createQueuedExporter takes them. */
export type ExporterHelperConfig = z.output<typeof exporterHelperConfigSchema>;
