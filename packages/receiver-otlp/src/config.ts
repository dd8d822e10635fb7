import { z } from 'zod';
import { duration } from '@oktel/core';
import { httpServerShape } from './http-config.js';

export const otlpHttpProtocolSchema = z
  .strictObject({
    ...httpServerShape({ endpoint: '127.0.0.1:4318', maxBody: '20MiB' }),
    logs_url_path: z.string().startsWith('/').default('/v1/logs').describe('Path that accepts ExportLogsServiceRequest POSTs.'),
  })
  .describe(
    'OTLP/HTTP: protobuf (`application/x-protobuf`) and JSON (`application/json`), gzip, deflate or uncompressed. On when `protocols` names no protocol.',
  );

export const otlpGrpcProtocolSchema = z
  .strictObject({
    ...httpServerShape({ endpoint: '127.0.0.1:4317', maxBody: '4MiB' }),
  })
  .describe(
    "OTLP/gRPC (the Collector's `otlp` / `load_balancing` exporters speak it): unary LogsService/Export over HTTP/2, gzip, with TLS (h2) or without (h2c). `max_request_body_size` caps one message; `auth` reads the same headers from gRPC metadata.",
  );

export const otlpReceiverConfigSchema = z.strictObject({
  protocols: z
    .strictObject({
      http: otlpHttpProtocolSchema.optional(),
      grpc: otlpGrpcProtocolSchema.optional(),
    })
    .prefault({})
    .describe("The Collector's shape: each protocol listed is served. Without any, OTLP/HTTP is served with its defaults."),
  max_concurrent_requests: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(32)
    .describe(
      'Requests handed to the pipeline at once, over both protocols. Beyond this the receiver answers 429 (gRPC RESOURCE_EXHAUSTED with RetryInfo) at once instead of queueing unboundedly in memory.',
    ),
  retry_after: duration()
    .prefault('5s')
    .describe('Delay sent with 429/503 (Retry-After) or gRPC RetryInfo when the pipeline pushes back without saying for how long.'),
});

export type OtlpReceiverConfig = z.output<typeof otlpReceiverConfigSchema>;
export type OtlpHttpProtocolConfig = z.output<typeof otlpHttpProtocolSchema>;
export type OtlpGrpcProtocolConfig = z.output<typeof otlpGrpcProtocolSchema>;

/** The protocols to serve: those configured, or OTLP/HTTP with its defaults when none is. */
export function servedProtocols(config: OtlpReceiverConfig): { http: OtlpHttpProtocolConfig | undefined; grpc: OtlpGrpcProtocolConfig | undefined } {
  const { http, grpc } = config.protocols;
  if (!http && !grpc) return { http: otlpHttpProtocolSchema.parse({}), grpc: undefined };
  return { http, grpc };
}
