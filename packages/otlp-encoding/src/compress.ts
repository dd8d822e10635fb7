import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { PermanentError } from '@oktel/core';

export type Compression = 'none' | 'gzip' | 'zstd';

const gzip = promisify(zlib.gzip);

type ZstdCompress = (input: Buffer, options: { params: Record<number, number> }, callback: (err: Error | null, out: Buffer) => void) => void;
const zstdCompress = (zlib as unknown as { zstdCompress?: ZstdCompress }).zstdCompress;
const ZSTD_LEVEL_PARAM = (zlib.constants as unknown as Record<string, number>).ZSTD_c_compressionLevel;

/** zstd needs Node ≥ 22.15 (or 23.8); on Node 20 the config is refused at load with this reason. */
export const zstdAvailable = typeof zstdCompress === 'function' && ZSTD_LEVEL_PARAM !== undefined;

/** The Content-Encoding header value of a compression, or undefined for none. */
export function contentEncoding(compression: Compression): string | undefined {
  return compression === 'none' ? undefined : compression;
}

/**
 * Compresses on libuv's thread pool (zlib's asynchronous API), so a large batch never stalls the
 * pipeline thread; the default level is a fast one, because at level 6 gzip cost as much as
 * encoding did for 15 % smaller output (see BENCHMARKS.md).
 */
export async function compress(body: Buffer, compression: Compression, level?: number): Promise<Buffer> {
  switch (compression) {
    case 'none':
      return body;
    case 'gzip':
      return gzip(body, { level: level ?? 1 });
    case 'zstd': {
      if (!zstdAvailable) throw new PermanentError(`zstd compression needs Node 22.15 or later (this is ${process.version})`, { code: 'ERR_ZSTD_UNAVAILABLE' });
      return new Promise((resolve, reject) => {
        zstdCompress!(body, { params: { [ZSTD_LEVEL_PARAM!]: level ?? 3 } }, (err, out) => (err ? reject(err) : resolve(out)));
      });
    }
  }
}
