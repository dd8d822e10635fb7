import { PermanentError } from '@oktel/core';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const INPUT_NAME = /\.(json|jsonl|ndjson)(\.gz)?$/i;

/** The files to read for a configured path: the file itself, or a directory's inputs in name order. */
export async function listInputFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (info.isFile()) return [path];
  if (!info.isDirectory()) throw new PermanentError(`${path} is neither a file nor a directory`, { code: 'ERR_INPUT_NOT_FILE' });
  const names = (await readdir(path)).filter((n) => INPUT_NAME.test(n)).sort();
  const files: string[] = [];
  for (const name of names) {
    const full = join(path, name);
    if ((await stat(full)).isFile()) files.push(full);
  }
  return files;
}

/** gzip is detected by its magic bytes, not the name, so `events.jsonl` that is really gzip still reads. */
export async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
