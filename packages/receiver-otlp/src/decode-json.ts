import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { PermanentError } from '@oktel/core';
import { MAX_VALUE_DEPTH } from './decode-proto.js';
import {
  emptyLogRecord,
  emptyResourceLogs,
  emptyScopeLogs,
  int64Value,
  type OtlpLogRecord,
  type OtlpLogsRequest,
  type OtlpResourceLogs,
  type OtlpScopeLogs,
} from './otlp-model.js';

/**
 * ExportLogsServiceRequest from OTLP/JSON (the protobuf JSON mapping with the OTLP rules:
 * lowerCamelCase keys, trace and span ids as hex, int64 as a string or a number, bytes as base64).
 * A request that is not JSON or not shaped like the message is refused whole (400); a single
 * record with a malformed field is marked invalid and rejected alone (partial success).
 */
export function decodeLogsRequestJson(text: string): OtlpLogsRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new PermanentError(`undecodable OTLP/JSON: ${(err as Error).message}`, { code: 'ERR_OTLP_DECODE' });
  }
  if (!isObject(parsed)) throw new PermanentError('undecodable OTLP/JSON: the request is not a JSON object', { code: 'ERR_OTLP_DECODE' });
  return { resourceLogs: listOf(parsed.resourceLogs, 'resourceLogs').map(resourceLogsOf) };
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listOf(value: unknown, what: string): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every(isObject))
    throw new PermanentError(`undecodable OTLP/JSON: ${what} is not a list of objects`, { code: 'ERR_OTLP_DECODE' });
  return value;
}

function resourceLogsOf(json: Json): OtlpResourceLogs {
  const out = emptyResourceLogs();
  const resource = isObject(json.resource) ? json.resource : {};
  out.attributes = attributesOf(resource.attributes, 0);
  out.droppedAttributesCount = Number(resource.droppedAttributesCount ?? 0);
  out.schemaUrl = typeof json.schemaUrl === 'string' ? json.schemaUrl : '';
  out.scopeLogs = listOf(json.scopeLogs, 'scopeLogs').map(scopeLogsOf);
  return out;
}

function scopeLogsOf(json: Json): OtlpScopeLogs {
  const out = emptyScopeLogs();
  const scope = isObject(json.scope) ? json.scope : {};
  out.name = typeof scope.name === 'string' ? scope.name : '';
  out.version = typeof scope.version === 'string' ? scope.version : '';
  out.attributes = attributesOf(scope.attributes, 0);
  out.schemaUrl = typeof json.schemaUrl === 'string' ? json.schemaUrl : '';
  out.logRecords = listOf(json.logRecords, 'logRecords').map(logRecordOf);
  return out;
}

class InvalidField extends Error {}

function logRecordOf(json: Json): OtlpLogRecord {
  const out = emptyLogRecord();
  try {
    out.timeUnixNano = uint64Of(json.timeUnixNano, 'timeUnixNano');
    out.observedTimeUnixNano = uint64Of(json.observedTimeUnixNano, 'observedTimeUnixNano');
    out.severityNumber = Number(json.severityNumber ?? 0);
    if (!Number.isInteger(out.severityNumber)) throw new InvalidField(`severityNumber ${JSON.stringify(json.severityNumber)} is not an integer`);
    out.severityText = typeof json.severityText === 'string' ? json.severityText : '';
    out.body = json.body === undefined || json.body === null ? undefined : anyValueOf(json.body, 0);
    out.attributes = attributesOf(json.attributes, 0);
    out.droppedAttributesCount = Number(json.droppedAttributesCount ?? 0);
    out.flags = Number(json.flags ?? 0);
    out.traceId = hexOf(json.traceId, 'traceId');
    out.spanId = hexOf(json.spanId, 'spanId');
    out.eventName = typeof json.eventName === 'string' ? json.eventName : '';
  } catch (err) {
    if (!(err instanceof InvalidField)) throw err;
    out.invalid = err.message;
  }
  return out;
}

function uint64Of(value: unknown, field: string): bigint {
  if (value === undefined || value === null) return 0n;
  // Long-bits objects, as some JS encoders wrote them before the OTLP/JSON rules settled.
  if (isObject(value) && typeof value.low === 'number' && typeof value.high === 'number') return (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  if ((typeof value === 'string' && /^\d{1,20}$/.test(value)) || (typeof value === 'number' && Number.isInteger(value) && value >= 0)) return BigInt(value);
  throw new InvalidField(`${field} ${JSON.stringify(value)} is not an unsigned 64-bit integer`);
}

function hexOf(value: unknown, field: string): Uint8Array {
  if (value === undefined || value === null || value === '') return new Uint8Array(0);
  if (typeof value !== 'string' || !/^(?:[0-9a-fA-F]{2})+$/.test(value)) throw new InvalidField(`${field} ${JSON.stringify(value)} is not hex`);
  return new Uint8Array(Buffer.from(value, 'hex'));
}

function attributesOf(value: unknown, depth: number): AnyValueMap {
  const out: AnyValueMap = {};
  if (value === undefined || value === null) return out;
  if (!Array.isArray(value)) throw new InvalidField('attributes is not a list');
  for (const kv of value) {
    if (!isObject(kv) || typeof kv.key !== 'string') throw new InvalidField('an attribute has no string key');
    out[kv.key] = kv.value === undefined || kv.value === null ? undefined : anyValueOf(kv.value, depth + 1);
  }
  return out;
}

function anyValueOf(value: unknown, depth: number): AnyValue {
  if (depth > MAX_VALUE_DEPTH) throw new InvalidField(`values nested deeper than ${MAX_VALUE_DEPTH} levels`);
  if (!isObject(value)) throw new InvalidField(`${JSON.stringify(value)} is not an AnyValue object`);
  if ('stringValue' in value) return String(value.stringValue);
  if ('boolValue' in value) return value.boolValue === true;
  if ('intValue' in value) {
    const v = value.intValue;
    if ((typeof v === 'string' && /^-?\d{1,19}$/.test(v)) || (typeof v === 'number' && Number.isInteger(v))) return int64Value(BigInt(v));
    throw new InvalidField(`intValue ${JSON.stringify(v)} is not an integer`);
  }
  if ('doubleValue' in value) {
    const v = value.doubleValue;
    if (typeof v === 'number') return v;
    if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
    throw new InvalidField(`doubleValue ${JSON.stringify(v)} is not a number`);
  }
  if ('arrayValue' in value) {
    const values = isObject(value.arrayValue) ? value.arrayValue.values : undefined;
    if (values === undefined) return [];
    if (!Array.isArray(values)) throw new InvalidField('arrayValue.values is not a list');
    return values.map((v) => anyValueOf(v, depth + 1));
  }
  if ('kvlistValue' in value) return attributesOf(isObject(value.kvlistValue) ? value.kvlistValue.values : undefined, depth + 1);
  if ('bytesValue' in value) {
    if (typeof value.bytesValue !== 'string') throw new InvalidField('bytesValue is not base64');
    return new Uint8Array(Buffer.from(value.bytesValue, 'base64'));
  }
  return undefined;
}
