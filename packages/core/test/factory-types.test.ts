import { expect } from 'chai';
import { z } from 'zod';
import type { Receiver, ReceiverFactory } from '@oktel/core';

// Checked by `tsc` (the first step of `pnpm test`): a factory's config type is its schema's output.
const schema = z.strictObject({ port: z.number().int().default(4318), host: z.string().default('127.0.0.1') });
const idle: Receiver = { start: async () => undefined, shutdown: async () => undefined };

describe('component factory types', () => {
  it("hands create the schema's output, defaults filled, as the config type", () => {
    const seen: { port: number; host: string }[] = [];
    const factory: ReceiverFactory<z.output<typeof schema>> = {
      type: 'typed',
      kind: 'receiver',
      description: 'typed',
      stability: 'development',
      configSchema: schema,
      create: (_settings, config) => {
        seen.push(config);
        return idle;
      },
    };
    factory.create({} as never, factory.configSchema.parse({ port: 1 }), { consume: async () => undefined });
    expect(seen).to.deep.equal([{ port: 1, host: '127.0.0.1' }]);
  });

  it('refuses a schema whose output is not the config type', () => {
    const mismatched: ReceiverFactory<{ port: string }> = {
      type: 'typed',
      kind: 'receiver',
      description: 'typed',
      stability: 'development',
      // @ts-expect-error port is a number in the schema's output, a string in the config type
      configSchema: schema,
      create: () => idle,
    };
    expect(mismatched.configSchema.safeParse({ port: 'x' }).success).to.equal(false);
  });
});
