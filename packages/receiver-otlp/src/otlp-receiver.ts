import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage, type ComponentSettings, type Host, type LogsConsumer, type Receiver } from '@oktel/core';
import { servedProtocols, type OtlpHttpProtocolConfig, type OtlpReceiverConfig } from './config.js';
import { GrpcListener, GrpcStatus, type GrpcReply } from './grpc-server.js';
import { decodeLogsRequestJson } from './decode-json.js';
import { decodeLogsRequestProto } from './decode-proto.js';
import { BodyTooLargeError, HttpListener, isAuthorized, readBody, respond, UnsupportedEncodingError } from './http-server.js';
import { errorAnswer, successAnswer, type Answer, type Encoding } from './responses.js';
import { ingest } from './ingest.js';
import type { OtlpLogsRequest } from './otlp-model.js';

/**
 * The `otlp` receiver over HTTP. It answers 200 only after the pipeline accepted the batch
 * (`consume` resolved), so a sender that got 200 may forget the data; when the pipeline pushes
 * back it answers 429/503 with Retry-After and the sender (an SDK or a Collector exporter)
 * retries, which is how the OTLP specification spreads backpressure to the edge.
 */
export class OtlpReceiver implements Receiver {
  readonly #settings: ComponentSettings;
  readonly #config: OtlpReceiverConfig;
  readonly #next: LogsConsumer;
  readonly #http: OtlpHttpProtocolConfig | undefined;
  readonly #listener: HttpListener | undefined;
  readonly #grpc: GrpcListener | undefined;
  #inFlight = 0;
  #stopping = false;

  constructor(settings: ComponentSettings, config: OtlpReceiverConfig, next: LogsConsumer) {
    this.#settings = settings;
    this.#config = config;
    this.#next = next;
    const protocols = servedProtocols(config);
    this.#http = protocols.http;
    this.#listener = protocols.http ? new HttpListener(protocols.http) : undefined;
    this.#grpc = protocols.grpc ? new GrpcListener(protocols.grpc) : undefined;
  }

  /** Base URL actually listened on, e.g. http://127.0.0.1:4318 (port resolved when 0). */
  get url(): string {
    return this.#listener?.url ?? '';
  }

  /** host:port of the gRPC endpoint actually listened on, when gRPC is served. */
  get grpcAddress(): string {
    return this.#grpc?.address ?? '';
  }

  async start(host: Host): Promise<void> {
    if (this.#listener) {
      await this.#listener.listen((req, res) => void this.#handle(req, res));
      this.#settings.logger.info(`Listening for OTLP/HTTP logs on ${this.url}${this.#http!.logs_url_path}`);
    }
    if (this.#grpc) {
      try {
        await this.#grpc.listen((method, message) => this.#handleGrpc(method, message));
      } catch (err) {
        await this.#listener?.close();
        throw err;
      }
      this.#settings.logger.info(`Listening for OTLP/gRPC logs on ${this.grpcAddress}`);
    }
    host.reportStatus(`receiver/${this.#settings.id}`, { status: 'ok' });
  }

