import { ATTRIBUTE_PROFILES, DEFAULT_ATTRIBUTE_PROFILE } from '@oktel/okta-log-event';
import { z } from 'zod';
import { duration, extensionId, size } from '@oktel/core';

export const fileReceiverConfigSchema = z.strictObject({
  path: z
    .string()
    .min(1)
    .describe('A file, or a directory whose *.json, *.jsonl, *.ndjson files (optionally .gz) are read in name order. Relative to the working directory.'),
  follow: z
    .boolean()
    .default(false)
    .describe(
      'Keep watching for appended lines and new files (like tail -F): a file renamed away (rotation) is read to its end and the new file at the path from its start; a truncated file is read again from the start; a deleted file is waited for. When false the receiver ends at end of input and a replay-only service then stops by itself.',
    ),
  poll_interval: duration().prefault('1s').describe('How often a followed path is checked for new data.'),
  batch_size: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(500)
    .describe('Records handed to the pipeline per batch; the next batch is read only once the pipeline accepted this one.'),
  max_line_size: size()
    .prefault('16MiB')
    .describe(
      'A line longer than this is skipped (counted in failed_log_records and logged with file:line), without being held in memory; the lines after it are read.',
    ),
  max_reported_errors: z
    .number()
    .int()
    .min(0)
    .default(20)
    .describe('Malformed lines logged per file, each with file:line and reason; the rest are only counted (failed_log_records).'),
  storage: extensionId()
    .optional()
    .describe(
      'A storage extension (e.g. file_storage) in which the position in each file is saved once its records were accepted; a restart resumes there instead of re-reading. Without it a restart reads everything again.',
    ),
  service_name: z.string().default('okta').describe('Resource attribute service.name of every record.'),
  attributes: z
    .enum(ATTRIBUTE_PROFILES)
    .default(DEFAULT_ATTRIBUTE_PROFILE)
    .describe(
      'Promoted attribute names: semantic (semantic conventions, okta.* where none applies; no duplicates), okta (okta.* names only), or both (every name, as before 0.2).',
    ),
  domain: z.string().optional().describe('Resource attribute okta.domain: the Okta org the events came from.'),
});

export type FileReceiverConfig = z.output<typeof fileReceiverConfigSchema>;
