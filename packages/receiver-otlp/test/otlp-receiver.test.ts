import { expect } from 'chai';
import { Agent } from 'node:https';
import { request as httpsRequest } from 'node:https';
import { OTLPLogExporter as ProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as JsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { PermanentError, RetryableError } from '@oktel/core';
import { LogsSink, selfSignedCertificate, tempDir, waitUntil } from '@oktel/testkit';
import { expectEveryField, fullRecord, SPAN_ID } from './full-record.js';
import { GatedConsumer, gzipSync, jsonRequest, post, startReceiver } from './helpers.js';

function exportWith(exporter: ProtoExporter | JsonExporter, records: ReadableLogRecord[]): Promise<{ code: number; error?: Error }> {
  return new Promise((resolve) => exporter.export(records, resolve));
}

describe('otlp receiver', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });
  async function started(...args: Parameters<typeof startReceiver>) {
    const r = await startReceiver(...args);
    stops.push(() => r.receiver.shutdown());
    return r;
  }

  it('receives every field sent by the OpenTelemetry JS protobuf exporter, gzip-compressed', async () => {
    const sink = new LogsSink();
    const { logsUrl } = await started(sink);
    const exporter = new ProtoExporter({ url: logsUrl, compression: 'gzip' as never });
    const result = await exportWith(exporter, [fullRecord()]);
    await exporter.shutdown();
    expect(result.code, String(result.error)).to.equal(0);
    expect(sink.records).to.have.length(1);
    expectEveryField(sink.records[0]!);
  });

  it('receives every field sent by the OpenTelemetry JS JSON exporter', async () => {
    const sink = new LogsSink();
    const { logsUrl } = await started(sink);
    const exporter = new JsonExporter({ url: logsUrl });
    const result = await exportWith(exporter, [fullRecord(), { ...fullRecord(), body: 'plain text body' } as ReadableLogRecord]);
    await exporter.shutdown();
    expect(result.code, String(result.error)).to.equal(0);
    expect(sink.records).to.have.length(2);
    expectEveryField(sink.records[0]!);
    expect(sink.records[1]!.body).to.equal('plain text body');
  });

  it('keeps one resource object per ResourceLogs, so exporters group the records again', async () => {
    const sink = new LogsSink();
    const { logsUrl } = await started(sink);
    const exporter = new ProtoExporter({ url: logsUrl });
    const first = fullRecord();
    const second = { ...fullRecord(), resource: first.resource } as ReadableLogRecord;
    const other = { ...fullRecord(), resource: resourceFromAttributes({ 'service.name': 'okta', 'okta.domain': 'beta.okta.com' }) } as ReadableLogRecord;
    await exportWith(exporter, [first, second, other]);
    await exporter.shutdown();
    const [a, b, c] = sink.records;
    expect(a!.resource).to.equal(b!.resource);
    expect(c!.resource).not.to.equal(a!.resource);
    expect(c!.resource.attributes['okta.domain']).to.equal('beta.okta.com');
  });

  it('answers 200 with partial success naming the rejected count when some records are invalid, and delivers the rest', async () => {
    const sink = new LogsSink();
    const { logsUrl, settings } = await started(sink);
    const body = jsonRequest([
      { timeUnixNano: '1764000000000000000', body: { stringValue: 'good' } },
      { timeUnixNano: '1764000000000000000', body: { stringValue: 'bad trace' }, traceId: 'not-hex' },
      { timeUnixNano: '1764000000000000000', body: { stringValue: 'short trace' }, traceId: 'abcd', spanId: SPAN_ID },
    ]);
    const res = await post(logsUrl, body, { 'content-type': 'application/json' });
    expect(res.status).to.equal(200);
    const answer = JSON.parse(res.body.toString()) as { partialSuccess: { rejectedLogRecords: string; errorMessage: string } };
    expect(answer.partialSuccess.rejectedLogRecords).to.equal('2');
    expect(answer.partialSuccess.errorMessage).to.contain('traceId');
    expect(sink.records.map((r) => r.body)).to.deep.equal(['good']);
    expect(settings.telemetry.get('failed_log_records')).to.equal(2);
  });

  it('answers 400 to an undecodable body, 415 to an unsupported content type, 404 elsewhere, 405 to GET', async () => {
    const sink = new LogsSink();
    const { logsUrl, receiver } = await started(sink);
    expect((await post(logsUrl, Buffer.from([0x0a, 0xff, 0xff, 0x01]), { 'content-type': 'application/x-protobuf' })).status).to.equal(400);
    expect((await post(logsUrl, '{"resourceLogs": ', { 'content-type': 'application/json' })).status).to.equal(400);
    expect((await post(logsUrl, 'hello', { 'content-type': 'text/plain' })).status).to.equal(415);
    expect((await post(logsUrl, gzipSync('{}'), { 'content-type': 'application/json', 'content-encoding': 'br' })).status).to.equal(415);
    expect((await post(`${receiver.url}/v1/traces`, '{}', { 'content-type': 'application/json' })).status).to.equal(404);
    expect((await fetch(logsUrl)).status).to.equal(405);
    expect(sink.count).to.equal(0);
  });

  it('answers 413 to a body over max_request_body_size, declared or inflated from gzip', async () => {
    const sink = new LogsSink();
    const { logsUrl } = await started(sink, { max_request_body_size: '64KiB' });
    const big = jsonRequest([{ body: { stringValue: 'x'.repeat(200_000) } }]);
    expect((await post(logsUrl, big, { 'content-type': 'application/json' })).status).to.equal(413);
    const bomb = gzipSync(big);
    expect(bomb.length).to.be.lessThan(64 * 1024);
    expect((await post(logsUrl, bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).to.equal(413);
    expect(
      (await post(logsUrl, gzipSync(jsonRequest([{ body: { stringValue: 'small' } }])), { 'content-type': 'application/json', 'content-encoding': 'gzip' }))
        .status,
    ).to.equal(200);
    expect(sink.count).to.equal(1);
  });

  it('does not answer 200 before the pipeline accepted the batch', async () => {
    const gate = new GatedConsumer();
    const { logsUrl } = await started(gate);
    let answered = false;
    const response = post(logsUrl, jsonRequest([{ body: { stringValue: 'held' } }]), { 'content-type': 'application/json' }).then((r) => {
      answered = true;
      return r;
    });
    await waitUntil(
      () => gate.pending > 0,
      5000,
      () => 'the batch to reach the pipeline',
      10,
    );
    expect(gate.pending).to.equal(1);
    // Nothing to await for an answer that must not come: a premature 200 over loopback would be
    // back well within this bound.
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).to.equal(false);
    gate.releaseAll();
    expect((await response).status).to.equal(200);
    expect(gate.accepted).to.have.length(1);
  });

  it('answers 503 with Retry-After when the pipeline refuses the batch for now, and 400 when it refuses it for good', async () => {
    const sink = new LogsSink();
    const { logsUrl } = await started(sink);
    sink.failWith = new RetryableError('exporter queue is blocked', { retryAfterMs: 7_000 });
    const busy = await post(logsUrl, jsonRequest([{ body: { stringValue: 'x' } }]), { 'content-type': 'application/json' });
    expect(busy.status).to.equal(503);
    expect(busy.headers.get('retry-after')).to.equal('7');
    sink.failWith = new RetryableError('queue full', { code: 'ERR_QUEUE_FULL' });
    const full = await post(logsUrl, jsonRequest([{ body: { stringValue: 'x' } }]), { 'content-type': 'application/json' });
    expect(full.status).to.equal(429);
    expect(full.headers.get('retry-after')).to.equal('5');
    sink.failWith = new PermanentError('cannot encode');
    expect((await post(logsUrl, jsonRequest([{ body: { stringValue: 'x' } }]), { 'content-type': 'application/json' })).status).to.equal(400);
  });

  it('answers 429 with Retry-After once max_concurrent_requests batches wait on the pipeline', async () => {
    const gate = new GatedConsumer();
    const { logsUrl } = await started(gate, {}, { max_concurrent_requests: 2, retry_after: '3s' });
    const held = [1, 2].map(() => post(logsUrl, jsonRequest([{ body: { stringValue: 'held' } }]), { 'content-type': 'application/json' }));
    await waitUntil(
      () => gate.pending === 2,
      5000,
      () => `two batches held by the pipeline (have ${gate.pending})`,
      10,
    );
    const third = await post(logsUrl, jsonRequest([{ body: { stringValue: 'third' } }]), { 'content-type': 'application/json' });
    expect(third.status).to.equal(429);
    expect(third.headers.get('retry-after')).to.equal('3');
    gate.releaseAll();
    expect((await Promise.all(held)).map((r) => r.status)).to.deep.equal([200, 200]);
  });

  it('retries through the SDK exporter: a 503 with Retry-After, then accepted', async () => {
    const sink = new LogsSink();
    const { logsUrl } = await started(sink, {}, { retry_after: '1s' });
    let refusals = 1;
    const consume = sink.consume.bind(sink);
    sink.consume = async (batch) => {
      if (refusals-- > 0) throw new RetryableError('busy');
      return consume(batch);
    };
    const exporter = new ProtoExporter({ url: logsUrl });
    const result = await exportWith(exporter, [fullRecord()]);
    await exporter.shutdown();
    expect(result.code).to.equal(0);
    expect(sink.count).to.equal(1);
  });

  it('requires the bearer token when configured and never echoes it', async () => {
    const sink = new LogsSink();
    const { logsUrl, settings } = await started(sink, { auth: { bearer_token: 'tok-otlp-secret-1234' } });
    const body = jsonRequest([{ body: { stringValue: 'x' } }]);
    const none = await post(logsUrl, body, { 'content-type': 'application/json' });
    expect(none.status).to.equal(401);
    expect(none.headers.get('www-authenticate')).to.equal('Bearer');
    expect((await post(logsUrl, body, { 'content-type': 'application/json', authorization: 'Bearer tok-otlp-secret-123' })).status).to.equal(401);
    expect((await post(logsUrl, body, { 'content-type': 'application/json', authorization: 'Bearer tok-otlp-secret-1234' })).status).to.equal(200);
    expect(sink.count).to.equal(1);
    expect(settings.logs.lines.join('\n')).not.to.contain('tok-otlp-secret-1234');
  });

  it('requires a configured header, as the SDK exporter sends it', async () => {
    const sink = new LogsSink();
    const { logsUrl } = await started(sink, { auth: { header: { name: 'X-Api-Key', value: 'key-0987654321' } } });
    const wrong = new ProtoExporter({ url: logsUrl, headers: { 'x-api-key': 'key-wrong' } });
    expect((await exportWith(wrong, [fullRecord()])).code).to.equal(1);
    await wrong.shutdown();
    const right = new ProtoExporter({ url: logsUrl, headers: { 'x-api-key': 'key-0987654321' } });
    expect((await exportWith(right, [fullRecord()])).code).to.equal(0);
    await right.shutdown();
    expect(sink.count).to.equal(1);
  });

  it('serves HTTPS with cert_file and key_file', async function () {
    this.timeout(30_000);
    const dir = tempDir();
    stops.push(async () => dir.cleanup());
    const { cert, key } = selfSignedCertificate(dir.path, { commonName: '127.0.0.1', subjectAltName: 'IP:127.0.0.1' });
    const sink = new LogsSink();
    const { receiver } = await started(sink, { tls: { cert_file: cert, key_file: key } });
    expect(receiver.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    const { readFileSync } = await import('node:fs');
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(
        `${receiver.url}/v1/logs`,
        { method: 'POST', agent: new Agent({ ca: readFileSync(cert) }), headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(jsonRequest([{ body: { stringValue: 'over tls' } }]));
    });
    expect(status).to.equal(200);
    expect(sink.records[0]!.body).to.equal('over tls');
  });

  it('fails start-up loudly when the port is taken', async () => {
    const { receiver } = await started(new LogsSink());
    const port = new URL(receiver.url).port;
    let error: unknown;
    try {
      await startReceiver(new LogsSink(), { endpoint: `127.0.0.1:${port}` });
    } catch (err) {
      error = err;
    }
    expect(String(error)).to.contain('EADDRINUSE');
  });
});
