import type { ReceiverFactory } from '@oktel/core';
import { oktaEventHookConfigSchema, type OktaEventHookConfig } from './config.js';
import { OktaEventHookReceiver } from './event-hook-receiver.js';

export const oktaEventHookReceiverFactory: ReceiverFactory<OktaEventHookConfig> = {
  type: 'okta_event_hook',
  kind: 'receiver',
  description: 'Receives Okta Event Hooks (push, seconds of latency); shares uuid de-duplication with the polling okta receiver.',
  stability: 'alpha',
  configSchema: oktaEventHookConfigSchema,
  create: (settings, config, next) => new OktaEventHookReceiver(settings, config, next),
};
