import { expect } from 'chai';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { LogRecord } from '@oktel/core';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
export const SPAN_ID = 'eee19b7ec3c1b174';

/** A record using every field of the OTLP LogRecord, as an SDK would hand it to its exporter. */
export function fullRecord(): ReadableLogRecord {
  return {
    hrTime: [1_764_000_000, 123_456_789],
    hrTimeObserved: [1_764_000_001, 987_654_321],
    spanContext: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 },
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: { uuid: 'e-1', eventType: 'user.session.start', nested: { list: [1, 'two', true, 2.5], empty: {} } },
    eventName: 'user.session.start',
    attributes: { 'user.name': 'alice@example.com', count: 42, ratio: 0.25, flag: false, tags: ['a', 'b'] },
    resource: resourceFromAttributes({ 'service.name': 'okta', 'okta.domain': 'acme.okta.com' }),
    instrumentationScope: { name: '@acme/okta-forwarder', version: '1.2.3', schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
    droppedAttributesCount: 3,
  } as ReadableLogRecord;
}

export function expectEveryField(record: LogRecord): void {
  expect(record.hrTime).to.deep.equal([1_764_000_000, 123_456_789]);
  expect(record.hrTimeObserved).to.deep.equal([1_764_000_001, 987_654_321]);
  expect(record.spanContext).to.deep.include({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 });
  expect(record.severityNumber).to.equal(SeverityNumber.WARN);
  expect(record.severityText).to.equal('WARN');
  expect(record.body).to.deep.equal({ uuid: 'e-1', eventType: 'user.session.start', nested: { list: [1, 'two', true, 2.5], empty: {} } });
  expect(record.eventName).to.equal('user.session.start');
  expect(record.attributes).to.deep.equal({ 'user.name': 'alice@example.com', count: 42, ratio: 0.25, flag: false, tags: ['a', 'b'] });
  expect(record.resource.attributes).to.deep.equal({ 'service.name': 'okta', 'okta.domain': 'acme.okta.com' });
  expect(record.instrumentationScope).to.deep.equal({ name: '@acme/okta-forwarder', version: '1.2.3', schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' });
  expect(record.droppedAttributesCount).to.equal(3);
}