  async shutdown(): Promise<void> {
    this.#stopping = true;
    await Promise.all([this.#listener?.close(), this.#grpc?.close()]);
  }

  async #handleGrpc(method: string, message: Buffer): Promise<GrpcReply> {
    if (method !== '/opentelemetry.proto.collector.logs.v1.LogsService/Export')
      return { status: GrpcStatus.UNIMPLEMENTED, message: `unknown method ${method}` };
    const retryAfterMs = this.#config.retry_after;
    if (this.#stopping) return { status: GrpcStatus.UNAVAILABLE, message: 'receiver is shutting down', retryAfterMs };
    if (this.#inFlight >= this.#config.max_concurrent_requests)
      return { status: GrpcStatus.RESOURCE_EXHAUSTED, message: 'too many requests in flight', retryAfterMs };
    this.#inFlight++;
    try {
      let request: OtlpLogsRequest;
      try {
        request = decodeLogsRequestProto(message);
      } catch (err) {
        this.#settings.logger.warn(`Refused an undecodable OTLP/gRPC request: ${errorMessage(err)}`);
        return { status: GrpcStatus.INVALID_ARGUMENT, message: errorMessage(err) };
      }
      const outcome = await ingest(request, this.#settings, this.#next);
      if (outcome.kind === 'refused') return { status: GrpcStatus.INVALID_ARGUMENT, message: outcome.reason };
      if (outcome.kind === 'push_back')
        return {
          status: outcome.throttle ? GrpcStatus.RESOURCE_EXHAUSTED : GrpcStatus.UNAVAILABLE,
          message: outcome.reason,
          retryAfterMs: outcome.retryAfterMs ?? retryAfterMs,
        };
      return { status: GrpcStatus.OK, body: successAnswer('proto', outcome.rejected, outcome.problem).body };
    } finally {
      this.#inFlight--;
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const http = this.#http!;
    const encoding: Encoding = String(req.headers['content-type'] ?? '').includes('json') ? 'json' : 'proto';
    const send = (answer: Answer): void => respond(req, res, answer.status, answer.headers, answer.body);
    const path = (req.url ?? '/').split('?')[0];
    if (path !== http.logs_url_path) return send(errorAnswer(encoding, 404, `no OTLP endpoint at ${path}; logs are accepted at ${http.logs_url_path}`));
    if (req.method !== 'POST') return send(errorAnswer(encoding, 405, 'use POST', { allow: 'POST' }));
    if (!isAuthorized(req, http.auth))
      return send(errorAnswer(encoding, 401, 'missing or wrong credentials', http.auth?.bearer_token !== undefined ? { 'www-authenticate': 'Bearer' } : {}));
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (type !== 'application/x-protobuf' && type !== 'application/json') {
      return send(errorAnswer(encoding, 415, `unsupported Content-Type "${type}": send application/x-protobuf or application/json`));
    }
    if (this.#stopping) return send(this.#pushBack(encoding, 503, undefined, 'receiver is shutting down'));
    if (this.#inFlight >= this.#config.max_concurrent_requests) return send(this.#pushBack(encoding, 429, undefined, 'too many requests in flight'));
    this.#inFlight++;
    try {
      send(await this.#accept(req, encoding));
    } finally {
      this.#inFlight--;
    }
  }

  async #accept(req: IncomingMessage, encoding: Encoding): Promise<Answer> {
    let body: Buffer;
    try {
      body = await readBody(req, this.#http!.max_request_body_size);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return errorAnswer(encoding, 413, err.message);
      if (err instanceof UnsupportedEncodingError) return errorAnswer(encoding, 415, err.message);
      return errorAnswer(encoding, 400, errorMessage(err));
    }
    let request: OtlpLogsRequest;
    try {
      request = encoding === 'json' ? decodeLogsRequestJson(body.toString('utf8')) : decodeLogsRequestProto(body);
    } catch (err) {
      this.#settings.logger.warn(`Refused an undecodable OTLP request: ${errorMessage(err)}`);
      return errorAnswer(encoding, 400, errorMessage(err));
    }
    const outcome = await ingest(request, this.#settings, this.#next);
    if (outcome.kind === 'refused') return errorAnswer(encoding, 400, outcome.reason);
    if (outcome.kind === 'push_back') return this.#pushBack(encoding, outcome.throttle ? 429 : 503, outcome.retryAfterMs, outcome.reason);
    return successAnswer(encoding, outcome.rejected, outcome.problem);
  }

  #pushBack(encoding: Encoding, status: 429 | 503, retryAfterMs: number | undefined, reason: string): Answer {
    const seconds = Math.max(1, Math.ceil((retryAfterMs ?? this.#config.retry_after) / 1000));
    return errorAnswer(encoding, status, reason, { 'retry-after': String(seconds) });
  }
}
