import { OktelError } from '@oktel/core';

/** Polls `condition` until it holds; fails naming `what()` (evaluated only on timeout) after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, what: () => string, pollMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new OktelError('ERR_TEST_TIMEOUT', `timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Waits until the counter `name` in a component's test telemetry reads `expected`; a timeout names
 * the counter, the value wanted and the value it stopped at.
 */
export function waitForCount(
  settings: { telemetry: { get(name: string): number | undefined } },
  name: string,
  expected: number,
  timeoutMs = 5000,
): Promise<void> {
  return waitUntil(
    () => settings.telemetry.get(name) === expected,
    timeoutMs,
    () => `${name} to reach ${expected} (now ${settings.telemetry.get(name)})`,
    10,
  );
}
