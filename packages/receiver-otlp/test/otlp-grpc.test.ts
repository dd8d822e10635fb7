import { expect } from 'chai';
import { credentials, Metadata } from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { OTLPLogExporter as GrpcExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { RetryableError } from '@oktel/core';
import { LogsSink, selfSignedCertificate, tempDir, testHost, testSettings } from '@oktel/testkit';
import { otlpReceiverConfigSchema, OtlpReceiver } from '@oktel/receiver-otlp';
import { expectEveryField, fullRecord } from './full-record.js';

function exportWith(exporter: GrpcExporter, records: ReadableLogRecord[]): Promise<{ code: number; error?: Error }> {
  return new Promise((resolve) => exporter.export(records, resolve));
}

describe('otlp receiver over gRPC', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  async function started(sink: LogsSink, grpc: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
    const settings = testSettings('receiver', 'otlp');
    const receiver = new OtlpReceiver(settings, otlpReceiverConfigSchema.parse({ protocols: { grpc: { endpoint: '127.0.0.1:0', ...grpc } }, ...extra }), sink);
    await receiver.start(testHost());
    stops.push(() => receiver.shutdown());
    return { receiver, url: `http://${receiver.grpcAddress}` };
  }

  function exporter(url: string, options: Record<string, unknown> = {}): GrpcExporter {
    const e = new GrpcExporter({ url, ...options });
    stops.push(() => e.shutdown());
    return e;
  }

  it('receives every field sent by the OpenTelemetry JS gRPC exporter, gzip-compressed, and serves no HTTP unless asked', async () => {
    const sink = new LogsSink();
    const { url, receiver } = await started(sink);
    expect(receiver.url).to.equal('');
    const result = await exportWith(exporter(url, { compression: 'gzip' }), [fullRecord()]);
    expect(result.code, String(result.error)).to.equal(0);
    expect(sink.records).to.have.length(1);
    expectEveryField(sink.records[0]!);
  });

  it("answers UNAVAILABLE with google.rpc.RetryInfo when the pipeline pushes back, and accepts the sender's retry", async () => {
    // The JS gRPC exporter (0.223.1) does not retry by itself; the Collector's exporters do, on
    // UNAVAILABLE and on RESOURCE_EXHAUSTED with RetryInfo. The test plays the sender's retry.
    const sink = new LogsSink();
    const { url } = await started(sink, {}, { retry_after: '2s' });
    sink.failWith = new RetryableError('exporter queue blocked');
    const e = exporter(url);
    const refused = await exportWith(e, [fullRecord()]);
    expect(refused.code).to.equal(1);
    const error = refused.error as Error & { code?: number; details?: string; metadata?: Metadata };
    expect(error.code).to.equal(14);
    expect(error.details).to.equal('the pipeline cannot take the batch now: exporter queue blocked');
    const details = error.metadata?.get('grpc-status-details-bin')[0] as Buffer | undefined;
    expect(details?.toString('latin1')).to.contain('type.googleapis.com/google.rpc.RetryInfo');
    sink.failWith = undefined;
    expect((await exportWith(e, [fullRecord()])).code).to.equal(0);
    expect(sink.count).to.equal(1);
  });

  it('requires the bearer token from gRPC metadata when configured', async () => {
    const sink = new LogsSink();
    const { url } = await started(sink, { auth: { bearer_token: 'tok-grpc-secret-5678' } });
    const anonymous = await exportWith(exporter(url), [fullRecord()]);
    expect(anonymous.code).to.equal(1);
    expect(String(anonymous.error)).to.match(/UNAUTHENTICATED|16/);
    const metadata = new Metadata();
    metadata.set('authorization', 'Bearer tok-grpc-secret-5678');
    expect((await exportWith(exporter(url, { metadata }), [fullRecord()])).code).to.equal(0);
    expect(sink.count).to.equal(1);
  });

  it('serves gRPC over TLS (h2) with cert_file and key_file', async function () {
    this.timeout(30_000);
    const dir = tempDir();
    stops.push(async () => dir.cleanup());
    const { cert, key } = selfSignedCertificate(dir.path, { commonName: 'localhost', subjectAltName: 'DNS:localhost,IP:127.0.0.1' });
    const sink = new LogsSink();
    const { receiver } = await started(sink, { tls: { cert_file: cert, key_file: key } });
    const port = receiver.grpcAddress.split(':')[1];
    const e = exporter(`https://localhost:${port}`, { credentials: credentials.createSsl(readFileSync(cert)) });
    const result = await exportWith(e, [fullRecord()]);
    expect(result.code, String(result.error)).to.equal(0);
    expect(sink.count).to.equal(1);
  });
});
