import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decodeOtlpLogsProto } from './otlp-proto.js';

export interface ReceivedRequest {
  at: number;
  headers: IncomingMessage['headers'];
  /** The body after gzip decoding. */
  body: Buffer;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
}

/**
 * An OTLP/HTTP logs endpoint on 127.0.0.1 that records what it receives and answers 200 unless
 * told otherwise (`respondWith`), for testing exporters over real HTTP. It can be stopped and
 * started again on the same port to play a backend outage.
 */
export class OtlpTestServer {
  readonly requests: ReceivedRequest[] = [];
  readonly #script: ScriptedResponse[] = [];
  #server: Server | undefined;
  #port = 0;
  delayMs = 0;

  get url(): string {
    return `http://127.0.0.1:${this.#port}/v1/logs`;
  }

  respondWith(response: ScriptedResponse, times = 1): void {
    for (let i = 0; i < times; i++) this.#script.push(response);
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const scripted = this.#script.shift();
        const answer = (): void => {
          if (scripted && (scripted.status < 200 || scripted.status >= 300)) {
            res
              .writeHead(scripted.status, { 'content-type': 'application/json', ...(scripted.headers ?? {}) })
              .end(scripted.body ?? '{"code":3,"message":"rejected"}');
            return;
          }
          this.requests.push({ at: Date.now(), headers: req.headers, body: req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw });
          res.writeHead(200, { 'content-type': String(req.headers['content-type'] ?? 'application/json') }).end(scripted?.body ?? '');
        };
        const delay = scripted?.delayMs ?? this.delayMs;
        if (delay > 0) setTimeout(answer, delay);
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.#port, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Every request decoded: OTLP/JSON parsed, protobuf decoded with the official schema. */
  decoded(): Record<string, unknown>[] {
    return this.requests.map((r) =>
      String(r.headers['content-type']).includes('protobuf') ? decodeOtlpLogsProto(r.body) : (JSON.parse(r.body.toString('utf8')) as Record<string, unknown>),
    );
  }

  /** Records of all requests (JSON or protobuf), flattened. */
  jsonRecords(): Record<string, unknown>[] {
    return this.decoded().flatMap((request) => {
      const typed = request as { resourceLogs: { scopeLogs: { logRecords: Record<string, unknown>[] }[] }[] };
      return typed.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords));
    });
  }
}
