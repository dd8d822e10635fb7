import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStorage, fileStorageConfigSchema, withStorageRetry } from '@oktel/extension-file-storage';
import { tempDir, testHost, testSettings, waitUntil } from '@oktel/testkit';

const ROOT = new URL('../../..', import.meta.url).pathname;

function storageAt(directory: string, config: Record<string, unknown> = {}) {
  const settings = testSettings('extension', 'file_storage');
  return { settings, storage: new FileStorage(settings, fileStorageConfigSchema.parse({ directory, ...config })) };
}

describe('file_storage: one process per directory', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('makes a second live process using the directory fail fast, naming the directory and the pid holding it', async function () {
    this.timeout(30_000);
    const directory = join(dir.path, 'store');
    const { storage } = storageAt(directory);
    await storage.start();
    const script = `import { FileStorage, fileStorageConfigSchema } from '@oktel/extension-file-storage';
import { testSettings } from '@oktel/testkit';
const s = new FileStorage(testSettings('extension', 'file_storage'), fileStorageConfigSchema.parse({ directory: ${JSON.stringify(directory)} }));
try { await s.start(); console.log('started'); } catch (err) { console.log(String(err.message)); }`;
    const file = join(ROOT, 'packages/extension-file-storage/test/fixtures', `lock-probe-${process.pid}.ts`);
    writeFileSync(file, script);
    try {
      const output = execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
      expect(output.trim()).to.equal(
        `storage directory ${directory} is in use by process ${process.pid} (another oktel?): stop it, or give this one another file_storage directory`,
      );
    } finally {
      rmSync(file);
      await storage.shutdown();
    }
  });

  it('takes over a lock left by a process that is gone (kill -9)', async function () {
    this.timeout(20_000);
    const directory = join(dir.path, 'store');
    mkdirSync(directory);
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const pid = child.pid!;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    writeFileSync(join(directory, '.oktel.lock'), `${pid}\n`);
    const { storage, settings } = storageAt(directory);
    await storage.start();
    expect(settings.logs.text).to.contain(`took over the lock of ${directory} left by process ${pid}, which is gone`);
    await storage.shutdown();
  });
});

describe('file_storage: disk faults are retried and reported, never a crash', () => {
  it('retries an injected ENOSPC with backoff, reports it, and succeeds once space is back', async () => {
    let calls = 0;
    const reports: string[] = [];
    const result = await withStorageRetry(
      'writing q/1',
      async () => {
        calls++;
        if (calls < 3) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        return 'written';
      },
      { failing: (r) => reports.push(`failing: ${r}`), recovered: () => reports.push('recovered') },
      { initialMs: 1, maxMs: 2, maxElapsedMs: 10_000 },
    );
    expect(result).to.equal('written');
    expect(calls).to.equal(3);
    expect(reports).to.deep.equal([
      'failing: writing q/1 failed with ENOSPC: no space left on device',
      'failing: writing q/1 failed with ENOSPC: no space left on device',
      'recovered',
    ]);
  });

  it('gives the caller a retryable error after fault_timeout, and never retries errors of the data', async () => {
    const eio = withStorageRetry(
      'reading k',
      () => Promise.reject(Object.assign(new Error('i/o error'), { code: 'EIO' })),
      { failing: () => undefined, recovered: () => undefined },
      { initialMs: 1, maxMs: 2, maxElapsedMs: 20 },
    );
    const error = await eio.then(
      () => undefined,
      (err: unknown) => err as { code?: string; message: string },
    );
    expect(error?.code).to.equal('ERR_STORAGE_FAULT');
    let calls = 0;
    const other = await withStorageRetry(
      'reading k',
      () => {
        calls++;
        return Promise.reject(new TypeError('bad key'));
      },
      { failing: () => undefined, recovered: () => undefined },
      { initialMs: 1, maxMs: 2, maxElapsedMs: 1_000 },
    ).catch((err: unknown) => err);
    expect(other).to.be.instanceOf(TypeError);
    expect(calls).to.equal(1);
  });

  describe('on a real small tmpfs', () => {
    let dir: ReturnType<typeof tempDir>;
    let mount: string;
    before(() => {
      dir = tempDir();
      mount = join(dir.path, 'tmpfs');
      mkdirSync(mount);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mount]);
    });
    after(() => {
      execFileSync('umount', [mount]);
      dir.cleanup();
    });

    it('waits out a full disk (ENOSPC) reporting recoverable_error, then writes once space is freed', async function () {
      this.timeout(20_000);
      const { storage } = storageAt(join(mount, 'store'), { fsync: false });
      const host = testHost();
      await storage.start(host);
      const client = await storage.client('exporter', 'otlp_http');
      const filler = join(mount, 'filler');
      const handle = await open(filler, 'w');
      try {
        await handle.write(Buffer.alloc(1024 * 1024));
      } catch {
        // The disk is now full.
      }
      await handle.close();
      const write = client.set('batch-1', Buffer.alloc(64 * 1024, 1));
      await waitUntil(
        () => host.health.get('extension/file_storage')?.healthy === false,
        10_000,
        () => 'a recoverable_error status',
        10,
      );
      expect(host.statuses.get('extension/file_storage')![0]).to.deep.include({ status: 'recoverable_error' });
      expect(host.statuses.get('extension/file_storage')![0]!.reason).to.contain('ENOSPC');
      rmSync(filler);
      await write;
      expect((await client.get('batch-1'))?.length).to.equal(64 * 1024);
      expect(host.statuses.get('extension/file_storage')!.at(-1)!.status).to.equal('ok');
      await storage.shutdown();
    });

    it('waits out a read-only remount (EROFS), then writes once it is writable again', async function () {
      this.timeout(20_000);
      const { storage } = storageAt(join(mount, 'store-ro'), { fsync: false });
      const host = testHost();
      await storage.start(host);
      const client = await storage.client('receiver', 'okta');
      execFileSync('mount', ['-o', 'remount,ro', mount]);
      let write: Promise<void>;
      try {
        write = client.set('cursor', 'after=abc');
        await waitUntil(
          () => host.health.get('extension/file_storage')?.healthy === false,
          10_000,
          () => 'a recoverable_error status',
          10,
        );
        expect(host.statuses.get('extension/file_storage')![0]!.reason).to.contain('EROFS');
      } finally {
        execFileSync('mount', ['-o', 'remount,rw', mount]);
      }
      await write;
      expect((await client.get('cursor'))?.toString()).to.equal('after=abc');
      await storage.shutdown();
    });
  });
});

describe('file_storage: fsync is done when configured', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('fsyncs the value and its directory entry with fsync: true, and not with fsync: false', async () => {
    const probe = await open(join(dir.path, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const original = proto.sync;
    let syncs = 0;
    proto.sync = function (this: unknown) {
      syncs++;
      return original.call(this);
    };
    try {
      for (const fsync of [true, false]) {
        syncs = 0;
        const { storage } = storageAt(join(dir.path, `store-${fsync}`), { fsync });
        await storage.start();
        const client = await storage.client('receiver', 'okta');
        await client.set('cursor', 'x');
        await storage.shutdown();
        expect(syncs, `fsync: ${fsync}`).to.equal(fsync ? 2 : 0);
      }
    } finally {
      proto.sync = original;
    }
  });
});
