import { setTimeout as sleep } from 'node:timers/promises';
import { RetryableError } from '@oktel/core';

/** Errors of the disk, not of the data: the same write can succeed once space is freed or the mount is fixed. */
const TRANSIENT = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO', 'EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE']);

export function isStorageFault(err: unknown): boolean {
  return TRANSIENT.has((err as NodeJS.ErrnoException)?.code ?? '');
}

export interface FaultReporter {
  /** The first fault of a run of faults: shown in /health as recoverable_error. */
  failing(reason: string): void;
  /** An operation succeeded after faults. */
  recovered(): void;
}

export interface RetryOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Give up (RetryableError to the caller) after this long; the caller keeps its data and tries later. */
  readonly maxElapsedMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Runs a storage operation, retrying disk faults (full, read-only, I/O error) with doubling
 * backoff and reporting them, so a full disk slows the pipeline instead of crashing it or
 * stopping it silently. Other errors are the caller's.
 */
export async function withStorageRetry<T>(what: string, op: () => Promise<T>, reporter: FaultReporter, options: RetryOptions): Promise<T> {
  const started = Date.now();
  let delay = options.initialMs;
  let faulted = false;
  for (;;) {
    try {
      const result = await op();
      if (faulted) reporter.recovered();
      return result;
    } catch (err) {
      if (!isStorageFault(err)) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      faulted = true;
      reporter.failing(`${what} failed with ${code}: ${(err as Error).message}`);
      if (Date.now() - started + delay > options.maxElapsedMs || options.signal?.aborted) {
        throw new RetryableError(`${what} failed with ${code} for ${Math.round((Date.now() - started) / 1000)}s; giving up for now`, {
          cause: err,
          code: 'ERR_STORAGE_FAULT',
        });
      }
      await sleep(delay, undefined, options.signal ? { signal: options.signal } : undefined).catch(() => undefined);
      delay = Math.min(delay * 2, options.maxMs);
    }
  }
}
