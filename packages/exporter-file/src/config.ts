import { z } from 'zod';
import { block, exporterHelperShape } from '@oktel/core';

export const fileExporterConfigSchema = z.strictObject({
  path: z.string().min(1).describe('File to append to; its directory is created if missing. Relative to the working directory.'),
  rotation: block({
    max_megabytes: z
      .number()
      .positive()
      .default(100)
      .describe('Rotate once the file would grow past this size (MiB). The full file is renamed <name>-<UTC time><ext>.'),
    max_backups: z.number().int().min(0).default(100).describe('Rotated files to keep; the oldest are deleted beyond this (0 keeps all).'),
  }).describe('Size-based rotation.'),
  // One consumer by default: lines are appended in the order batches arrived.
  ...exporterHelperShape({ timeout: '30s', sending_queue: { num_consumers: 1 } }),
});

export type FileExporterConfig = z.output<typeof fileExporterConfigSchema>;
