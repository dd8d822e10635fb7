import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

export const TEMP_MARKER = '.tmp-';

/** fsync a directory so a rename inside it survives power loss. */
export async function fsyncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replace `file` with `data` so that a crash at any instant leaves either the old or the new
 * content: write a temp file beside it, fsync, rename over (atomic on POSIX), fsync the directory.
 */
export async function writeFileAtomic(file: string, data: Buffer | string, fsync: boolean): Promise<void> {
  const temp = join(dirname(file), `${basename(file)}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    if (fsync) await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  await rename(temp, file);
  if (fsync) await fsyncDirectory(dirname(file));
}
