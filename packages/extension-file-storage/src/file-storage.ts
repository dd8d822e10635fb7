import { mkdir, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { OktelError, type ComponentSettings, type Extension, type Host, type StorageClient, type StorageExtension } from '@oktel/core';
import { fsyncDirectory, TEMP_MARKER, writeFileAtomic } from './atomic-file.js';
import type { FileStorageConfig } from './config.js';
import { escapeName, unescapeName } from './escape.js';
import { acquireLock, releaseLock } from './lock.js';
import { withStorageRetry, type FaultReporter, type RetryOptions } from './retry.js';

export const CORRUPT_MARKER = '.corrupt-';

class FileStorageClient implements StorageClient {
  readonly directory: string;
  readonly #fsync: boolean;
  readonly #reporter: FaultReporter;
  readonly #retry: RetryOptions;
  readonly #settings: ComponentSettings;

  constructor(directory: string, fsync: boolean, reporter: FaultReporter, retry: RetryOptions, settings: ComponentSettings) {
    this.directory = directory;
    this.#fsync = fsync;
    this.#reporter = reporter;
    this.#retry = retry;
    this.#settings = settings;
  }

  #path(key: string): string {
    if (key === '') throw new OktelError('ERR_STORAGE_KEY', 'storage keys must not be empty');
    return join(this.directory, escapeName(key));
  }

  get(key: string): Promise<Buffer | undefined> {
    return withStorageRetry(
      `reading ${this.#path(key)}`,
      async () => {
        try {
          return await readFile(this.#path(key));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
          throw err;
        }
      },
      this.#reporter,
      this.#retry,
    );
  }

  set(key: string, value: Buffer | string): Promise<void> {
    return withStorageRetry(`writing ${this.#path(key)}`, () => writeFileAtomic(this.#path(key), value, this.#fsync), this.#reporter, this.#retry);
  }

  delete(key: string): Promise<void> {
    return withStorageRetry(
      `deleting ${this.#path(key)}`,
      async () => {
        try {
          await unlink(this.#path(key));
          if (this.#fsync) await fsyncDirectory(this.directory);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      },
      this.#reporter,
      this.#retry,
    );
  }

  async list(prefix = ''): Promise<string[]> {
    const names = await withStorageRetry(`listing ${this.directory}`, () => readdir(this.directory), this.#reporter, this.#retry);
    return names
      .filter((n) => !n.includes(TEMP_MARKER) && !n.includes(CORRUPT_MARKER))
      .map(unescapeName)
      .filter((k) => k.startsWith(prefix))
      .sort();
  }

  /**
   * Moves an entry the caller found unreadable out of the way (kept beside the others for a
   * human to look at, never read again), with a warning naming the file. Returns its new path.
   */
  async setAside(key: string, reason: string): Promise<string> {
    const from = this.#path(key);
    const to = `${from}${CORRUPT_MARKER}${Date.now()}`;
    await rename(from, to).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    this.#settings.logger.warn(`Set aside corrupt storage entry ${from} as ${to}: ${reason}`);
    return to;
  }
}

/** The file_storage extension: one directory per component, one file per key, one process per directory. */
export class FileStorage implements Extension, StorageExtension {
  readonly isStorage = true as const;
  readonly #config: FileStorageConfig;
  readonly #settings: ComponentSettings;
  readonly #root: string;
  readonly #abort = new AbortController();
  #host: Host | undefined;
  #locked = false;
  #faulty = false;

  constructor(settings: ComponentSettings, config: FileStorageConfig) {
    this.#settings = settings;
    this.#config = config;
    this.#root = resolve(config.directory);
  }

  async start(host?: Host): Promise<void> {
    this.#host = host;
    if (this.#config.create_directory) await mkdir(this.#root, { recursive: true });
    const info = await stat(this.#root).catch(() => undefined);
    if (!info?.isDirectory())
      throw new OktelError('ERR_STORAGE_DIRECTORY', `storage directory ${this.#root} does not exist (set create_directory: true to create it)`);
    const note = await acquireLock(this.#root);
    this.#locked = true;
    if (note) this.#settings.logger.warn(`Storage: ${note}.`);
    this.#settings.logger.debug('Storage directory is ready.', { directory: this.#root });
  }

  async shutdown(): Promise<void> {
    this.#abort.abort();
    if (this.#locked) await releaseLock(this.#root);
    this.#locked = false;
  }

  readonly #reporter: FaultReporter = {
    failing: (reason) => {
      if (!this.#faulty) this.#settings.logger.warn(`Storage fault, retrying with backoff: ${reason}`);
      this.#faulty = true;
      this.#host?.reportStatus(`extension/${this.#settings.id}`, { status: 'recoverable_error', reason });
    },
    recovered: () => {
      if (!this.#faulty) return;
      this.#faulty = false;
      this.#settings.logger.info('Storage works again.');
      this.#host?.reportStatus(`extension/${this.#settings.id}`, { status: 'ok' });
    },
  };

  async client(kind: string, componentId: string): Promise<StorageClient> {
    const directory = join(this.#root, `${kind}_${escapeName(componentId)}`);
    await mkdir(directory, { recursive: true });
    // Temp files are what a crash mid-write leaves behind; the value they were meant to replace is intact.
    for (const name of await readdir(directory)) {
      if (name.includes(TEMP_MARKER)) await unlink(join(directory, name)).catch(() => undefined);
    }
    return new FileStorageClient(
      directory,
      this.#config.fsync,
      this.#reporter,
      { initialMs: 100, maxMs: 5_000, maxElapsedMs: this.#config.fault_timeout, signal: this.#abort.signal },
      this.#settings,
    );
  }
}
