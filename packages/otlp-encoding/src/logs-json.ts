import type { AnyValue, AnyValueMap, LogBatch, LogRecord } from '@oktel/core';
import { groupByResourceAndScope } from './group.js';
import { hrTimeToNanoString } from './time.js';

const str = JSON.stringify as (value: string) => string;

/**
 * An OTLP/JSON ExportLogsServiceRequest written as text straight from the records, without the
 * intermediate object tree the OpenTelemetry JS JsonLogsSerializer builds: the same keys in the
 * same order, byte for byte its output (a differential test holds it to that).
 */
export function encodeLogsJson(batch: LogBatch): string {
  const parts: string[] = [];
  for (const [resource, scopes] of groupByResourceAndScope(batch)) {
    const scopeParts: string[] = [];
    for (const records of scopes.values()) scopeParts.push(scopeLogsJson(records));
    let res = `{"attributes":${attributesJson(resource.attributes)},"droppedAttributesCount":0`;
    const schemaUrl = resource.schemaUrl;
    if (schemaUrl) res += `,"schemaUrl":${str(schemaUrl)}`;
    res += '}';
    parts.push(`{"resource":${res},"scopeLogs":[${scopeParts.join(',')}]${schemaUrl ? `,"schemaUrl":${str(schemaUrl)}` : ''}}`);
  }
  return `{"resourceLogs":[${parts.join(',')}]}`;
}

function scopeLogsJson(records: LogRecord[]): string {
  const scope = records[0]!.instrumentationScope as LogRecord['instrumentationScope'] & { attributes?: AnyValueMap; droppedAttributesCount?: number };
  let scopeJson = `{"name":${str(scope.name)}`;
  if (scope.version !== undefined) scopeJson += `,"version":${str(scope.version)}`;
  if (scope.attributes && Object.keys(scope.attributes).length > 0) {
    scopeJson += `,"attributes":${attributesJson(scope.attributes)},"droppedAttributesCount":${numberJson(scope.droppedAttributesCount ?? 0)}`;
  }
  scopeJson += '}';
  const logParts = new Array<string>(records.length);
  for (let i = 0; i < records.length; i++) logParts[i] = logRecordJson(records[i]!);
  const schemaUrl = scope.schemaUrl;
  return `{"scope":${scopeJson},"logRecords":[${logParts.join(',')}]${schemaUrl !== undefined ? `,"schemaUrl":${str(schemaUrl)}` : ''}}`;
}

function logRecordJson(record: LogRecord): string {
  let out = `{"timeUnixNano":"${hrTimeToNanoString(record.hrTime)}","observedTimeUnixNano":"${hrTimeToNanoString(record.hrTimeObserved)}"`;
  if (record.severityNumber !== undefined) out += `,"severityNumber":${numberJson(record.severityNumber)}`;
  if (record.severityText !== undefined) out += `,"severityText":${str(record.severityText)}`;
  out += `,"body":${anyValueJson(record.body)}`;
  if (record.eventName !== undefined) out += `,"eventName":${str(record.eventName)}`;
  out += `,"attributes":${attributesJson(record.attributes)},"droppedAttributesCount":${numberJson(record.droppedAttributesCount)}`;
  const span = record.spanContext;
  if (span?.traceFlags !== undefined) out += `,"flags":${numberJson(span.traceFlags)}`;
  if (span?.traceId !== undefined) out += `,"traceId":${str(span.traceId)}`;
  if (span?.spanId !== undefined) out += `,"spanId":${str(span.spanId)}`;
  return `${out}}`;
}

function attributesJson(attributes: AnyValueMap): string {
  const keys = Object.keys(attributes);
  const parts = new Array<string>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    parts[i] = `{"key":${quote(key)},"value":${anyValueJson(attributes[key])}}`;
  }
  return `[${parts.join(',')}]`;
}

function anyValueJson(value: AnyValue): string {
  switch (typeof value) {
    case 'string':
      return `{"stringValue":${quote(value)}}`;
    case 'number':
      return Number.isInteger(value) ? `{"intValue":${numberJson(value)}}` : `{"doubleValue":${numberJson(value)}}`;
    case 'boolean':
      return value ? '{"boolValue":true}' : '{"boolValue":false}';
    case 'object':
      break;
    default:
      return '{}';
  }
  if (value === null) return '{}';
  if (value instanceof Uint8Array) return `{"bytesValue":"${Buffer.from(value).toString('base64')}"}`;
  if (Array.isArray(value)) {
    const parts = new Array<string>(value.length);
    for (let i = 0; i < value.length; i++) parts[i] = anyValueJson(value[i]);
    return `{"arrayValue":{"values":[${parts.join(',')}]}}`;
  }
  const map = value as AnyValueMap;
  const keys = Object.keys(map);
  const parts = new Array<string>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    parts[i] = `{"key":${quote(key)},"value":${anyValueJson(map[key])}}`;
  }
  return `{"kvlistValue":{"values":[${parts.join(',')}]}}`;
}

// Most strings in an Okta event need no escaping: checking that with one regex and adding the
// quotes is cheaper than JSON.stringify's call for each of them.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(value: string): string {
  return NEEDS_ESCAPE.test(value) ? str(value) : `"${value}"`;
}

/** JSON's rendering of a number: non-finite values become null, as JSON.stringify does. */
function numberJson(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}
