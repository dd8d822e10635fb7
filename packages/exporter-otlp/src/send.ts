import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { errorMessage, PermanentError, RetryableError } from '@oktel/core';
import type { OtlpHttpConfig } from './config.js';
import type { EncodedBatch } from './encode.js';

export interface SendResult {
  status: number;
  /** The response body, at most MAX_RESPONSE_BYTES (a longer one is cut there). */
  body: Buffer;
}

const RETRYABLE = new Set([429, 502, 503, 504]);

/** Bytes of a response body read at most, as the Collector's otlp_http exporter does (64 KiB). */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** Retry-After as seconds or an HTTP date, in ms (unclamped: the exporter helper clamps). */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface Sender {
  (batch: EncodedBatch, signal: AbortSignal): Promise<SendResult>;
  /** Closes the connections kept alive, so nothing holds the process open after shutdown. */
  close(): void;
}

/** TLS options: `ca_file` is added to Node's bundled CAs (the `ca` option alone would replace them); mTLS from cert/key files. */
export function tlsOptions(tls: OtlpHttpConfig['tls']): { ca?: string[]; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean } {
  return {
    ...(tls.ca_file ? { ca: [...rootCertificates, readFileSync(tls.ca_file, 'utf8')] } : {}),
    ...(tls.cert_file ? { cert: readFileSync(tls.cert_file) } : {}),
    ...(tls.key_file ? { key: readFileSync(tls.key_file) } : {}),
    rejectUnauthorized: !tls.insecure_skip_verify,
  };
}

/**
 * One POST of an encoded batch, stopped when `signal` aborts (the helper's total deadline or
 * shutdown). A 2xx is delivery: once its status arrived the batch counts as sent even if the
 * body then stalls or never ends (what was read of it is returned, up to MAX_RESPONSE_BYTES).
 * Otherwise rejects with RetryableError (429, 502, 503, 504, network errors; Retry-After kept)
 * or PermanentError (any other status), with the status and the start of the server's message,
 * never the request headers.
 */
export function createSender(url: string, config: OtlpHttpConfig): Sender {
  const target = new URL(url);
  const isHttps = target.protocol === 'https:';
  const agent = isHttps ? new HttpsAgent({ keepAlive: true, ...tlsOptions(config.tls) }) : new HttpAgent({ keepAlive: true });
  const send = (batch: EncodedBatch, signal: AbortSignal) =>
    new Promise<SendResult>((resolve, reject) => {
      const headers: Record<string, string | number> = {
        ...config.headers,
        'content-type': batch.contentType,
        'content-length': batch.body.length,
        'user-agent': 'oktel-exporter-otlp/0.1.0',
      };
      const encoding = batch.contentEncoding ?? (batch.gzip ? 'gzip' : undefined);
      if (encoding) headers['content-encoding'] = encoding;
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        fn();
      };
      let onResponseAbort: (() => void) | undefined;
      const onAbort = (): void => {
        if (onResponseAbort) {
          onResponseAbort();
          return;
        }
        req.destroy();
        const reason = signal.reason instanceof Error ? signal.reason.message : 'aborted';
        settle(() => reject(new RetryableError(`sending to ${target.host} stopped: ${reason}`)));
      };
      const req = (isHttps ? httpsRequest : httpRequest)(target, { method: 'POST', headers, agent }, (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let length = 0;
        const finish = (): void => {
          res.destroy();
          const body = Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES);
          if (status >= 200 && status < 300) {
            settle(() => resolve({ status, body }));
            return;
          }
          const message = body.toString('utf8').replace(/\s+/g, ' ').slice(0, 300);
          const context = { status };
          if (RETRYABLE.has(status)) {
            const after = retryAfterMs(res.headers['retry-after'] as string | undefined);
            settle(() =>
              reject(new RetryableError(`${target.host} answered ${status}: ${message}`, { context, ...(after !== undefined ? { retryAfterMs: after } : {}) })),
            );
          } else settle(() => reject(new PermanentError(`${target.host} rejected the batch with ${status}: ${message}`, { context })));
        };
        // The status is in: a deadline from here on ends the body read, not the outcome.
        onResponseAbort = finish;
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          length += c.length;
          if (length >= MAX_RESPONSE_BYTES) finish();
        });
        res.on('error', finish);
        res.on('close', finish);
        res.on('end', finish);
      });
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err: NodeJS.ErrnoException) =>
        settle(() => reject(new RetryableError(`sending to ${target.host} failed: ${err.code ?? errorMessage(err)}`))),
      );
      if (signal.aborted) onAbort();
      else req.end(batch.body);
    });
  return Object.assign(send, { close: () => agent.destroy() });
}
