import { OktelError } from '@oktel/core';

/** Polls `condition` until it holds; fails naming `what()` (evaluated only on timeout) after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, what: () => string, pollMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new OktelError('ERR_TEST_TIMEOUT', `timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
