import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { OktelError } from '@oktel/core';

export const LOCK_FILE = '.oktel.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One process per storage directory: two oktel processes writing the same queue or checkpoint
 * would corrupt each other silently. The lock is a file holding the owner's pid; a lock left by
 * a process that is gone (kill -9, power loss) is taken over.
 * Returns a note when a stale lock was taken over, for the log.
 */
export async function acquireLock(directory: string): Promise<string | undefined> {
  const path = join(directory, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return undefined;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number.parseInt((await readFile(path, 'utf8').catch(() => '')).trim(), 10);
    if (owner === process.pid) return undefined;
    if (Number.isSafeInteger(owner) && owner > 0 && alive(owner)) {
      throw new OktelError(
        'ERR_STORAGE_LOCKED',
        `storage directory ${directory} is in use by process ${owner} (another oktel?): stop it, or give this one another file_storage directory`,
        { context: { directory, pid: owner } },
      );
    }
    await unlink(path).catch(() => undefined);
    if (attempt === 0) {
      const taken = await acquireLock(directory);
      return taken ?? `took over the lock of ${directory} left by process ${Number.isNaN(owner) ? '(unreadable)' : owner}, which is gone`;
    }
  }
  throw new OktelError('ERR_STORAGE_LOCKED', `could not lock storage directory ${directory}`);
}

export async function releaseLock(directory: string): Promise<void> {
  const path = join(directory, LOCK_FILE);
  const owner = Number.parseInt((await readFile(path, 'utf8').catch(() => '')).trim(), 10);
  if (owner === process.pid) await unlink(path).catch(() => undefined);
}
