import type { ReceiverFactory } from '@oktel/core';
import { fileReceiverConfigSchema, type FileReceiverConfig } from './config.js';
import { FileReceiver } from './file-receiver.js';

export const fileReceiverFactory: ReceiverFactory<FileReceiverConfig> = {
  type: 'file',
  kind: 'receiver',
  description: 'Replays Okta System Log events from JSON Lines, JSON arrays or a directory of them (gzip too).',
  stability: 'alpha',
  configSchema: fileReceiverConfigSchema,
  extensionRefs: (config) => (config.storage ? [{ path: ['storage'], extensionId: config.storage, capability: 'storage' }] : []),
  create: (settings, config, next) => new FileReceiver(settings, config, next),
};
