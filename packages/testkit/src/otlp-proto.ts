import { createRequire } from 'node:module';

/**
 * Decodes an OTLP ExportLogsServiceRequest in protobuf with the official opentelemetry-proto
 * schema: the protobufjs module generated from those .proto files, as the OpenTelemetry JS
 * project shipped it (otlp-transformer 0.57.2, installed under an alias for tests only).
 * The result has the field names of the OTLP/JSON mapping (timeUnixNano as a decimal string).
 */
interface ProtoType {
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: Record<string, unknown>): Record<string, unknown>;
}

const require = createRequire(import.meta.url);
const root = require('otlp-proto-schema/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { logs: { v1: { ExportLogsServiceRequest: ProtoType } } } } };
};
const ExportLogsServiceRequest = root.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;

export function decodeOtlpLogsProto(bytes: Uint8Array): Record<string, unknown> {
  return ExportLogsServiceRequest.toObject(ExportLogsServiceRequest.decode(bytes), {
    longs: String,
    bytes: String,
    enums: Number,
    defaults: false,
    arrays: true,
  });
}
