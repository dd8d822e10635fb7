import { z } from 'zod';
import { duration } from '@oktel/core';

export const fileReceiverConfigSchema = z.strictObject({
  path: z.string().min(1).describe('A file, or a directory whose *.json, *.jsonl, *.ndjson files (optionally .gz) are read in name order. Relative to the working directory.'),
  follow: z.boolean().default(false).describe('Keep watching for appended lines and new files (like tail -F). When false the receiver ends at end of input and a replay-only service then stops by itself.'),
  poll_interval: duration().prefault('1s').describe('How often a followed path is checked for new data.'),
  batch_size: z.number().int().min(1).max(100_000).default(500).describe('Records handed to the pipeline per batch; the next batch is read only once the pipeline accepted this one.'),
  max_reported_errors: z.number().int().min(0).default(20).describe('Malformed lines logged per file, each with file:line and reason; the rest are only counted (failed_log_records).'),
  service_name: z.string().default('okta').describe('Resource attribute service.name of every record.'),
  domain: z.string().optional().describe('Resource attribute okta.domain: the Okta org the events came from.'),
});

export type FileReceiverConfig = z.output<typeof fileReceiverConfigSchema>;
