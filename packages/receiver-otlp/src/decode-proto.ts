import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
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
import { decodeError, WireReader, WireType as W } from './wire-reader.js';

/**
 * ExportLogsServiceRequest (opentelemetry-proto, collector/logs/v1/logs_service.proto) from
 * protobuf bytes. Field numbers are those of the published .proto files; unknown fields are
 * skipped, as protobuf requires, so newer senders still decode.
 */
export function decodeLogsRequestProto(bytes: Uint8Array): OtlpLogsRequest {
  const reader = new WireReader(bytes);
  const resourceLogs: OtlpResourceLogs[] = [];
  while (!reader.done) {
    const { field, wire } = reader.tag();
    if (field === 1) {
      reader.expect(wire, W.bytes, 'resource_logs');
      resourceLogs.push(resourceLogsOf(reader.message()));
    } else reader.skip(wire);
  }
  return { resourceLogs };
}

function resourceLogsOf(r: WireReader): OtlpResourceLogs {
  const out = emptyResourceLogs();
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === W.bytes) {
      const resource = r.message();
      while (!resource.done) {
        const t = resource.tag();
        if (t.field === 1 && t.wire === W.bytes) addKeyValue(out.attributes, resource.message(), 0);
        else if (t.field === 2 && t.wire === W.varint) out.droppedAttributesCount = resource.uint32();
        else resource.skip(t.wire);
      }
    } else if (field === 2 && wire === W.bytes) out.scopeLogs.push(scopeLogsOf(r.message()));
    else if (field === 3 && wire === W.bytes) out.schemaUrl = r.string();
    else r.skip(wire);
  }
  return out;
}

function scopeLogsOf(r: WireReader): OtlpScopeLogs {
  const out = emptyScopeLogs();
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === W.bytes) {
      const scope = r.message();
      while (!scope.done) {
        const t = scope.tag();
        if (t.field === 1 && t.wire === W.bytes) out.name = scope.string();
        else if (t.field === 2 && t.wire === W.bytes) out.version = scope.string();
        else if (t.field === 3 && t.wire === W.bytes) addKeyValue(out.attributes, scope.message(), 0);
        else scope.skip(t.wire);
      }
    } else if (field === 2 && wire === W.bytes) out.logRecords.push(logRecordOf(r.message()));
    else if (field === 3 && wire === W.bytes) out.schemaUrl = r.string();
    else r.skip(wire);
  }
  return out;
}

function logRecordOf(r: WireReader): OtlpLogRecord {
  const out = emptyLogRecord();
  while (!r.done) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1:
        r.expect(wire, W.fixed64, 'time_unix_nano');
        out.timeUnixNano = r.fixed64();
        break;
      case 11:
        r.expect(wire, W.fixed64, 'observed_time_unix_nano');
        out.observedTimeUnixNano = r.fixed64();
        break;
      case 2:
        r.expect(wire, W.varint, 'severity_number');
        out.severityNumber = r.int32();
        break;
      case 3:
        r.expect(wire, W.bytes, 'severity_text');
        out.severityText = r.string();
        break;
      case 5:
        r.expect(wire, W.bytes, 'body');
        out.body = anyValueOf(r.message(), 0);
        break;
      case 6:
        r.expect(wire, W.bytes, 'attributes');
        addKeyValue(out.attributes, r.message(), 0);
        break;
      case 7:
        r.expect(wire, W.varint, 'dropped_attributes_count');
        out.droppedAttributesCount = r.uint32();
        break;
      case 8:
        r.expect(wire, W.fixed32, 'flags');
        out.flags = r.fixed32();
        break;
      case 9:
        r.expect(wire, W.bytes, 'trace_id');
        out.traceId = r.bytesField();
        break;
      case 10:
        r.expect(wire, W.bytes, 'span_id');
        out.spanId = r.bytesField();
        break;
      case 12:
        r.expect(wire, W.bytes, 'event_name');
        out.eventName = r.string();
        break;
      default:
        r.skip(wire);
    }
  }
  return out;
}

/** Nesting deeper than this is refused: it protects the stack and every serializer downstream. */
export const MAX_VALUE_DEPTH = 64;

function addKeyValue(target: AnyValueMap, r: WireReader, depth: number): void {
  let key = '';
  let value: AnyValue;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === W.bytes) key = r.string();
    else if (field === 2 && wire === W.bytes) value = anyValueOf(r.message(), depth + 1);
    else r.skip(wire);
  }
  target[key] = value;
}

function anyValueOf(r: WireReader, depth: number): AnyValue {
  if (depth > MAX_VALUE_DEPTH) throw decodeError(`values nested deeper than ${MAX_VALUE_DEPTH} levels`);
  let value: AnyValue;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === W.bytes) value = r.string();
    else if (field === 2 && wire === W.varint) value = r.bool();
    else if (field === 3 && wire === W.varint) value = int64Value(r.int64());
    else if (field === 4 && wire === W.fixed64) value = r.double();
    else if (field === 5 && wire === W.bytes) {
      const list: AnyValue[] = [];
      const array = r.message();
      while (!array.done) {
        const t = array.tag();
        if (t.field === 1 && t.wire === W.bytes) list.push(anyValueOf(array.message(), depth + 1));
        else array.skip(t.wire);
      }
      value = list;
    } else if (field === 6 && wire === W.bytes) {
      const map: AnyValueMap = {};
      const kvlist = r.message();
      while (!kvlist.done) {
        const t = kvlist.tag();
        if (t.field === 1 && t.wire === W.bytes) addKeyValue(map, kvlist.message(), depth + 1);
        else kvlist.skip(t.wire);
      }
      value = map;
    } else if (field === 7 && wire === W.bytes) value = new Uint8Array(r.bytesField());
    else r.skip(wire);
  }
  return value;
}
