import { expect } from 'chai';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { LogRecord } from '@oktel/core';
import { resourceConfigSchema, resourceProcessorFactory } from '@oktel/processor-resource';
import { LogsSink, testSettings } from '@oktel/testkit';

function record(resource: LogRecord['resource'], attributes: LogRecord['attributes'] = {}): LogRecord {
  return { hrTime: [1, 0], hrTimeObserved: [1, 0], attributes, resource, instrumentationScope: { name: 'test' }, droppedAttributesCount: 0 };
}

async function run(attributes: unknown[], records: LogRecord[]): Promise<LogRecord[]> {
  const sink = new LogsSink();
  const processor = resourceProcessorFactory.create(testSettings('processor', 'resource'), resourceConfigSchema.parse({ attributes }), sink);
  await processor.consume(records);
  return sink.records;
}

describe('resource processor', () => {
  it('sets deployment.environment.name and data_stream.dataset on the resource, leaving record attributes alone', async () => {
    const [out] = await run(
      [
        { key: 'deployment.environment.name', action: 'upsert', value: 'production' },
        { key: 'data_stream.dataset', action: 'insert', value: 'okta.system' },
      ],
      [record(resourceFromAttributes({ 'service.name': 'okta' }), { a: 1 })],
    );
    expect(out!.resource.attributes).to.deep.equal({
      'service.name': 'okta',
      'deployment.environment.name': 'production',
      'data_stream.dataset': 'okta.system',
    });
    expect(out!.attributes).to.deep.equal({ a: 1 });
  });

  it('keeps records that shared one resource sharing one resource, so exporters still group them into one ResourceLogs', async () => {
    const shared = resourceFromAttributes({ 'service.name': 'okta' });
    const other = resourceFromAttributes({ 'service.name': 'other' });
    const out = await run([{ key: 'host.name', action: 'upsert', value: 'shipper-1' }], [record(shared), record(shared), record(other)]);
    expect(out[0]!.resource).to.equal(out[1]!.resource);
    expect(out[0]!.resource).to.not.equal(shared);
    expect(out[2]!.resource).to.not.equal(out[0]!.resource);
    expect(shared.attributes).to.not.have.property('host.name');
  });

  it('deletes and hashes resource attributes, and passes records through unchanged when nothing applies', async () => {
    const resource = resourceFromAttributes({ 'service.name': 'okta', 'okta.domain': 'acme.okta.com' });
    const input = record(resource);
    const [out] = await run([{ key: 'okta.domain', action: 'delete' }], [input]);
    expect(out!.resource.attributes).to.deep.equal({ 'service.name': 'okta' });
    const [same] = await run([{ key: 'absent', action: 'delete' }], [input]);
    expect(same).to.equal(input);
  });
});
