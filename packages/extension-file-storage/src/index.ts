export { writeFileAtomic } from './atomic-file.js';
export { fileStorageConfigSchema, type FileStorageConfig } from './config.js';
export { fileStorageExtensionFactory } from './factory.js';
export { FileStorage } from './file-storage.js';
