import { expect } from 'chai';
import { logEventOf } from '@oktel/okta-log-event';
import { LogsSink, fixture } from '@oktel/testkit';
import { jsonRequest, post, startReceiver } from './helpers.js';

const event = fixture('user-session-start.json') as Record<string, unknown>;

function asAnyValue(value: unknown): Record<string, unknown> {
  if (value === null) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(asAnyValue) } };
  return { kvlistValue: { values: Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, value: asAnyValue(v) })) } };
}

describe('otlp receiver: Okta events forwarded by other pipelines', () => {
  it('yields records whose Okta event the detection engine reads, from a map body and from a JSON-string body, and nothing from free text', async () => {
    const sink = new LogsSink();
    const { receiver, logsUrl } = await startReceiver(sink);
    try {
      const body = jsonRequest(
        [
          { timeUnixNano: '1795183407481000000', body: asAnyValue(event) },
          { timeUnixNano: '1795183407481000000', body: { stringValue: JSON.stringify(event) } },
          { timeUnixNano: '1795183407481000000', body: { stringValue: 'GET /healthz 200' } },
          { timeUnixNano: '1795183407481000000', body: { stringValue: '{"msg":"json app log without an Okta eventType"}' } },
        ],
        { 'service.name': 'okta', 'okta.domain': 'acme.okta.com' },
      );
      expect((await post(logsUrl, body, { 'content-type': 'application/json' })).status).to.equal(200);
      const [fromMap, fromString, freeText, appJson] = sink.records.map((r) => logEventOf(r));
      expect(fromMap?.uuid).to.equal(event.uuid);
      expect(fromMap?.eventType).to.equal('user.session.start');
      expect(fromString).to.deep.equal(event);
      expect(freeText).to.equal(undefined);
      expect(appJson).to.equal(undefined);
    } finally {
      await receiver.shutdown();
    }
  });
});
