import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counters, errorMessage, isRetryable, OktelError, RetryableError, type ComponentSettings, type Host, type LogsConsumer, type Receiver } from '@oktel/core';
import type { OtlpReceiverConfig } from './config.js';
import { decodeLogsRequestJson } from './decode-json.js';
import { decodeLogsRequestProto } from './decode-proto.js';
import { BodyTooLargeError, HttpListener, isAuthorized, readBody, respond, UnsupportedEncodingError } from './http-server.js';
import { errorAnswer, successAnswer, type Answer, type Encoding } from './responses.js';
import { toRecords } from './to-records.js';

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
  readonly #listener: HttpListener;
  #inFlight = 0;
  #stopping = false;

  constructor(settings: ComponentSettings, config: OtlpReceiverConfig, next: LogsConsumer) {
    this.#settings = settings;
    this.#config = config;
    this.#next = next;
    this.#listener = new HttpListener(config.protocols.http);
  }

  /** Base URL actually listened on, e.g. http://127.0.0.1:4318 (port resolved when 0). */
  get url(): string {
    return this.#listener.url;
  }

  async start(host: Host): Promise<void> {
    await this.#listener.listen((req, res) => void this.#handle(req, res));
    host.reportStatus(`receiver/${this.#settings.id}`, { status: 'ok' });
    this.#settings.logger.info(`Listening for OTLP/HTTP logs on ${this.url}${this.#config.protocols.http.logs_url_path}`);
  }

  async shutdown(): Promise<void> {
    this.#stopping = true;
    await this.#listener.close();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const http = this.#config.protocols.http;
    const encoding: Encoding = String(req.headers['content-type'] ?? '').includes('json') ? 'json' : 'proto';
    const send = (answer: Answer): void => respond(req, res, answer.status, answer.headers, answer.body);
    const path = (req.url ?? '/').split('?')[0];
    if (path !== http.logs_url_path) return send(errorAnswer(encoding, 404, `no OTLP endpoint at ${path}; logs are accepted at ${http.logs_url_path}`));
    if (req.method !== 'POST') return send(errorAnswer(encoding, 405, 'use POST', { allow: 'POST' }));
    if (!isAuthorized(req, http.auth)) return send(errorAnswer(encoding, 401, 'missing or wrong credentials', http.auth?.bearer_token !== undefined ? { 'www-authenticate': 'Bearer' } : {}));
    const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
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
      body = await readBody(req, this.#config.protocols.http.max_request_body_size);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return errorAnswer(encoding, 413, err.message);
      if (err instanceof UnsupportedEncodingError) return errorAnswer(encoding, 415, err.message);
      return errorAnswer(encoding, 400, errorMessage(err));
    }
    let converted;
    try {
      const request = encoding === 'json' ? decodeLogsRequestJson(body.toString('utf8')) : decodeLogsRequestProto(body);
      converted = toRecords(request, Date.now());
    } catch (err) {
      this.#settings.logger.warn(`Refused an undecodable OTLP request: ${errorMessage(err)}`);
      return errorAnswer(encoding, 400, errorMessage(err));
    }
    const { records, rejected, firstProblem } = converted;
    if (rejected > 0) {
      this.#settings.telemetry.add(Counters.receiverFailed, rejected, 'Records the receiver could not read (malformed input)');
      this.#settings.logger.warn(`Rejected ${rejected} invalid OTLP log records: ${firstProblem}`);
    }
    if (records.length > 0) {
      try {
        await this.#next.consume(records);
      } catch (err) {
        if (!isRetryable(err)) return errorAnswer(encoding, 400, `the pipeline refused the batch permanently: ${errorMessage(err)}`);
        const code = err instanceof OktelError ? err.code : '';
        const status = /QUEUE_FULL|RATE|THROTTL|LIMIT/i.test(code) ? 429 : 503;
        const retryAfterMs = err instanceof RetryableError ? err.retryAfterMs : undefined;
        return this.#pushBack(encoding, status, retryAfterMs, `the pipeline cannot take the batch now: ${errorMessage(err)}`);
      }
    }
    return successAnswer(encoding, rejected, firstProblem);
  }

  #pushBack(encoding: Encoding, status: 429 | 503, retryAfterMs: number | undefined, reason: string): Answer {
    const seconds = Math.max(1, Math.ceil((retryAfterMs ?? this.#config.retry_after) / 1000));
    return errorAnswer(encoding, status, reason, { 'retry-after': String(seconds) });
  }
}
