import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';

/**
 * An ExportLogsServiceRequest after decoding, the same for protobuf and JSON, before it
 * becomes pipeline records. Times stay as nanosecond bigints so nothing is rounded on the way.
 */
export interface OtlpLogsRequest {
  readonly resourceLogs: OtlpResourceLogs[];
}

export interface OtlpResourceLogs {
  attributes: AnyValueMap;
  droppedAttributesCount: number;
  schemaUrl: string;
  scopeLogs: OtlpScopeLogs[];
}

export interface OtlpScopeLogs {
  name: string;
  version: string;
  attributes: AnyValueMap;
  schemaUrl: string;
  logRecords: OtlpLogRecord[];
}

export interface OtlpLogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  body: AnyValue | undefined;
  attributes: AnyValueMap;
  droppedAttributesCount: number;
  flags: number;
  traceId: Uint8Array;
  spanId: Uint8Array;
  eventName: string;
  /** Why this record cannot be accepted (a malformed trace id, a bad value); the rest of the request still can. */
  invalid?: string;
}

export function emptyResourceLogs(): OtlpResourceLogs {
  return { attributes: {}, droppedAttributesCount: 0, schemaUrl: '', scopeLogs: [] };
}

export function emptyScopeLogs(): OtlpScopeLogs {
  return { name: '', version: '', attributes: {}, schemaUrl: '', logRecords: [] };
}

export function emptyLogRecord(): OtlpLogRecord {
  return {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body: undefined,
    attributes: {},
    droppedAttributesCount: 0,
    flags: 0,
    traceId: new Uint8Array(0),
    spanId: new Uint8Array(0),
    eventName: '',
  };
}

/** int64 values become numbers when they fit exactly, else their decimal string: never a silent rounding. */
export function int64Value(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}
