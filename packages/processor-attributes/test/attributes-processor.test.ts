import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { LogRecord } from '@oktel/core';
import { attributesConfigSchema, attributesProcessorFactory } from '@oktel/processor-attributes';
import { LogsSink, testSettings } from '@oktel/testkit';

const resource = resourceFromAttributes({ 'service.name': 'okta' });
function record(attributes: LogRecord['attributes']): LogRecord {
  return { hrTime: [1, 0], hrTimeObserved: [1, 0], attributes, resource, instrumentationScope: { name: 'test' }, droppedAttributesCount: 0, body: 'x' };
}

async function run(actions: unknown[], records: LogRecord[]): Promise<LogRecord[]> {
  const sink = new LogsSink();
  const processor = attributesProcessorFactory.create(testSettings('processor', 'attributes'), attributesConfigSchema.parse({ actions }), sink);
  await processor.consume(records);
  return sink.records;
}

describe('attributes processor', () => {
  it('inserts only where the key is absent, updates only where present, upserts always', async () => {
    const [a, b] = await run(
      [
        { key: 'tier', action: 'insert', value: 'gold' },
        { key: 'env', action: 'update', value: 'prod' },
        { key: 'team', action: 'upsert', value: 'iam' },
      ],
      [record({ tier: 'silver', env: 'dev' }), record({})],
    );
    expect(a!.attributes).to.deep.equal({ tier: 'silver', env: 'prod', team: 'iam' });
    expect(b!.attributes).to.deep.equal({ tier: 'gold', team: 'iam' });
  });

  it('copies from_attribute, and does nothing when the source attribute is missing', async () => {
    const [a, b] = await run([{ key: 'user', action: 'upsert', from_attribute: 'user.name' }], [record({ 'user.name': 'ann@acme.com' }), record({})]);
    expect(a!.attributes.user).to.equal('ann@acme.com');
    expect(b!.attributes).to.not.have.property('user');
  });

  it('deletes by key and by pattern, and hashes with SHA-256 as the Collector does', async () => {
    const [a] = await run(
      [
        { key: 'client.address', action: 'hash' },
        { pattern: '^okta\\.debug\\.', action: 'delete' },
      ],
      [record({ 'client.address': '203.0.113.7', 'okta.debug.requestId': 'r1', 'okta.debug.dt': 'd', keep: 1 })],
    );
    expect(a!.attributes).to.deep.equal({ 'client.address': createHash('sha256').update('203.0.113.7').digest('hex'), keep: 1 });
  });

  it('extracts named groups into new attributes and converts types', async () => {
    const [a] = await run(
      [
        { key: 'user.name', action: 'extract', pattern: '^(?<user_local>[^@]+)@(?<user_domain>.+)$' },
        { key: 'risk', action: 'convert', converted_type: 'int' },
      ],
      [record({ 'user.name': 'ann@acme.com', risk: '42.7' })],
    );
    expect(a!.attributes).to.include({ user_local: 'ann', user_domain: 'acme.com', risk: 42 });
  });

  it('leaves the incoming record untouched (fan-out shares it) and passes unchanged records through as is', async () => {
    const original = record({ env: 'dev' });
    const untouched = record({ other: true });
    const [changed, same] = await run([{ key: 'env', action: 'update', value: 'prod' }], [original, untouched]);
    expect(original.attributes.env).to.equal('dev');
    expect(changed!.attributes.env).to.equal('prod');
    expect(same).to.equal(untouched);
  });

  it('refuses configs the Collector would refuse, naming the key', () => {
    const bad = (action: unknown) => attributesConfigSchema.safeParse({ actions: [action] });
    expect(bad({ key: 'a', action: 'insert' }).success).to.equal(false);
    expect(bad({ key: 'a', action: 'insert', value: 1, from_attribute: 'b' }).success).to.equal(false);
    expect(bad({ key: 'a', action: 'extract', pattern: '(no named group)' }).success).to.equal(false);
    expect(bad({ key: 'a', action: 'extract', pattern: '(?<x>[' }).success).to.equal(false);
    expect(bad({ action: 'delete' }).success).to.equal(false);
    expect(bad({ key: 'a', action: 'rename', value: 1 }).success).to.equal(false);
    const result = bad({ key: 'a', action: 'convert' });
    expect(result.error!.issues[0]!.path).to.deep.equal(['actions', 0, 'converted_type']);
  });
});

describe('attributes processor include / exclude', () => {
  async function runWith(extra: Record<string, unknown>, records: LogRecord[]) {
    const sink = new LogsSink();
    const processor = attributesProcessorFactory.create(
      testSettings('processor', 'attributes'),
      attributesConfigSchema.parse({ actions: [{ key: 'data_stream.dataset', action: 'upsert', value: 'oktel.alert' }], ...extra }),
      sink,
    );
    await processor.consume(records);
    return sink.records.map((r) => r.attributes['data_stream.dataset']);
  }

  it('acts only on records matching include (all properties), never on those matching exclude', async () => {
    const alert = record({ 'event.kind': 'alert', 'security_rule.severity': 'high' });
    const low = record({ 'event.kind': 'alert', 'security_rule.severity': 'low' });
    const raw = record({ 'event.kind': 'event' });
    expect(await runWith({ include: { match_type: 'strict', attributes: [{ key: 'event.kind', value: 'alert' }] } }, [alert, low, raw])).to.deep.equal([
      'oktel.alert',
      'oktel.alert',
      undefined,
    ]);
    expect(
      await runWith(
        {
          include: { match_type: 'strict', attributes: [{ key: 'event.kind', value: 'alert' }] },
          exclude: { match_type: 'regexp', attributes: [{ key: 'security_rule.severity', value: '^(low|info)' }] },
        },
        [alert, low, raw],
      ),
    ).to.deep.equal(['oktel.alert', undefined, undefined]);
    expect(await runWith({ include: { match_type: 'strict', resources: [{ key: 'service.name', value: 'other' }] } }, [alert])).to.deep.equal([undefined]);
  });

  it('refuses an empty match block and a bad regex', () => {
    expect(attributesConfigSchema.safeParse({ actions: [{ key: 'a', action: 'delete' }], include: { match_type: 'strict' } }).success).to.equal(false);
    expect(
      attributesConfigSchema.safeParse({ actions: [{ key: 'a', action: 'delete' }], include: { match_type: 'regexp', log_bodies: ['('] } }).success,
    ).to.equal(false);
  });
});
