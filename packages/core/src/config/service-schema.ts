import { z } from 'zod';
import { block, duration } from './schema.js';

const address = () => z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:8888');

export const pipelineSchema = z.strictObject({
  receivers: z.array(z.string()).min(1, 'a pipeline needs at least one receiver').describe('Receivers feeding this pipeline.'),
  processors: z.array(z.string()).default([]).describe('Processors, in the order records pass through them.'),
  exporters: z.array(z.string()).min(1, 'a pipeline needs at least one exporter').describe('Exporters every record of this pipeline goes to.'),
});

export const telemetrySchema = block({
  logs: block({
    level: z.enum(['debug', 'info', 'warn', 'error']).default('info').describe("Level of oktel's own log (stderr)."),
  }),
  metrics: block({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Serve Prometheus metrics of every component and of the process (on by default, as in the Collector). Two oktel processes on one host need different addresses.',
      ),
    address: address()
      .default('127.0.0.1:8888')
      .describe('Where /metrics is served (port 0: any free port, logged at start). Loopback unless you open it on purpose.'),
  }),
  health: block({
    enabled: z
      .boolean()
      .default(true)
      .describe('Serve /health: 200 while every component is ok, 503 with the status and reason of each failing component otherwise.'),
    address: address().default('127.0.0.1:13133').describe("Where /health is served (the Collector's health_check port; port 0: any free port)."),
    exporter_failure_timeout: duration()
      .prefault('5m')
      .describe(
        'An exporter whose sends have all failed for this long (none succeeded) is reported recoverable_error, so /health turns 503. 0 disables the check.',
      ),
  }),
  progress: block({
    interval: duration().prefault('10s').describe('How often a one-line status is printed when stderr is not a terminal (0 = never).'),
  }),
});

export const serviceSchema = z.strictObject({
  extensions: z.array(z.string()).default([]).describe('Extensions to start, by id.'),
  pipelines: z.record(z.string(), pipelineSchema).describe('Pipelines by id: `logs` or `logs/<name>`.'),
  telemetry: telemetrySchema.describe("oktel's own logs, metrics, health and progress."),
  drain_timeout: duration()
    .prefault('30s')
    .describe(
      'On SIGTERM/SIGINT (or a fatal error) the longest the whole shutdown may take: receivers stop first, then every component gets what is left of this time to drain; one that is still busy is abandoned with an error log. A second signal exits at once.',
    ),
});

export const topLevelSchema = z.strictObject({
  receivers: z.record(z.string(), z.unknown()).nullish(),
  processors: z.record(z.string(), z.unknown()).nullish(),
  exporters: z.record(z.string(), z.unknown()).nullish(),
  extensions: z.record(z.string(), z.unknown()).nullish(),
  connectors: z.record(z.string(), z.unknown()).nullish(),
  service: z.unknown().optional(),
});

export type PipelineConfig = z.output<typeof pipelineSchema>;
export type ServiceConfig = z.output<typeof serviceSchema>;
export type TelemetryConfig = z.output<typeof telemetrySchema>;
