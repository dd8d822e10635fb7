import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented credential with the configured one without leaking, through timing,
 * how many leading characters matched or how long the secret is: both sides are hashed to
 * fixed-length digests first, then compared with timingSafeEqual.
 */
export function constantTimeEqual(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
