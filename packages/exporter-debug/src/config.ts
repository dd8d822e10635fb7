import { z } from 'zod';

export const debugExporterConfigSchema = z.strictObject({
  verbosity: z
    .enum(['basic', 'normal', 'detailed'])
    .default('basic')
    .describe('basic: one line per batch; normal: one line per record; detailed: every field of every record.'),
  sampling_initial: z.number().int().min(1).default(2).describe('Batches printed in full each second before sampling starts.'),
  sampling_thereafter: z.number().int().min(1).default(1).describe('After the initial ones, print every Nth batch in that second (1 prints all).'),
  output: z.enum(['stdout', 'stderr']).default('stdout').describe('Stream to print to.'),
});

export type DebugExporterConfig = z.output<typeof debugExporterConfigSchema>;
