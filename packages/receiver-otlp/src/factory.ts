import type { ReceiverFactory } from '@oktel/core';
import { otlpReceiverConfigSchema, type OtlpReceiverConfig } from './config.js';
import { OtlpReceiver } from './otlp-receiver.js';

export const otlpReceiverFactory: ReceiverFactory<OtlpReceiverConfig> = {
  type: 'otlp',
  kind: 'receiver',
  description: 'Receives OTLP logs over HTTP (protobuf or JSON, gzip) and gRPC from SDKs and Collectors; pushes back with 429/503 + Retry-After.',
  stability: 'alpha',
  configSchema: otlpReceiverConfigSchema,
  create: (settings, config, next) => new OtlpReceiver(settings, config, next),
};
