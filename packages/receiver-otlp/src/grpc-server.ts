import { readFile } from 'node:fs/promises';
import { constants, createSecureServer, createServer, type Http2Server, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { OktelError } from '@oktel/core';
import { constantTimeEqual } from './constant-time.js';
import type { HttpServerConfig } from './http-config.js';
import { splitEndpoint } from './http-server.js';
import { message, stringField, varintField } from './responses.js';

/** gRPC status codes (grpc/doc/statuscodes.md). */
export const GrpcStatus = { OK: 0, INVALID_ARGUMENT: 3, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, UNAUTHENTICATED: 16 } as const;

export interface GrpcReply {
  readonly status: number;
  readonly message?: string;
  /** The response message on OK. */
  readonly body?: Buffer;
  /** Attach google.rpc.RetryInfo with this delay: the OTLP spec's throttling signal. */
  readonly retryAfterMs?: number;
}

export type GrpcHandler = (method: string, message: Buffer, headers: IncomingHttpHeaders) => Promise<GrpcReply>;

/**
 * A unary-only gRPC server on node:http2: enough for OTLP's Export calls without a gRPC
 * runtime. Each call is one length-prefixed message in, one out, status in the trailers.
 */
export class GrpcListener {
  #server: Http2Server | undefined;
  readonly #sessions = new Set<Http2Session>();

  constructor(readonly config: HttpServerConfig) {}

  async listen(handler: GrpcHandler): Promise<void> {
    const { host, port } = splitEndpoint(this.config.endpoint);
    const server: Http2Server = this.config.tls
      ? (createSecureServer({
          cert: await readFile(this.config.tls.cert_file),
          key: await readFile(this.config.tls.key_file),
          allowHTTP1: false,
        }) as unknown as Http2Server)
      : createServer();
    server.on('session', (session: Http2Session) => {
      this.#sessions.add(session);
      session.on('close', () => this.#sessions.delete(session));
    });
    server.on('stream', (stream, headers) => void this.#call(stream, headers, handler));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new OktelError('ERR_LISTEN', `cannot listen on ${this.config.endpoint}: ${err.code ?? err.message}`, { cause: err })),
      );
      server.listen(port, host, () => resolve());
    });
    this.#server = server;
  }

  get port(): number {
    return (this.#server?.address() as AddressInfo | null)?.port ?? 0;
  }

  get address(): string {
    return `${splitEndpoint(this.config.endpoint).host}:${this.port}`;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // GOAWAY to every client: calls in flight finish, new ones go elsewhere (or wait for a restart).
    for (const session of this.#sessions) session.close();
    await closed;
  }

  async #call(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, handler: GrpcHandler): Promise<void> {
    const reply = (r: GrpcReply): void => sendReply(stream, r);
    try {
      if (headers[':method'] !== 'POST' || !String(headers['content-type'] ?? '').startsWith('application/grpc')) {
        return reply({ status: GrpcStatus.UNIMPLEMENTED, message: 'not a gRPC call' });
      }
      if (!isAuthorizedGrpc(headers, this.config.auth)) return reply({ status: GrpcStatus.UNAUTHENTICATED, message: 'missing or wrong credentials' });
      const limit = this.config.max_request_body_size;
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > limit + 5) return reply({ status: GrpcStatus.RESOURCE_EXHAUSTED, message: `message larger than max_request_body_size (${limit} bytes)` });
        chunks.push(chunk);
      }
      const frame = Buffer.concat(chunks);
      if (frame.length < 5) return reply({ status: GrpcStatus.INVALID_ARGUMENT, message: 'missing gRPC message frame' });
      const compressed = frame[0] === 1;
      const length = frame.readUInt32BE(1);
      if (frame.length !== 5 + length)
        return reply({ status: GrpcStatus.INVALID_ARGUMENT, message: 'gRPC frame length does not match (one unary message expected)' });
      let body = frame.subarray(5);
      if (compressed) {
        const encoding = String(headers['grpc-encoding'] ?? 'identity');
        if (encoding !== 'gzip') return reply({ status: GrpcStatus.UNIMPLEMENTED, message: `unsupported grpc-encoding ${encoding}` });
        try {
          body = gunzipSync(body, { maxOutputLength: limit });
        } catch (err) {
          const tooBig = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || /larger than|maxOutputLength/i.test(String(err));
          return reply({
            status: tooBig ? GrpcStatus.RESOURCE_EXHAUSTED : GrpcStatus.INVALID_ARGUMENT,
            message: tooBig ? `message larger than max_request_body_size (${limit} bytes)` : 'cannot gunzip the message',
          });
        }
      }
      reply(await handler(String(headers[':path']), body, headers));
    } catch (err) {
      reply({ status: GrpcStatus.INTERNAL, message: (err as Error).message });
    }
  }
}

function sendReply(stream: ServerHttp2Stream, r: GrpcReply): void {
  if (stream.destroyed || stream.closed || stream.headersSent) return;
  const trailers: Record<string, string> = { 'grpc-status': String(r.status) };
  if (r.message) trailers['grpc-message'] = percentEncode(r.message);
  if (r.retryAfterMs !== undefined) trailers['grpc-status-details-bin'] = statusWithRetryInfo(r.status, r.message ?? '', r.retryAfterMs).toString('base64');
  const head = { [constants.HTTP2_HEADER_STATUS]: 200, 'content-type': 'application/grpc+proto', 'grpc-accept-encoding': 'identity,gzip' };
  if (r.status !== GrpcStatus.OK) {
    // Trailers-only response: the status travels in the headers.
    stream.respond({ ...head, ...trailers }, { endStream: true });
    return;
  }
  const body = r.body ?? Buffer.alloc(0);
  stream.respond(head, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers(trailers));
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(body.length, 1);
  stream.end(Buffer.concat([prefix, body]));
}

/** google.rpc.Status { code, message, details: [Any(google.rpc.RetryInfo { retry_delay })] }. */
function statusWithRetryInfo(code: number, text: string, retryAfterMs: number): Buffer {
  const seconds = Math.floor(retryAfterMs / 1000);
  const nanos = Math.round((retryAfterMs % 1000) * 1e6);
  const duration = Buffer.concat([varintField(1, BigInt(seconds)), nanos > 0 ? varintField(2, BigInt(nanos)) : Buffer.alloc(0)]);
  const retryInfo = message(1, duration);
  const any = Buffer.concat([stringField(1, 'type.googleapis.com/google.rpc.RetryInfo'), message(2, retryInfo)]);
  return Buffer.concat([varintField(1, BigInt(code)), stringField(2, text), message(3, any)]);
}

function isAuthorizedGrpc(headers: IncomingHttpHeaders, auth: HttpServerConfig['auth']): boolean {
  if (!auth) return true;
  if (auth.bearer_token !== undefined) {
    const header = String(headers.authorization ?? '');
    return constantTimeEqual(/^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '') : '', auth.bearer_token);
  }
  if (auth.header) {
    const value = headers[auth.header.name.toLowerCase()];
    return constantTimeEqual(typeof value === 'string' ? value : '', auth.header.value);
  }
  return false;
}

/** grpc-message encoding (PROTOCOL-HTTP2.md): bytes outside 0x20-0x7E, and '%', as %XX. */
function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8'))
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}
