/** setTimeout fires at once for delays over 2^31-1 ms; every wait goes through here instead. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Waits `ms` (clamped to [0, MAX_TIMER_MS]), resolving true when the time passed and false
 * when `signal` aborted first. The timer is always cleared: nothing keeps the process alive.
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  const delay = Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_TIMER_MS) : MAX_TIMER_MS;
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, delay);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
