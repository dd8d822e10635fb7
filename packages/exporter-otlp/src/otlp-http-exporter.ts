import { createQueuedExporter, PermanentError, type ComponentSettings, type Exporter, type Host, type LogBatch, type RequestCodec } from '@oktel/core';
import { logsUrl, type OtlpHttpConfig } from './config.js';
import { encodeBatch, partialSuccess, type EncodedBatch } from './encode.js';
import { createSender, type Sender } from './send.js';

/**
 * A queued batch on disk: the encoded body as base64. `gzip` is still written (and read), so
 * queues written by earlier versions resume and earlier versions can read a gzip queue.
 */
export const encodedBatchCodec: RequestCodec<EncodedBatch> = {
  marshal: (batch) => ({
    contentType: batch.contentType,
    gzip: batch.gzip,
    ...(batch.contentEncoding ? { contentEncoding: batch.contentEncoding } : {}),
    body: batch.body.toString('base64'),
  }),
  unmarshal: (stored) => {
    const { contentType, gzip, contentEncoding, body, records } = stored as {
      contentType?: unknown;
      gzip?: unknown;
      contentEncoding?: unknown;
      body?: unknown;
      records?: unknown;
    };
    if (typeof contentType !== 'string' || typeof body !== 'string' || typeof records !== 'number') throw new PermanentError('not an encoded OTLP batch');
    if (contentEncoding !== undefined && typeof contentEncoding !== 'string') throw new PermanentError('not an encoded OTLP batch');
    if (contentEncoding === undefined && typeof gzip !== 'boolean') throw new PermanentError('not an encoded OTLP batch');
    return {
      contentType,
      records,
      gzip: gzip === true || contentEncoding === 'gzip',
      body: Buffer.from(body, 'base64'),
      ...(typeof contentEncoding === 'string' && contentEncoding !== 'gzip' ? { contentEncoding } : {}),
    };
  },
};

/**
 * The `otlp_http` exporter. @oktel/otlp-encoding encodes (compression off the pipeline thread); delivery (queue, retries,
 * deadlines, metrics, bounded shutdown) is core's exporterhelper. This class adds only the HTTP
 * request and reading the OTLP partial success.
 */
export class OtlpHttpExporter implements Exporter {
  readonly #inner: Exporter;
  readonly #send: Sender;

  constructor(settings: ComponentSettings, config: OtlpHttpConfig, sender?: Sender) {
    this.#send = sender ?? createSender(logsUrl(config), config);
    this.#inner = createQueuedExporter<EncodedBatch>(settings, config, {
      encode: (records) => encodeBatch(records, { encoding: config.encoding, compression: config.compression, level: config.compression_level }),
      records: (batch) => batch.records,
      bytes: (batch) => batch.encodedBytes ?? batch.body.length,
      codec: encodedBatchCodec,
      mergeBatches: true,
      push: async (batch, signal) => {
        const result = await this.#send(batch, signal);
        const partial = partialSuccess(result.body, config.encoding);
        return partial ? { rejected: partial.rejected, message: partial.message } : undefined;
      },
      shutdown: async () => this.#send.close(),
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
