import type { ReceiverFactory } from '@oktel/core';
import { oktaReceiverConfigSchema, type OktaReceiverConfig } from './config.js';
import { OktaReceiver } from './receiver.js';

export const oktaReceiverFactory: ReceiverFactory<OktaReceiverConfig> = {
  type: 'okta',
  kind: 'receiver',
  description: "Polls the Okta System Log (/api/v1/logs) with a checkpointed cursor, within the org's rate limit.",
  stability: 'alpha',
  configSchema: oktaReceiverConfigSchema,
  extensionRefs: (config) => (config.storage ? [{ path: ['storage'], extensionId: config.storage, capability: 'storage' }] : []),
  create: (settings, config, next) => new OktaReceiver(settings, config, next),
};
