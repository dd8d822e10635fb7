import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileStorageConfigSchema, FileStorage } from '@oktel/extension-file-storage';
import { tempDir, testSettings } from '@oktel/testkit';

function storageAt(directory: string): FileStorage {
  return new FileStorage(testSettings('extension', 'file_storage'), fileStorageConfigSchema.parse({ directory }));
}

describe('file_storage extension', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('stores, lists and deletes keys per component, isolated from other components', async () => {
    const storage = storageAt(join(dir.path, 'store'));
    await storage.start();
    const okta = await storage.client('receiver', 'okta/prod');
    const other = await storage.client('receiver', 'okta_prod');
    await okta.set('cursor', 'after=abc');
    await okta.set('dedup/0', Buffer.from([1, 2, 3]));
    expect((await okta.get('cursor'))?.toString()).to.equal('after=abc');
    expect(await other.get('cursor')).to.equal(undefined);
    expect(await okta.list()).to.deep.equal(['cursor', 'dedup/0']);
    expect(await okta.list('dedup/')).to.deep.equal(['dedup/0']);
    await okta.delete('cursor');
    await okta.delete('cursor');
    expect(await okta.get('cursor')).to.equal(undefined);
    await storage.shutdown();
  });

  it('keeps values across a restart and clears temp files a crash left', async () => {
    const directory = join(dir.path, 'store');
    const first = storageAt(directory);
    await first.start();
    const client = await first.client('exporter', 'otlp_http');
    await client.set('k', 'v1');
    writeFileSync(join(client.directory, 'k.tmp-999-deadbeef'), 'half a val');
    const second = storageAt(directory);
    await second.start();
    const again = await second.client('exporter', 'otlp_http');
    expect((await again.get('k'))?.toString()).to.equal('v1');
    expect(readdirSync(again.directory)).to.deep.equal(['k']);
  });

  it('fails to start when the directory is missing and create_directory is false', async () => {
    const storage = new FileStorage(
      testSettings('extension', 'file_storage'),
      fileStorageConfigSchema.parse({ directory: join(dir.path, 'missing'), create_directory: false }),
    );
    let error: unknown;
    await storage.start().catch((err: unknown) => (error = err));
    expect(String(error)).to.contain('does not exist');
  });

  it('leaves the old or the new value, never a torn one, when killed -9 mid-write', async function () {
    this.timeout(60_000);
    const size = 4 * 1024 * 1024;
    const writer = new URL('./fixtures/alternating-writer.ts', import.meta.url).pathname;
    for (let round = 0; round < 5; round++) {
      const directory = join(dir.path, `round-${round}`);
      const child = spawn(process.execPath, ['--import', 'tsx', writer, directory, String(size)], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      });
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 60));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      const storage = storageAt(directory);
      await storage.start();
      const value = await (await storage.client('receiver', 'okta')).get('checkpoint');
      expect(value, `round ${round}`).to.not.equal(undefined);
      expect(value!.length).to.equal(size);
      const first = value![0];
      expect(first === 0x61 || first === 0x62).to.equal(true);
      expect(
        value!.every((byte) => byte === first),
        `round ${round}: a torn value mixes old and new bytes`,
      ).to.equal(true);
    }
  });
});
