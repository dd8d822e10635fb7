import { expect } from 'chai';
import {
  ComponentRegistry,
  ConfigError,
  errorMessage,
  fanout,
  isRetryable,
  OktelError,
  PermanentError,
  RetryableError,
  type LogBatch,
  type ReceiverFactory,
} from '@oktel/core';
import { z } from 'zod';

describe('errors', () => {
  it('retries what is retryable or unclassified, never what is permanent or a classified oktel error', () => {
    expect(isRetryable(new RetryableError('503'))).to.equal(true);
    expect(isRetryable(new Error('socket hang up'))).to.equal(true);
    expect(isRetryable('a string thrown')).to.equal(true);
    expect(isRetryable(new PermanentError('400'))).to.equal(false);
    expect(isRetryable(new ConfigError([{ path: [], message: 'bad' }]))).to.equal(false);
    expect(isRetryable(new OktelError('ERR_X', 'classified'))).to.equal(false);
  });

  it('carry a stable code, a context and the cause', () => {
    const cause = new Error('ECONNRESET');
    const retry = new RetryableError('later', { cause, retryAfterMs: 30_000 });
    expect([retry.code, retry.retryAfterMs, retry.cause, retry.name]).to.deep.equal(['ERR_RETRYABLE', 30_000, cause, 'RetryableError']);
    expect(retry.context).to.deep.equal({});
    const permanent = new PermanentError('no', { code: 'ERR_AUTH', context: { org: 'x' } });
    expect([permanent.code, permanent.context, permanent.cause]).to.deep.equal(['ERR_AUTH', { org: 'x' }, undefined]);
    expect(new PermanentError('no').code).to.equal('ERR_PERMANENT');
    expect('cause' in new OktelError('ERR_X', 'm')).to.equal(false);
  });

  it('name one config problem, or count several', () => {
    expect(new ConfigError([{ path: ['receivers', 'okta', 'org'], message: 'required', file: 'a.yaml', line: 3 }]).message).to.equal(
      'invalid configuration:\n  a.yaml:3: receivers::okta::org: required',
    );
    const two = new ConfigError([
      { path: [], message: 'one' },
      { path: ['x', 0], message: 'two' },
    ]);
    expect(two.message).to.equal('invalid configuration (2 problems):\n  one\n  x[0]: two');
    expect(two.code).to.equal('ERR_CONFIG');
  });

  it('give a message for anything thrown', () => {
    expect(errorMessage(new Error('boom'))).to.equal('boom');
    expect(errorMessage(42)).to.equal('42');
  });
});

describe('fanout', () => {
  const batch = [] as unknown as LogBatch;
  const ok = { consume: async () => undefined };
  const failing = (message: string) => ({ consume: async () => Promise.reject(new RetryableError(message)) });

  it('is the consumer itself when there is one', () => {
    expect(fanout([ok])).to.equal(ok);
  });

  it('delivers to every consumer and rethrows the one failure as it was', async () => {
    let delivered = 0;
    const counting = { consume: async () => void delivered++ };
    const err = await fanout([counting, failing('down'), counting])
      .consume(batch)
      .catch((e: unknown) => e);
    expect(delivered).to.equal(2);
    expect(err).to.be.instanceOf(RetryableError);
    expect((err as Error).message).to.equal('down');
    await fanout([ok, counting]).consume(batch);
    expect(delivered).to.equal(3);
  });

  it('reports every failure when several consumers fail', async () => {
    const err = await fanout([failing('a'), ok, failing('b')])
      .consume(batch)
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AggregateError);
    expect((err as AggregateError).errors.map((e: Error) => e.message)).to.deep.equal(['a', 'b']);
    expect((err as Error).message).to.equal('2 of 3 consumers failed');
  });
});

describe('component registry', () => {
  const factory = (type: string, aliases?: string[]): ReceiverFactory<unknown> => ({
    type,
    kind: 'receiver',
    description: type,
    stability: 'development',
    configSchema: z.unknown(),
    ...(aliases ? { aliases } : {}),
    create: () => ({ start: async () => undefined, shutdown: async () => undefined }),
  });

  it('finds factories by type and alias, lists canonical types, and refuses two claims on one name', () => {
    const registry = new ComponentRegistry([factory('otlp_http', ['otlphttp']), factory('file')]);
    expect(registry.get('receiver', 'otlphttp')?.type).to.equal('otlp_http');
    expect(registry.get('exporter', 'file')).to.equal(undefined);
    expect(registry.types('receiver')).to.deep.equal(['file', 'otlp_http']);
    expect(registry.types('processor')).to.deep.equal([]);
    expect(registry.list()).to.have.length(2);
    expect(() => registry.register(factory('otlphttp'))).to.throw(OktelError, 'two receiver factories claim the type "otlphttp"');
  });
});
