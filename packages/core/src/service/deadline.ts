/**
 * Waits for `work` at most `ms`: true if it settled in time (a rejection is rethrown), false if
 * the deadline passed first. The timer is cleared either way, so nothing keeps the process alive.
 */
export async function withDeadline(work: Promise<unknown>, ms: number): Promise<boolean> {
  if (!Number.isFinite(ms)) {
    await work;
    return true;
  }
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true as const), expired]);
  } finally {
    clearTimeout(timer);
  }
}
