import type { HrTime } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { LogRecord } from '@oktel/core';
import type { OtlpLogRecord, OtlpLogsRequest } from './otlp-model.js';

export interface ConvertedRequest {
  readonly records: LogRecord[];
  /** Records refused one by one; reported back as partial success. */
  readonly rejected: number;
  /** The first reason a record was refused, for the partial-success error_message. */
  readonly firstProblem: string | undefined;
}

/**
 * Pipeline records from a decoded request. Every record of one ResourceLogs shares one
 * Resource object (exporters group by its identity, so the resource is not repeated per
 * record on the way out). Scope attributes have no place in the JS SDK's scope type and are
 * not carried; everything else of the OTLP LogRecord is.
 */
export function toRecords(request: OtlpLogsRequest, receivedAtMs: number): ConvertedRequest {
  const records: LogRecord[] = [];
  let rejected = 0;
  let firstProblem: string | undefined;
  const observedNow = hrTimeOfMillis(receivedAtMs);
  for (const rl of request.resourceLogs) {
    const resource = resourceFromAttributes(rl.attributes as Record<string, never>, rl.schemaUrl ? { schemaUrl: rl.schemaUrl } : undefined);
    for (const sl of rl.scopeLogs) {
      const scope = { name: sl.name, ...(sl.version ? { version: sl.version } : {}), ...(sl.schemaUrl ? { schemaUrl: sl.schemaUrl } : {}) };
      for (const r of sl.logRecords) {
        const problem = problemOf(r);
        if (problem) {
          rejected++;
          firstProblem ??= problem;
          continue;
        }
        records.push({
          hrTime: hrTimeOfNanos(r.timeUnixNano),
          // The spec asks a receiver to set the observed time of records that lack one.
          hrTimeObserved: r.observedTimeUnixNano === 0n ? observedNow : hrTimeOfNanos(r.observedTimeUnixNano),
          ...(r.traceId.length > 0 ? { spanContext: { traceId: hex(r.traceId), spanId: hex(r.spanId), traceFlags: r.flags & 0xff } } : {}),
          severityNumber: r.severityNumber === 0 ? undefined : r.severityNumber,
          severityText: r.severityText === '' ? undefined : r.severityText,
          body: r.body,
          ...(r.eventName ? { eventName: r.eventName } : {}),
          attributes: r.attributes,
          resource,
          instrumentationScope: scope,
          droppedAttributesCount: r.droppedAttributesCount,
        });
      }
    }
  }
  return { records, rejected, firstProblem };
}

function problemOf(r: OtlpLogRecord): string | undefined {
  if (r.invalid) return r.invalid;
  if (r.traceId.length !== 0 && r.traceId.length !== 16) return `trace_id has ${r.traceId.length} bytes, expected 16`;
  if (r.spanId.length !== 0 && r.spanId.length !== 8) return `span_id has ${r.spanId.length} bytes, expected 8`;
  if (r.spanId.length > 0 && r.traceId.length === 0) return 'span_id without trace_id';
  if (r.severityNumber < 0 || r.severityNumber > 24) return `severity_number ${r.severityNumber} is outside 0..24`;
  return undefined;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function hrTimeOfNanos(ns: bigint): HrTime {
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
}

function hrTimeOfMillis(ms: number): HrTime {
  return hrTimeOfNanos(BigInt(Math.round(ms * 1e6)));
}
