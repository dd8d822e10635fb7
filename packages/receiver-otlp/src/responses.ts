/**
 * What the receiver answers, in the encoding of the request, as the OTLP/HTTP specification
 * says: an ExportLogsServiceResponse on success (with partial_success when records were
 * rejected), a google.rpc.Status on failure.
 */
export type Encoding = 'proto' | 'json';

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const CONTENT_TYPE: Record<Encoding, string> = { proto: 'application/x-protobuf', json: 'application/json' };

export function successAnswer(encoding: Encoding, rejected: number, errorMessage: string | undefined): Answer {
  if (encoding === 'json') {
    const body = rejected > 0 ? { partialSuccess: { rejectedLogRecords: String(rejected), errorMessage: errorMessage ?? '' } } : {};
    return { status: 200, headers: { 'content-type': CONTENT_TYPE.json }, body: Buffer.from(JSON.stringify(body)) };
  }
  const partial = rejected > 0 ? message(1, Buffer.concat([varintField(1, BigInt(rejected)), stringField(2, errorMessage ?? '')])) : Buffer.alloc(0);
  return { status: 200, headers: { 'content-type': CONTENT_TYPE.proto }, body: partial };
}

/** gRPC status codes used in the Status body, matching the HTTP status. */
const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 405: 12, 413: 8, 415: 3, 429: 8, 500: 13, 503: 14 };

export function errorAnswer(encoding: Encoding, status: number, text: string, headers: Record<string, string> = {}): Answer {
  const code = GRPC_CODE[status] ?? 2;
  const body = encoding === 'json' ? Buffer.from(JSON.stringify({ code, message: text })) : Buffer.concat([varintField(1, BigInt(code)), stringField(2, text)]);
  return { status, headers: { 'content-type': CONTENT_TYPE[encoding], ...headers }, body };
}

export function varint(value: bigint): Buffer {
  const bytes: number[] = [];
  let v = BigInt.asUintN(64, value);
  while (v >= 0x80n) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Buffer.from(bytes);
}

export function varintField(field: number, value: bigint): Buffer {
  return Buffer.concat([varint(BigInt(field << 3)), varint(value)]);
}

export function stringField(field: number, value: string): Buffer {
  return message(field, Buffer.from(value, 'utf8'));
}

export function message(field: number, body: Buffer): Buffer {
  return Buffer.concat([varint(BigInt((field << 3) | 2)), varint(BigInt(body.length)), body]);
}
