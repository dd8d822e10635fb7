import { existsSync } from 'node:fs';
import { z } from 'zod';
import { block, exporterHelperShape, registerSecret } from '@oktel/core';
import { zstdAvailable } from '@oktel/otlp-encoding';

export const otlpHttpConfigSchema = z
  .strictObject({
    endpoint: z
      .string()
      .url()
      .optional()
      .describe('Base URL; /v1/logs is appended (e.g. https://otlp.datadoghq.com). One of endpoint or logs_endpoint is required.'),
    logs_endpoint: z.string().url().optional().describe('Full URL of the logs intake, used as is.'),
    encoding: z.enum(['proto', 'json']).default('proto').describe('OTLP/HTTP body: protobuf (Datadog requires it) or JSON.'),
    compression: z
      .enum(['gzip', 'zstd', 'none'])
      .default('gzip')
      .describe(
        "Body compression, run on libuv's thread pool (off the pipeline thread). zstd needs Node 22.15 or later; on older Node such a config is refused at load.",
      ),
    compression_level: z
      .number()
      .int()
      .optional()
      .describe('Compression level: gzip 1 (fastest, the default) to 9 (smallest); zstd 1 to 22 (default 3). See BENCHMARKS.md for size against speed.'),
    headers: z
      .record(z.string(), z.string())
      .default({})
      .describe(
        'Extra request headers (API keys). Values are treated as secrets: never logged, and never sent over plain http:// to a host other than loopback unless tls.insecure is true.',
      ),
    tls: block({
      ca_file: z.string().optional().describe('PEM file with CA certificates to trust, in addition to the system ones.'),
      cert_file: z.string().optional().describe('PEM client certificate for mutual TLS (with key_file).'),
      key_file: z.string().optional().describe('PEM private key of cert_file.'),
      insecure_skip_verify: z.boolean().default(false).describe('Do not verify the server certificate (testing only).'),
      insecure: z
        .boolean()
        .default(false)
        .describe('Allow the configured headers (credentials) to be sent over plain http:// to a non-loopback host. Off: such a config is refused at load.'),
    }),
    ...exporterHelperShape(),
  })
  .superRefine((config, ctx) => {
    if (!config.endpoint && !config.logs_endpoint) ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'set endpoint or logs_endpoint' });
    if (config.compression === 'zstd' && !zstdAvailable)
      ctx.addIssue({
        code: 'custom',
        path: ['compression'],
        message: `zstd needs Node 22.15 or later (this is ${process.version}): use gzip, or upgrade Node`,
      });
    const level = config.compression_level;
    if (level !== undefined) {
      const [min, max] = config.compression === 'zstd' ? [1, 22] : config.compression === 'gzip' ? [1, 9] : [0, 0];
      if (config.compression === 'none')
        ctx.addIssue({ code: 'custom', path: ['compression_level'], message: 'compression is none: remove compression_level' });
      else if (level < min || level > max)
        ctx.addIssue({ code: 'custom', path: ['compression_level'], message: `${config.compression} levels are ${min} to ${max}` });
    }
    for (const url of [config.endpoint, config.logs_endpoint])
      if (url && !/^https?:\/\//.test(url)) ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'must be an http(s) URL' });
    if (Boolean(config.tls.cert_file) !== Boolean(config.tls.key_file))
      ctx.addIssue({ code: 'custom', path: ['tls', config.tls.cert_file ? 'key_file' : 'cert_file'], message: 'mutual TLS needs both cert_file and key_file' });
    for (const key of ['ca_file', 'cert_file', 'key_file'] as const) {
      const file = config.tls[key];
      if (file && !existsSync(file)) ctx.addIssue({ code: 'custom', path: ['tls', key], message: `file not found: ${file}` });
    }
    const url = config.logs_endpoint ?? config.endpoint;
    if (url && Object.keys(config.headers).length > 0 && !config.tls.insecure && sendsInClearToRemote(url)) {
      ctx.addIssue({
        code: 'custom',
        path: ['headers'],
        message: `refusing to send headers (${Object.keys(config.headers).join(', ')}) in clear text over http:// to ${new URL(url).host}: use https://, or set tls.insecure: true if this network is trusted`,
      });
    }
  })
  .transform((config) => {
    // Header values are credentials (dd-api-key, Authorization): keep them out of every log line.
    for (const value of Object.values(config.headers)) registerSecret(value);
    return config;
  });

export type OtlpHttpConfig = z.output<typeof otlpHttpConfigSchema>;

/** Plain http to anything but this machine: a network path where headers can be read. */
export function sendsInClearToRemote(url: string): boolean {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:') return false;
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return !(host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host));
}

export function logsUrl(config: OtlpHttpConfig): string {
  return config.logs_endpoint ?? `${config.endpoint!.replace(/\/+$/, '')}/v1/logs`;
}
