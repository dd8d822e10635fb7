import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import { decodeOtlpLogsProto } from '@oktel/testkit';
import type { LogRecord } from '@oktel/core';
import { encodeLogsJson, encodeLogsJsonBytes, encodeLogsProto } from '../src/index.js';
import { randomBatch } from './random-records.js';

function reference(batch: LogRecord[]): { proto: Buffer; json: string } {
  const proto = ProtobufLogsSerializer.serializeRequest(batch)!;
  const json = JsonLogsSerializer.serializeRequest(batch)!;
  return { proto: Buffer.from(proto), json: Buffer.from(json).toString('utf8') };
}

function sampleRecords(): LogRecord[] {
  const lines = gunzipSync(readFileSync(new URL('../../../configs/samples/okta-system-log.jsonl.gz', import.meta.url)))
    .toString('utf8')
    .split('\n')
    .filter(Boolean);
  const context = {
    resource: oktaResource({ domain: 'acme.okta.com' }),
    scope: { name: 'oktel-receiver-okta', version: '0.1.0' },
    observedAtMs: 1_763_000_000_123,
  };
  return lines.map((line) => logEventToRecord(JSON.parse(line) as OktaLogEvent, context));
}

describe('otlp encoding against the OpenTelemetry JS serializers', () => {
  it('writes the same protobuf bytes as ProtobufLogsSerializer for every record of the bundled Okta day', () => {
    const records = sampleRecords();
    expect(records.length).to.be.greaterThan(1000);
    const ours = encodeLogsProto(records);
    expect(ours.equals(reference(records).proto)).to.equal(true);
  });

  it('writes the same OTLP/JSON text as JsonLogsSerializer for every record of the bundled Okta day', () => {
    const records = sampleRecords();
    expect(encodeLogsJson(records)).to.equal(reference(records).json);
  });

  it('decodes, with the official opentelemetry-proto schema, to the same request field by field over 300 random batches', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const batch = randomBatch(seed, 1 + (seed % 40));
      const ours = encodeLogsProto(batch);
      const theirs = reference(batch);
      expect(decodeOtlpLogsProto(ours), `seed ${seed}`).to.deep.equal(decodeOtlpLogsProto(theirs.proto));
      expect(ours.equals(theirs.proto), `seed ${seed}: protobuf bytes`).to.equal(true);
      expect(encodeLogsJson(batch), `seed ${seed}: JSON text`).to.equal(theirs.json);
    }
  });

  it("writes the same JSON as UTF-8 bytes, with an optional one-byte suffix (the file exporter's newline)", () => {
    const batch = randomBatch(11, 30);
    const text = reference(batch).json;
    expect(encodeLogsJsonBytes(batch).equals(Buffer.from(text, 'utf8'))).to.equal(true);
    expect(encodeLogsJsonBytes(batch, 0x0a).equals(Buffer.from(`${text}\n`, 'utf8'))).to.equal(true);
  });

  it('encodes an empty batch as an empty request', () => {
    expect(encodeLogsProto([]).length).to.equal(0);
    expect(encodeLogsJson([])).to.equal('{"resourceLogs":[]}');
  });

  it('returns a copy that the next batch does not overwrite', () => {
    const first = encodeLogsProto(randomBatch(7, 5));
    const snapshot = Buffer.from(first);
    encodeLogsProto(randomBatch(8, 50));
    expect(first.equals(snapshot)).to.equal(true);
  });
});
