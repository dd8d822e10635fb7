import type { Processor } from '../component.js';
import type { LogsConsumer } from '../consumer.js';
import type { LogBatch } from '../record.js';
import { Counters, type ComponentTelemetry } from './telemetry.js';

/** What a receiver hands batches to: counts accepted vs refused as the pipeline answers. */
export function countingReceiverOutput(telemetry: ComponentTelemetry, next: LogsConsumer): LogsConsumer {
  return {
    async consume(batch: LogBatch) {
      try {
        await next.consume(batch);
      } catch (err) {
        telemetry.add(Counters.receiverRefused, batch.length);
        throw err;
      }
      telemetry.add(Counters.receiverAccepted, batch.length);
    },
  };
}

/** Counts what a processor emits; paired with countingProcessorInput. */
export function countingProcessorOutput(telemetry: ComponentTelemetry, next: LogsConsumer): LogsConsumer {
  return {
    consume(batch: LogBatch) {
      telemetry.add(Counters.processorOutgoing, batch.length);
      return next.consume(batch);
    },
  };
}

export function countingProcessorInput(telemetry: ComponentTelemetry, processor: Processor): Processor {
  return {
    start: (host) => processor.start(host),
    shutdown: () => processor.shutdown(),
    ...(processor.reload ? { reload: () => processor.reload!() } : {}),
    consume(batch: LogBatch) {
      telemetry.add(Counters.processorIncoming, batch.length);
      return processor.consume(batch);
    },
  };
}
