import { z } from 'zod';
import { block, duration, extensionId, registerSecret } from '@oktel/core';

export const otlpHttpConfigSchema = z
  .strictObject({
    endpoint: z.string().url().optional().describe('Base URL; /v1/logs is appended (e.g. https://otlp.datadoghq.com). One of endpoint or logs_endpoint is required.'),
    logs_endpoint: z.string().url().optional().describe('Full URL of the logs intake, used as is.'),
    encoding: z.enum(['proto', 'json']).default('proto').describe('OTLP/HTTP body: protobuf (Datadog requires it) or JSON.'),
    compression: z.enum(['gzip', 'none']).default('gzip').describe('Body compression.'),
    headers: z.record(z.string(), z.string()).default({}).describe('Extra request headers (API keys). Values are treated as secrets: never logged.'),
    timeout: duration().prefault('10s').describe('Per-request timeout.'),
    tls: block({
      ca_file: z.string().optional().describe('PEM file with CA certificates to trust, in addition to the system ones.'),
      insecure_skip_verify: z.boolean().default(false).describe('Do not verify the server certificate (testing only).'),
    }),
    sending_queue: block({
      enabled: z.boolean().default(true).describe('Queue batches and send them in the background; when false, consume waits for the send.'),
      queue_size: z.number().int().min(1).default(10_000).describe('Records the queue holds at most (memory stays bounded by this).'),
      num_consumers: z.number().int().min(1).max(64).default(4).describe('Batches sent concurrently.'),
      block_on_overflow: z.boolean().default(true).describe('When full, make the pipeline wait (the receiver slows down) instead of dropping; false drops and counts enqueue_failed.'),
      storage: extensionId().optional().describe('Storage extension for a persistent queue: batches are written to disk before consume returns and deleted once sent, so they survive restarts and kill -9.'),
      drain_timeout: duration().prefault('30s').describe('At shutdown, how long to keep sending what is queued; the rest stays in the persistent queue (or is counted as dropped without one).'),
    }),
    retry_on_failure: block({
      enabled: z.boolean().default(true).describe('Retry 429, 502, 503, 504, timeouts and network errors.'),
      initial_interval: duration().prefault('5s').describe('First wait; doubles with jitter, honouring Retry-After.'),
      max_interval: duration().prefault('30s').describe('Longest wait between attempts.'),
      max_elapsed_time: duration().prefault('0').describe('Give up on a batch after this long (0 = never: keep it until the backend is back).'),
    }),
    batch: block({
      max_size: z.number().int().min(1).default(1000).describe('Records per request at most; larger batches are split.'),
      flush_timeout: duration().prefault('1s').describe('Send a partial batch after this long.'),
    }),
  })
  .superRefine((config, ctx) => {
    if (!config.endpoint && !config.logs_endpoint) ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'set endpoint or logs_endpoint' });
    for (const url of [config.endpoint, config.logs_endpoint]) if (url && !/^https?:\/\//.test(url)) ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'must be an http(s) URL' });
  })
  .transform((config) => {
    // Header values are credentials (dd-api-key, Authorization): keep them out of every log line.
    for (const value of Object.values(config.headers)) registerSecret(value);
    return config;
  });

export type OtlpHttpConfig = z.output<typeof otlpHttpConfigSchema>;

export function logsUrl(config: OtlpHttpConfig): string {
  return config.logs_endpoint ?? `${config.endpoint!.replace(/\/+$/, '')}/v1/logs`;
}
