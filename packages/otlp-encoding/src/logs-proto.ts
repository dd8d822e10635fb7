import type { AnyValue, AnyValueMap, LogBatch, LogRecord } from '@oktel/core';
import { groupByResourceAndScope } from './group.js';
import { ProtoWriter } from './proto-writer.js';
import { hrTimeToFixed64 } from './time.js';

// Wire types.
const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const FIXED32 = 5;

const INT64_MIN = -(2 ** 63);
const INT64_MAX_EXCLUSIVE = 2 ** 63;

// One writer per thread: batches are encoded one at a time, and the buffer it grew to is kept.
const shared = new ProtoWriter();

/**
 * An OTLP ExportLogsServiceRequest in protobuf, written in one pass straight from the records.
 * Field for field, and byte for byte, what the OpenTelemetry JS ProtobufLogsSerializer writes
 * (a differential test holds it to that).
 */
export function encodeLogsProto(batch: LogBatch, writer: ProtoWriter = shared): Buffer {
  writer.reset();
  for (const [resource, scopes] of groupByResourceAndScope(batch)) {
    writer.tag(1, LEN);
    const resourceLogs = writer.begin();
    writer.tag(1, LEN);
    const res = writer.begin();
    writeAttributes(writer, resource.attributes, 1);
    writer.tag(2, VARINT);
    writer.uint32(0);
    writer.end(res);
    for (const records of scopes.values()) writeScopeLogs(writer, records);
    if (resource.schemaUrl) {
      writer.tag(3, LEN);
      writer.string(resource.schemaUrl);
    }
    writer.end(resourceLogs);
  }
  return writer.finish();
}

function writeScopeLogs(writer: ProtoWriter, records: LogRecord[]): void {
  const scope = records[0]!.instrumentationScope as LogRecord['instrumentationScope'] & { attributes?: AnyValueMap; droppedAttributesCount?: number };
  writer.tag(2, LEN);
  const scopeLogs = writer.begin();
  writer.tag(1, LEN);
  const scopeStart = writer.begin();
  writer.tag(1, LEN);
  writer.string(scope.name);
  if (scope.version) {
    writer.tag(2, LEN);
    writer.string(scope.version);
  }
  if (scope.attributes) writeAttributes(writer, scope.attributes, 3);
  if (scope.droppedAttributesCount) {
    writer.tag(4, VARINT);
    writer.uint32(scope.droppedAttributesCount);
  }
  writer.end(scopeStart);
  for (const record of records) {
    writer.tag(2, LEN);
    writeLogRecord(writer, record);
  }
  if (scope.schemaUrl) {
    writer.tag(3, LEN);
    writer.string(scope.schemaUrl);
  }
  writer.end(scopeLogs);
}

function writeLogRecord(writer: ProtoWriter, record: LogRecord): void {
  const start = writer.begin();
  writer.tag(1, FIXED64);
  const [timeLow, timeHigh] = hrTimeToFixed64(record.hrTime);
  writer.fixed64(timeLow, timeHigh);
  if (record.severityNumber !== undefined && record.severityNumber !== 0) {
    writer.tag(2, VARINT);
    writer.int64(record.severityNumber);
  }
  if (record.severityText) {
    writer.tag(3, LEN);
    writer.string(record.severityText);
  }
  if (record.body !== undefined) {
    writer.tag(5, LEN);
    const body = writer.begin();
    writeAnyValue(writer, record.body);
    writer.end(body);
  }
  if (record.attributes) writeAttributes(writer, record.attributes, 6);
  writer.tag(7, VARINT);
  writer.uint32(record.droppedAttributesCount);
  const span = record.spanContext;
  if (span?.traceFlags) {
    writer.tag(8, FIXED32);
    writer.fixed32(span.traceFlags);
  }
  if (span?.traceId) {
    writer.tag(9, LEN);
    writer.bytes(hexToBytes(span.traceId));
  }
  if (span?.spanId) {
    writer.tag(10, LEN);
    writer.bytes(hexToBytes(span.spanId));
  }
  writer.tag(11, FIXED64);
  const [observedLow, observedHigh] = hrTimeToFixed64(record.hrTimeObserved);
  writer.fixed64(observedLow, observedHigh);
  if (record.eventName) {
    writer.tag(12, LEN);
    writer.string(record.eventName);
  }
  writer.end(start);
}

function writeAttributes(writer: ProtoWriter, attributes: AnyValueMap, field: number): void {
  // Object.keys: the own keys in for-in's order, ~4 % faster than for-in with hasOwnProperty.
  const keys = Object.keys(attributes);
  const tag = (field << 3) | LEN;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    writer.uint32(tag);
    writeKeyValue(writer, key, attributes[key]);
  }
}

function writeKeyValue(writer: ProtoWriter, key: string, value: AnyValue): void {
  const start = writer.begin();
  writer.tag(1, LEN);
  writer.string(key);
  writer.tag(2, LEN);
  const valueStart = writer.begin();
  writeAnyValue(writer, value);
  writer.end(valueStart);
  writer.end(start);
}

function writeAnyValue(writer: ProtoWriter, value: AnyValue): void {
  switch (typeof value) {
    case 'string':
      writer.tag(1, LEN);
      writer.string(value);
      return;
    case 'boolean':
      writer.tag(2, VARINT);
      writer.uint32(value ? 1 : 0);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= INT64_MIN && value < INT64_MAX_EXCLUSIVE) {
        writer.tag(3, VARINT);
        writer.int64(value);
      } else {
        writer.tag(4, FIXED64);
        writer.double(value);
      }
      return;
    case 'object':
      break;
    default:
      return;
  }
  if (value === null) return;
  if (value instanceof Uint8Array) {
    writer.tag(7, LEN);
    writer.bytes(value);
    return;
  }
  if (Array.isArray(value)) {
    writer.tag(5, LEN);
    const array = writer.begin();
    for (const item of value) {
      writer.tag(1, LEN);
      const itemStart = writer.begin();
      writeAnyValue(writer, item);
      writer.end(itemStart);
    }
    writer.end(array);
    return;
  }
  writer.tag(6, LEN);
  const list = writer.begin();
  writeAttributes(writer, value as AnyValueMap, 1);
  writer.end(list);
}

function hexToBytes(hex: string): Buffer {
  return Buffer.from(hex, 'hex');
}
