import { PermanentError } from '@oktel/core';
import { mkdir, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

export interface RotationPolicy {
  maxBytes: number;
  maxBackups: number;
}

/**
 * An append-only file that rolls over by size. Each append is one whole line: a line is never
 * split across two files, and a line larger than the limit gets a file of its own.
 */
export class RotatingFile {
  readonly path: string;
  readonly #policy: RotationPolicy;
  #handle: FileHandle | undefined;
  #size = 0;

  constructor(path: string, policy: RotationPolicy) {
    this.path = path;
    this.#policy = policy;
  }

  async open(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    this.#handle = await open(this.path, 'a+');
    this.#size = (await stat(this.path)).size;
    // A crash mid-append leaves a partial last line; end it so the next request starts on its own line.
    if (this.#size > 0) {
      const last = Buffer.alloc(1);
      await this.#handle.read(last, 0, 1, this.#size - 1);
      if (last[0] !== 0x0a) await this.append(Buffer.from('\n'));
    }
  }

  async append(data: Buffer): Promise<void> {
    if (!this.#handle) throw new PermanentError(`${this.path} is not open`, { code: 'ERR_FILE_NOT_OPEN' });
    if (this.#size > 0 && this.#size + data.length > this.#policy.maxBytes) await this.#rotate();
    await this.#handle.appendFile(data);
    this.#size += data.length;
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle) {
      await handle.sync().catch(() => undefined);
      await handle.close();
    }
  }

  async #rotate(): Promise<void> {
    await this.close();
    const ext = extname(this.path);
    const stem = basename(this.path, ext);
    const stamp = new Date().toISOString().replace(/[:]/g, '-');
    let target = join(dirname(this.path), `${stem}-${stamp}${ext}`);
    for (
      let n = 1;
      await stat(target).then(
        () => true,
        () => false,
      );
      n++
    )
      target = join(dirname(this.path), `${stem}-${stamp}.${n}${ext}`);
    await rename(this.path, target);
    await this.#pruneBackups(stem, ext);
    await this.open();
  }

  async #pruneBackups(stem: string, ext: string): Promise<void> {
    if (this.#policy.maxBackups === 0) return;
    const dir = dirname(this.path);
    const backups = (await readdir(dir)).filter((n) => n.startsWith(`${stem}-`) && n.endsWith(ext)).sort();
    for (const old of backups.slice(0, Math.max(0, backups.length - this.#policy.maxBackups))) await unlink(join(dir, old));
  }
}
