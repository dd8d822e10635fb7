import { Counters, errorMessage, isRetryable, OktelError, RetryableError, type ComponentSettings, type LogsConsumer } from '@oktel/core';
import type { OtlpLogsRequest } from './otlp-model.js';
import { toRecords } from './to-records.js';

/** What became of one export request, before it is phrased as HTTP or gRPC. */
export type IngestOutcome =
  | { readonly kind: 'accepted'; readonly rejected: number; readonly problem: string | undefined }
  | { readonly kind: 'push_back'; readonly throttle: boolean; readonly retryAfterMs: number | undefined; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string };

/**
 * Converts a decoded request and hands it to the pipeline, waiting for the pipeline to accept
 * it. Invalid records are counted and left out; the pipeline's refusal is classified as the
 * OTLP specification needs it: retryable (throttled or unavailable) or permanent.
 */
export async function ingest(request: OtlpLogsRequest, settings: ComponentSettings, next: LogsConsumer): Promise<IngestOutcome> {
  const { records, rejected, firstProblem } = toRecords(request, Date.now());
  if (rejected > 0) {
    settings.telemetry.add(Counters.receiverFailed, rejected, 'Records the receiver could not read (malformed input)');
    settings.logger.warn(`Rejected ${rejected} invalid OTLP log records: ${firstProblem}`);
  }
  if (records.length > 0) {
    try {
      await next.consume(records);
    } catch (err) {
      if (!isRetryable(err)) return { kind: 'refused', reason: `the pipeline refused the batch permanently: ${errorMessage(err)}` };
      const code = err instanceof OktelError ? err.code : '';
      return {
        kind: 'push_back',
        throttle: /QUEUE_FULL|RATE|THROTTL|LIMIT/i.test(code),
        retryAfterMs: err instanceof RetryableError ? err.retryAfterMs : undefined,
        reason: `the pipeline cannot take the batch now: ${errorMessage(err)}`,
      };
    }
  }
  return { kind: 'accepted', rejected, problem: firstProblem };
}
