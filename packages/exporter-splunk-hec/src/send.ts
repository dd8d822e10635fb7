import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { rootCertificates } from 'node:tls';
import { PermanentError, RetryableError } from '@oktel/core';
import { retryAfterMs, type EncodedBatch } from '@oktel/exporter-otlp';
import { ackUrl, eventUrl, type SplunkHecConfig } from './config.js';
import { hecError, parseReply } from './hec-errors.js';

/** Sends one request (a batch of HEC events); resolves once Splunk took it (and, with ack, indexed it). */
export type HecSend = (batch: EncodedBatch, signal?: AbortSignal) => Promise<void>;

interface Reply {
  status: number;
  body: Buffer;
  retryAfter: string | undefined;
}

/**
 * The HEC client: POST to /services/collector/event with `Authorization: Splunk <token>`, the
 * answer classified by HEC's error codes, and, with ack on, polling /services/collector/ack on
 * the same channel until the request's ackId is true (or re-sending it after ack.timeout).
 */
export function createHecSender(config: SplunkHecConfig): HecSend {
  const target = eventUrl(config.endpoint!);
  const channel = config.ack.channel ?? randomUUID();
  const ackTarget = ackUrl(config.endpoint!, channel);
  const isHttps = target.protocol === 'https:';
  const ca = config.tls.ca_file ? readFileSync(config.tls.ca_file) : undefined;
  // Node's `ca` option replaces the default trust store: keep the system CAs and add the file's.
  const tls = isHttps ? { ...(ca ? { ca: [...rootCertificates, ca] } : {}), rejectUnauthorized: !config.tls.insecure_skip_verify } : {};
  const headers = (body: Buffer, gzip: boolean): Record<string, string | number> => ({
    authorization: `Splunk ${config.token!}`,
    'content-type': 'application/json',
    'content-length': body.length,
    'user-agent': 'oktel-exporter-splunk-hec/0.1.0',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    ...(config.ack.enabled ? { 'x-splunk-request-channel': channel } : {}),
  });

  const post = (url: URL, body: Buffer, gzip: boolean) =>
    new Promise<Reply>((resolve, reject) => {
      const req = (isHttps ? httpsRequest : httpRequest)(
        url,
        { method: 'POST', headers: headers(body, gzip), timeout: config.timeout, ...tls },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => reject(new RetryableError(`the response from ${target.host} broke off: ${err.message}`)));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), retryAfter: res.headers['retry-after'] as string | undefined }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new RetryableError(`no response within ${config.timeout}ms`, { code: 'ERR_HEC_TIMEOUT' })));
      req.on('error', (err: NodeJS.ErrnoException) =>
        reject(new RetryableError(`sending to ${target.host} failed: ${err instanceof RetryableError ? err.message : (err.code ?? err.message)}`)),
      );
      req.end(body);
    });

  async function waitForAck(ackId: number, signal: AbortSignal | undefined): Promise<void> {
    const deadline = Date.now() + config.ack.timeout;
    const query = Buffer.from(JSON.stringify({ acks: [ackId] }));
    while (Date.now() < deadline) {
      await sleep(config.ack.poll_interval, undefined, signal ? { signal } : undefined);
      const reply = await post(ackTarget, query, false);
      if (reply.status < 200 || reply.status >= 300) throw hecError(reply.status, parseReply(reply.body), target.host, retryAfterMs(reply.retryAfter));
      const acks = (parseReply(reply.body) as { acks?: Record<string, boolean> }).acks;
      if (acks?.[String(ackId)] === true) return;
    }
    throw new RetryableError(`Splunk did not acknowledge ackId ${ackId} on channel ${channel} within ${config.ack.timeout}ms; sending the batch again`, {
      code: 'ERR_HEC_ACK_TIMEOUT',
    });
  }

  return async (batch, signal) => {
    const reply = await post(target, batch.body, batch.gzip);
    const parsed = parseReply(reply.body);
    if (reply.status < 200 || reply.status >= 300 || (parsed.code !== undefined && parsed.code !== 0)) {
      throw hecError(reply.status, parsed, target.host, retryAfterMs(reply.retryAfter));
    }
    if (!config.ack.enabled) return;
    if (typeof parsed.ackId !== 'number')
      throw new PermanentError(
        `${target.host} accepted the batch without an ackId: indexer acknowledgement is off on this token; set ack.enabled: false or enable it on the token`,
        { code: 'ERR_HEC_NO_ACK' },
      );
    await waitForAck(parsed.ackId, signal);
  };
}
