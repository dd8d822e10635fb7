import { mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ComponentSettings, Extension, StorageClient, StorageExtension } from '@oktel/core';
import { fsyncDirectory, TEMP_MARKER, writeFileAtomic } from './atomic-file.js';
import type { FileStorageConfig } from './config.js';
import { escapeName, unescapeName } from './escape.js';

class FileStorageClient implements StorageClient {
  readonly directory: string;
  readonly #fsync: boolean;

  constructor(directory: string, fsync: boolean) {
    this.directory = directory;
    this.#fsync = fsync;
  }

  #path(key: string): string {
    if (key === '') throw new Error('storage keys must not be empty');
    return join(this.directory, escapeName(key));
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.#path(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  set(key: string, value: Buffer | string): Promise<void> {
    return writeFileAtomic(this.#path(key), value, this.#fsync);
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.#path(key));
      if (this.#fsync) await fsyncDirectory(this.directory);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  async list(prefix = ''): Promise<string[]> {
    const names = await readdir(this.directory);
    return names
      .filter((n) => !n.includes(TEMP_MARKER))
      .map(unescapeName)
      .filter((k) => k.startsWith(prefix))
      .sort();
  }
}

/** The file_storage extension: one directory per component, one file per key. */
export class FileStorage implements Extension, StorageExtension {
  readonly isStorage = true as const;
  readonly #config: FileStorageConfig;
  readonly #settings: ComponentSettings;
  readonly #root: string;

  constructor(settings: ComponentSettings, config: FileStorageConfig) {
    this.#settings = settings;
    this.#config = config;
    this.#root = resolve(config.directory);
  }

  async start(): Promise<void> {
    if (this.#config.create_directory) await mkdir(this.#root, { recursive: true });
    const info = await stat(this.#root).catch(() => undefined);
    if (!info?.isDirectory()) throw new Error(`storage directory ${this.#root} does not exist (set create_directory: true to create it)`);
    this.#settings.logger.debug('Storage directory is ready.', { directory: this.#root });
  }

  async shutdown(): Promise<void> {}

  async client(kind: string, componentId: string): Promise<StorageClient> {
    const directory = join(this.#root, `${kind}_${escapeName(componentId)}`);
    await mkdir(directory, { recursive: true });
    // Temp files are what a crash mid-write leaves behind; the value they were meant to replace is intact.
    for (const name of await readdir(directory)) {
      if (name.includes(TEMP_MARKER)) await unlink(join(directory, name)).catch(() => undefined);
    }
    return new FileStorageClient(directory, this.#config.fsync);
  }
}
