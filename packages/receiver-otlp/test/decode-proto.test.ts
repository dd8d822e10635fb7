import { expect } from 'chai';
import { PermanentError } from '@oktel/core';
import { decodeLogsRequestProto } from '@oktel/receiver-otlp';

/** Hand-built protobuf, so the decoder is checked against the wire format itself. */
function varint(value: number): number[] {
  const out: number[] = [];
  let n = value;
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const field = (n: number, wire: number) => varint(n * 8 + wire);
const bytes = (n: number, body: number[]) => [...field(n, 2), ...varint(body.length), ...body];
const str = (n: number, s: string) => bytes(n, [...Buffer.from(s)]);

function request(): Uint8Array {
  const anyString = str(1, 'hello');
  const logRecord = [
    ...field(1, 1),
    ...Array.from(Buffer.from(new BigUint64Array([1_764_000_000_123_456_789n]).buffer)),
    ...field(2, 0),
    ...varint(9),
    ...str(3, 'INFO'),
    ...bytes(5, anyString),
    ...bytes(6, [...str(1, 'k'), ...bytes(2, [...field(3, 0), ...varint(42)])]),
    ...field(99, 0),
    ...varint(7), // a field from a future OTLP version: skipped
    ...str(12, 'user.session.start'),
  ];
  const scopeLogs = [...bytes(1, str(1, 'scope')), ...bytes(2, logRecord)];
  const resourceLogs = [...bytes(1, bytes(1, [...str(1, 'okta.domain'), ...bytes(2, str(1, 'acme.okta.com'))])), ...bytes(2, scopeLogs)];
  return new Uint8Array(bytes(1, resourceLogs));
}

describe('otlp protobuf decoder', () => {
  it('reads every field of a hand-built request and skips unknown fields', () => {
    const decoded = decodeLogsRequestProto(request());
    const rl = decoded.resourceLogs[0]!;
    expect(rl.attributes).to.deep.equal({ 'okta.domain': 'acme.okta.com' });
    const r = rl.scopeLogs[0]!.logRecords[0]!;
    expect(rl.scopeLogs[0]!.name).to.equal('scope');
    expect(r.timeUnixNano).to.equal(1_764_000_000_123_456_789n);
    expect(r.severityNumber).to.equal(9);
    expect(r.severityText).to.equal('INFO');
    expect(r.body).to.equal('hello');
    expect(r.attributes).to.deep.equal({ k: 42 });
    expect(r.eventName).to.equal('user.session.start');
  });

  it('refuses every truncation of a valid request with a decode error, never a crash or a hang', () => {
    const full = request();
    for (let cut = 1; cut < full.length; cut++) {
      try {
        decodeLogsRequestProto(full.subarray(0, cut));
      } catch (err) {
        expect(err, `cut at ${cut}`).to.be.instanceOf(PermanentError);
        expect((err as PermanentError).code).to.equal('ERR_OTLP_DECODE');
      }
    }
  });

  it('refuses values nested deeper than 64 levels', () => {
    let value = str(1, 'leaf');
    for (let i = 0; i < 80; i++) value = bytes(5, bytes(1, value)); // arrayValue { values: [value] }
    const logRecord = bytes(5, value);
    const req = new Uint8Array(bytes(1, bytes(2, bytes(2, logRecord))));
    expect(() => decodeLogsRequestProto(req)).to.throw(PermanentError, /nested deeper/);
  });
});
