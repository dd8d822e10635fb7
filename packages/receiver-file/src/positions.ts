import { storageClient, type Host, type Logger, type StorageClient, PermanentError } from '@oktel/core';

/** Where a file was read up to, by inode: a different file at the same path starts from 0. */
export interface Position {
  readonly ino: number;
  readonly offset: number;
  readonly line: number;
}

const KEY = 'positions';

/**
 * The file receiver's checkpoint in a storage extension: one value mapping each path to the
 * position up to which every record was accepted by the pipeline. Stored state is untrusted:
 * anything that does not parse or validate is set aside with a warning, and reading restarts.
 */
export class PositionStore {
  readonly #client: StorageClient;
  readonly #logger: Logger;

  private constructor(client: StorageClient, logger: Logger) {
    this.#client = client;
    this.#logger = logger;
  }

  static async open(host: Host, storageId: string, componentId: string, logger: Logger): Promise<PositionStore> {
    return new PositionStore(await storageClient(host, storageId, 'receiver', componentId), logger);
  }

  async load(): Promise<Map<string, Position>> {
    const raw = await this.#client.get(KEY);
    const positions = new Map<string, Position>();
    if (!raw) return positions;
    try {
      const value = JSON.parse(raw.toString('utf8')) as unknown;
      const files = (value as { files?: unknown }).files;
      if (typeof files !== 'object' || files === null || Array.isArray(files)) throw new PermanentError('no "files" map', { code: 'ERR_POSITIONS_CORRUPT' });
      for (const [path, p] of Object.entries(files)) {
        const { ino, offset, line } = (p ?? {}) as Record<string, unknown>;
        if (![ino, offset, line].every((n) => Number.isSafeInteger(n) && (n as number) >= 0))
          throw new PermanentError(`bad position for ${path}`, { code: 'ERR_POSITIONS_CORRUPT' });
        positions.set(path, { ino: ino as number, offset: offset as number, line: line as number });
      }
    } catch (err) {
      const reason = (err as Error).message;
      const aside = this.#client.setAside
        ? await this.#client.setAside(KEY, reason).catch(() => `(could not move it: deleted)`)
        : await this.#client.delete(KEY).then(
            () => '(deleted)',
            () => '(left in place)',
          );
      this.#logger.warn(
        `The saved file positions in ${this.#client.directory}/${KEY} are unreadable (${reason}); set aside as ${aside}, reading from the start.`,
      );
      return new Map();
    }
    return positions;
  }

  save(positions: ReadonlyMap<string, Position>): Promise<void> {
    return this.#client.set(KEY, JSON.stringify({ files: Object.fromEntries(positions) }));
  }
}
