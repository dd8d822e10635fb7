import { z } from 'zod';
import { pushExporter, type ExporterFactory, type LogsConsumer, type ReceiverFactory, type LogBatch } from '@oktel/core';
import type { LogsSink } from './logs-sink.js';

/** An exporter type whose instances deliver into the given sink, for service-level tests. */
export function sinkExporterFactory(type: string, sink: LogsSink): ExporterFactory<Record<string, never>> {
  return {
    type,
    kind: 'exporter',
    description: 'Test exporter that records batches in memory.',
    stability: 'development',
    configSchema: z.strictObject({}),
    create: (settings) => pushExporter(settings, { push: (batch) => sink.consume(batch) }),
  };
}

/** A receiver type that emits the given batches once, then is done. */
export function batchesReceiverFactory(type: string, batches: () => LogBatch[]): ReceiverFactory<Record<string, never>> {
  return {
    type,
    kind: 'receiver',
    description: 'Test receiver that emits fixed batches.',
    stability: 'development',
    configSchema: z.strictObject({}),
    create: (_settings, _config, next: LogsConsumer) => {
      let done: Promise<void> | undefined;
      return {
        async start() {
          done = (async () => {
            for (const batch of batches()) await next.consume(batch);
          })();
        },
        whenDone: () => done,
        async shutdown() {
          await done;
        },
      };
    },
  };
}
