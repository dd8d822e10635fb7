import { z } from 'zod';
import { duration } from '@oktel/core';

export const fileStorageConfigSchema = z.strictObject({
  directory: z
    .string()
    .min(1)
    .default('./data/file_storage')
    .describe('Directory holding one sub-directory per component that uses the store. Relative paths are relative to the working directory.'),
  create_directory: z.boolean().default(true).describe('Create the directory (and parents) when missing; when false a missing directory fails start-up.'),
  fault_timeout: duration()
    .prefault('5m')
    .describe(
      'How long a write or read that fails with a disk fault (ENOSPC, EDQUOT, EROFS, EIO) is retried, with backoff from 100ms to 5s, before the caller gets an error. Meanwhile the extension reports recoverable_error in /health and the pipeline waits instead of losing data.',
    ),
  fsync: z
    .boolean()
    .default(true)
    .describe(
      'fsync every write and its directory entry. Turning it off trades durability across power loss for speed; a process crash still never tears a value.',
    ),
});

export type FileStorageConfig = z.output<typeof fileStorageConfigSchema>;
