import type { ExtensionFactory } from '@oktel/core';
import { fileStorageConfigSchema, type FileStorageConfig } from './config.js';
import { FileStorage } from './file-storage.js';

export const fileStorageExtensionFactory: ExtensionFactory<FileStorageConfig> = {
  type: 'file_storage',
  kind: 'extension',
  description: 'Crash-safe key/value store on disk, for receiver checkpoints and persistent exporter queues.',
  stability: 'alpha',
  capabilities: ['storage'],
  configSchema: fileStorageConfigSchema,
  create: (settings, config) => new FileStorage(settings, config),
};
