import type { ReceiverFactory } from '@oktel/core';
import { otlpReceiverConfigSchema, type OtlpReceiverConfig } from './config.js';
import { OtlpReceiver } from './otlp-receiver.js';

export const otlpReceiverFactory: ReceiverFactory<OtlpReceiverConfig> = {
  type: 'otlp',
  kind: 'receiver',
  description: 'Receives OTLP/HTTP logs (protobuf or JSON, gzip) from SDKs and Collectors; answers 429/503 with Retry-After under backpressure.',
  stability: 'alpha',
  configSchema: otlpReceiverConfigSchema,
  create: (settings, config, next) => new OtlpReceiver(settings, config, next),
};
