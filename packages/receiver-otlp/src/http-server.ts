import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createGunzip, createInflate } from 'node:zlib';
import { OktelError, PermanentError } from '@oktel/core';
import { constantTimeEqual } from './constant-time.js';
import type { HttpServerConfig } from './http-config.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * An HTTP(S) listener for a push receiver. `listen` fails start-up when the port is taken,
 * so a misconfigured receiver is loud at once rather than silently absent.
 */
export class HttpListener {
  #server: Server | undefined;

  constructor(readonly config: HttpServerConfig) {}

  async listen(handler: Handler): Promise<void> {
    const { host, port } = splitEndpoint(this.config.endpoint);
    const server = this.config.tls
      ? createHttpsServer({ cert: await readFile(this.config.tls.cert_file), key: await readFile(this.config.tls.key_file) }, handler)
      : createHttpServer(handler);
    // Slow-loris protection: a client gets this long to send its headers and body.
    server.requestTimeout = 60_000;
    server.headersTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new OktelError('ERR_LISTEN', `cannot listen on ${this.config.endpoint}: ${err.code ?? err.message}`, { cause: err })),
      );
      server.listen(port, host, () => resolve());
    });
    this.#server = server;
  }

  /** The port actually bound (useful with port 0 in tests). */
  get port(): number {
    return (this.#server?.address() as AddressInfo | null)?.port ?? 0;
  }

  get url(): string {
    const { host } = splitEndpoint(this.config.endpoint);
    return `${this.config.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
  }

  /** Stops accepting connections, lets requests in flight finish, then closes idle keep-alives. */
  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
  }
}

export function splitEndpoint(endpoint: string): { host: string; port: number } {
  const colon = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, colon).replace(/^\[|\]$/g, '');
  return { host, port: Number(endpoint.slice(colon + 1)) };
}

/** Whether the request carries the configured credential. Without auth configured, every request does. */
export function isAuthorized(req: IncomingMessage, auth: HttpServerConfig['auth']): boolean {
  if (!auth) return true;
  if (auth.bearer_token !== undefined) {
    const header = req.headers.authorization ?? '';
    const presented = /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '') : '';
    return constantTimeEqual(presented, auth.bearer_token);
  }
  if (auth.header) {
    const value = req.headers[auth.header.name.toLowerCase()];
    return constantTimeEqual(typeof value === 'string' ? value : '', auth.header.value);
  }
  return false;
}

export class BodyTooLargeError extends PermanentError {
  constructor(limit: number) {
    super(`request body larger than max_request_body_size (${limit} bytes)`, { code: 'ERR_BODY_TOO_LARGE' });
  }
}

export class UnsupportedEncodingError extends PermanentError {
  constructor(encoding: string) {
    super(`unsupported Content-Encoding "${encoding}": send gzip, deflate or none`, { code: 'ERR_UNSUPPORTED_ENCODING' });
  }
}

/**
 * The request body, decompressed, never more than `limit` bytes in either form: a declared
 * Content-Length over the limit is refused before reading, and a gzip bomb stops at the limit.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) throw new BodyTooLargeError(limit);
  const encoding = String(req.headers['content-encoding'] ?? 'identity')
    .toLowerCase()
    .trim();
  let stream: NodeJS.ReadableStream = req;
  if (encoding === 'gzip' || encoding === 'x-gzip') stream = req.pipe(createGunzip());
  else if (encoding === 'deflate') stream = req.pipe(createInflate());
  else if (encoding !== 'identity' && encoding !== '' && encoding !== 'none') throw new UnsupportedEncodingError(encoding);
  const chunks: Buffer[] = [];
  let total = 0;
  let raw = 0;
  req.on('data', (c: Buffer) => (raw += c.length));
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limit || raw > limit) throw new BodyTooLargeError(limit);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof OktelError) throw err;
    throw new PermanentError(`cannot read the request body: ${(err as Error).message}`, { code: 'ERR_OTLP_DECODE', cause: err });
  }
  return Buffer.concat(chunks);
}

/** Drains what is left of a refused request so the connection can be reused, then answers. */
export function respond(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
  if (!req.complete) {
    // A client still streaming a body we refused (413) would otherwise block; close instead.
    res.once('finish', () => req.destroy());
  }
}
