export { writeFileAtomic } from './atomic-file.js';
export { fileStorageConfigSchema, type FileStorageConfig } from './config.js';
export { fileStorageExtensionFactory } from './factory.js';
export { CORRUPT_MARKER, FileStorage } from './file-storage.js';
export { LOCK_FILE } from './lock.js';
export { isStorageFault, withStorageRetry, type FaultReporter, type RetryOptions } from './retry.js';
