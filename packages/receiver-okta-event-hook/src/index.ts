export { oktaEventHookConfigSchema, type OktaEventHookConfig } from './config.js';
export { oktaEventHookReceiverFactory } from './factory.js';
export { OktaEventHookReceiver } from './event-hook-receiver.js';
export { parseDelivery, type HookDelivery } from './payload.js';
