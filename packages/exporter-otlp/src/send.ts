import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PermanentError, RetryableError } from '@oktel/core';
import type { OtlpHttpConfig } from './config.js';
import type { EncodedBatch } from './encode.js';

export interface SendResult {
  status: number;
  body: Buffer;
}

const RETRYABLE = new Set([429, 502, 503, 504]);

/** Retry-After as seconds or an HTTP date, in ms. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export type Sender = (batch: EncodedBatch) => Promise<SendResult>;

/**
 * One POST of an encoded batch. Resolves on 2xx; rejects with RetryableError (429, 502, 503,
 * 504, timeouts, network errors; Retry-After kept) or PermanentError (any other status),
 * carrying the status and the start of the server's message, never the request headers.
 */
export function createSender(url: string, config: OtlpHttpConfig): Sender {
  const target = new URL(url);
  const isHttps = target.protocol === 'https:';
  const ca = config.tls.ca_file ? readFileSync(config.tls.ca_file) : undefined;
  return (batch) =>
    new Promise<SendResult>((resolve, reject) => {
      const headers: Record<string, string | number> = {
        ...config.headers,
        'content-type': batch.contentType,
        'content-length': batch.body.length,
        'user-agent': 'oktel-exporter-otlp/0.1.0',
      };
      if (batch.gzip) headers['content-encoding'] = 'gzip';
      const options = { method: 'POST', headers, timeout: config.timeout, ...(isHttps ? { ...(ca ? { ca } : {}), rejectUnauthorized: !config.tls.insecure_skip_verify } : {}) };
      const req = (isHttps ? httpsRequest : httpRequest)(target, options, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(new RetryableError(`the response from ${target.host} broke off: ${err.message}`)));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve({ status, body });
          const message = body.toString('utf8').replace(/\s+/g, ' ').slice(0, 300);
          const context = { status };
          if (RETRYABLE.has(status)) {
            const after = retryAfterMs(res.headers['retry-after'] as string | undefined);
            reject(new RetryableError(`${target.host} answered ${status}: ${message}`, { context, ...(after !== undefined ? { retryAfterMs: after } : {}) }));
          } else reject(new PermanentError(`${target.host} rejected the batch with ${status}: ${message}`, { context }));
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no response within ${config.timeout}ms`)));
      req.on('error', (err: NodeJS.ErrnoException) => reject(new RetryableError(`sending to ${target.host} failed: ${err.code ?? err.message}`)));
      req.end(batch.body);
    });
}
