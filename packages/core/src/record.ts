import type { HrTime } from '@opentelemetry/api';
import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';

/**
 * The unit that flows through a pipeline. It is the OpenTelemetry JS SDK's ReadableLogRecord,
 * so any LogRecordExporter from that ecosystem accepts it unchanged.
 *
 * Records are immutable once emitted: a processor that changes one builds a new object
 * (see withAttributes), so fan-out can hand the same batch to several consumers.
 */
export type LogRecord = ReadableLogRecord;
export type LogBatch = readonly LogRecord[];
export type { AnyValue, AnyValueMap, HrTime };

export function hrTimeFromMillis(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

export function millisFromHrTime(t: HrTime): number {
  return t[0] * 1000 + t[1] / 1e6;
}

/** A copy of the record with extra attributes; the original is left untouched. */
export function withAttributes(record: LogRecord, attributes: AnyValueMap): LogRecord {
  return { ...record, attributes: { ...record.attributes, ...attributes } };
}
