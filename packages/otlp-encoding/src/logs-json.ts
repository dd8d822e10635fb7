import type { AnyValue, AnyValueMap, LogBatch, LogRecord } from '@oktel/core';
import { groupByResourceAndScope } from './group.js';
import { JsonWriter } from './json-writer.js';
import { hrTimeToNanoString } from './time.js';

// One writer per thread: batches are encoded one at a time, and the buffer it grew to is kept.
const shared = new JsonWriter();

/**
 * An OTLP/JSON ExportLogsServiceRequest as UTF-8 bytes, written straight from the records into a
 * reused buffer, without the intermediate object tree the OpenTelemetry JS JsonLogsSerializer
 * builds: the same keys in the same order, byte for byte its output (a differential test holds it
 * to that). `suffix` appends one byte (the file exporter's newline) without another copy.
 */
export function encodeLogsJsonBytes(batch: LogBatch, suffix?: number, w: JsonWriter = shared): Buffer {
  w.reset();
  w.raw('{"resourceLogs":[');
  let firstResource = true;
  for (const [resource, scopes] of groupByResourceAndScope(batch)) {
    if (!firstResource) w.raw(',');
    firstResource = false;
    const schemaUrl = resource.schemaUrl;
    w.raw('{"resource":{"attributes":');
    writeAttributes(w, resource.attributes);
    w.raw(',"droppedAttributesCount":0');
    if (schemaUrl) {
      w.raw(',"schemaUrl":');
      w.string(schemaUrl);
    }
    w.raw('},"scopeLogs":[');
    let firstScope = true;
    for (const records of scopes.values()) {
      if (!firstScope) w.raw(',');
      firstScope = false;
      writeScopeLogs(w, records);
    }
    w.raw(']');
    if (schemaUrl) {
      w.raw(',"schemaUrl":');
      w.string(schemaUrl);
    }
    w.raw('}');
  }
  w.raw(']}');
  return w.finish(suffix);
}

/** The same request as text. */
export function encodeLogsJson(batch: LogBatch): string {
  return encodeLogsJsonBytes(batch).toString('utf8');
}

function writeScopeLogs(w: JsonWriter, records: LogRecord[]): void {
  const scope = records[0]!.instrumentationScope as LogRecord['instrumentationScope'] & { attributes?: AnyValueMap; droppedAttributesCount?: number };
  w.raw('{"scope":{"name":');
  w.string(scope.name);
  if (scope.version !== undefined) {
    w.raw(',"version":');
    w.string(scope.version);
  }
  if (scope.attributes && Object.keys(scope.attributes).length > 0) {
    w.raw(',"attributes":');
    writeAttributes(w, scope.attributes);
    w.raw(',"droppedAttributesCount":');
    w.number(scope.droppedAttributesCount ?? 0);
  }
  w.raw('},"logRecords":[');
  for (let i = 0; i < records.length; i++) {
    if (i > 0) w.raw(',');
    writeLogRecord(w, records[i]!);
  }
  w.raw(']');
  const schemaUrl = scope.schemaUrl;
  if (schemaUrl !== undefined) {
    w.raw(',"schemaUrl":');
    w.string(schemaUrl);
  }
  w.raw('}');
}

function writeLogRecord(w: JsonWriter, record: LogRecord): void {
  w.raw('{"timeUnixNano":"');
  w.raw(hrTimeToNanoString(record.hrTime));
  w.raw('","observedTimeUnixNano":"');
  w.raw(hrTimeToNanoString(record.hrTimeObserved));
  w.raw('"');
  if (record.severityNumber !== undefined) {
    w.raw(',"severityNumber":');
    w.number(record.severityNumber);
  }
  if (record.severityText !== undefined) {
    w.raw(',"severityText":');
    w.string(record.severityText);
  }
  w.raw(',"body":');
  writeAnyValue(w, record.body);
  if (record.eventName !== undefined) {
    w.raw(',"eventName":');
    w.string(record.eventName);
  }
  w.raw(',"attributes":');
  writeAttributes(w, record.attributes);
  w.raw(',"droppedAttributesCount":');
  w.number(record.droppedAttributesCount);
  const span = record.spanContext;
  if (span?.traceFlags !== undefined) {
    w.raw(',"flags":');
    w.number(span.traceFlags);
  }
  if (span?.traceId !== undefined) {
    w.raw(',"traceId":');
    w.string(span.traceId);
  }
  if (span?.spanId !== undefined) {
    w.raw(',"spanId":');
    w.string(span.spanId);
  }
  w.raw('}');
}

function writeAttributes(w: JsonWriter, attributes: AnyValueMap): void {
  w.raw('[');
  writeKeyValues(w, attributes);
  w.raw(']');
}

function writeKeyValues(w: JsonWriter, map: AnyValueMap): void {
  let first = true;
  for (const key of Object.keys(map)) {
    w.raw(first ? '{"key":' : ',{"key":');
    first = false;
    w.string(key);
    w.raw(',"value":');
    writeAnyValue(w, map[key]);
    w.raw('}');
  }
}

function writeAnyValue(w: JsonWriter, value: AnyValue): void {
  switch (typeof value) {
    case 'string':
      w.raw('{"stringValue":');
      w.string(value);
      w.raw('}');
      return;
    case 'number':
      w.raw(Number.isInteger(value) ? '{"intValue":' : '{"doubleValue":');
      w.number(value);
      w.raw('}');
      return;
    case 'boolean':
      w.raw(value ? '{"boolValue":true}' : '{"boolValue":false}');
      return;
    case 'object':
      break;
    default:
      w.raw('{}');
      return;
  }
  if (value === null) {
    w.raw('{}');
    return;
  }
  if (value instanceof Uint8Array) {
    w.raw('{"bytesValue":"');
    w.raw(Buffer.from(value).toString('base64'));
    w.raw('"}');
    return;
  }
  if (Array.isArray(value)) {
    w.raw('{"arrayValue":{"values":[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) w.raw(',');
      writeAnyValue(w, value[i]);
    }
    w.raw(']}}');
    return;
  }
  w.raw('{"kvlistValue":{"values":[');
  writeKeyValues(w, value as AnyValueMap);
  w.raw(']}}');
}
