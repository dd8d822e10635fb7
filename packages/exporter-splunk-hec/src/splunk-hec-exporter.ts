import { Counters, createQueuedExporter, type ComponentSettings, type Exporter, type Host, type LogBatch } from '@oktel/core';
import { encodedBatchCodec, type EncodedBatch } from '@oktel/exporter-otlp';
import type { SplunkHecConfig } from './config.js';
import { encodeRequests } from './encode.js';
import { createHecSender, type HecSend } from './send.js';

/** Records the exporter could never send (too large for one request, not JSON). */
export const UNSENDABLE_LOG_RECORDS = 'unsendable_log_records';

/**
 * The `splunk_hec` exporter. It supplies only what is HEC's own — records as HEC request bodies
 * bounded by bytes, and one request sent (with indexer acknowledgement when on) — and core's
 * exporter helper does the rest, as for every exporter: bounded queue, persistence, retries with
 * backoff and Retry-After, deadlines, status and metrics, shutdown bounded by drain_timeout.
 */
export class SplunkHecExporter implements Exporter {
  readonly #inner: Exporter;

  constructor(settings: ComponentSettings, config: SplunkHecConfig, send?: HecSend) {
    const hecSend = send ?? createHecSender(config);
    this.#inner = createQueuedExporter<EncodedBatch>(settings, config, {
      encodeMany: (records) => {
        const { requests, rejected } = encodeRequests(records, config);
        if (rejected.length > 0) {
          // One bad record never stops the others: it is counted and named, the rest go on.
          settings.telemetry.add(Counters.exporterSendFailed, rejected.length);
          settings.telemetry.add(UNSENDABLE_LOG_RECORDS, rejected.length, 'Records that cannot be sent to HEC at all (too large, not JSON)');
          for (const r of rejected.slice(0, 5))
            settings.logger.error(`Dropping a record (${String(records[r.index]?.eventName ?? 'no event name')}) that ${r.reason}.`);
        }
        return requests;
      },
      records: (request) => request.records,
      codec: encodedBatchCodec,
      mergeBatches: true,
      push: (request, signal) => hecSend(request, signal),
    });
  }

  start(host: Host): Promise<void> {
    return this.#inner.start(host);
  }

  consume(batch: LogBatch): Promise<void> {
    return this.#inner.consume(batch);
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }
}
