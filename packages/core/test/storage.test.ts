import { expect } from 'chai';
import { PermanentError, storageClient, type Host, type StorageClient } from '@oktel/core';

function hostWith(extensions: Record<string, unknown>): Host {
  return { getExtension: (id) => extensions[id], reportHealth: () => undefined, reportStatus: () => undefined };
}

describe('storage lookup', () => {
  it("returns the extension's client for this component's kind and id", async () => {
    const asked: string[] = [];
    const client = { directory: '/tmp/x' } as StorageClient;
    const extension = {
      isStorage: true,
      client: async (kind: string, id: string) => {
        asked.push(`${kind}/${id}`);
        return client;
      },
    };
    expect(await storageClient(hostWith({ file_storage: extension }), 'file_storage', 'receiver', 'okta')).to.equal(client);
    expect(asked).to.deep.equal(['receiver/okta']);
  });

  it('fails permanently, naming the id, when no started storage extension has it', async () => {
    for (const extensions of [{}, { file_storage: { client: async () => ({}) } }]) {
      const err = await storageClient(hostWith(extensions), 'file_storage', 'exporter', 'otlp_http').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(PermanentError);
      expect((err as PermanentError).code).to.equal('ERR_STORAGE_MISSING');
      expect((err as Error).message).to.contain('"file_storage"');
    }
  });
});
