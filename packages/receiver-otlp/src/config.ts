import { z } from 'zod';
import { block, duration } from '@oktel/core';
import { httpServerShape } from './http-config.js';

export const otlpReceiverConfigSchema = z.strictObject({
  protocols: block({
    http: block({
      ...httpServerShape({ endpoint: '127.0.0.1:4318', maxBody: '20MiB' }),
      logs_url_path: z.string().startsWith('/').default('/v1/logs').describe('Path that accepts ExportLogsServiceRequest POSTs.'),
    }).describe('OTLP/HTTP: protobuf (`application/x-protobuf`) and JSON (`application/json`), gzip or deflate or uncompressed.'),
  }).describe('The Collector\'s shape. Only `http` is served; OTLP/gRPC is not (send OTLP/HTTP, or put a Collector in front).'),
  max_concurrent_requests: z.number().int().min(1).max(10_000).default(32).describe('Requests handed to the pipeline at once. Beyond this the receiver answers 429 with Retry-After at once instead of queueing unboundedly in memory.'),
  retry_after: duration().prefault('5s').describe('Retry-After sent with 429/503 when the pipeline pushes back without saying for how long.'),
});

export type OtlpReceiverConfig = z.output<typeof otlpReceiverConfigSchema>;
