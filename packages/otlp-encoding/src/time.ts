import type { HrTime } from '@oktel/core';

const NANOS_PER_SECOND = 1_000_000_000;
const TWO_POW_32 = 0x100000000;

/**
 * An HrTime as the low and high 32 bits of its nanoseconds since the epoch (fixed64).
 * seconds × 10⁹ overflows a double's 53 exact bits for any current date, so the seconds are split
 * at 16 bits and each part multiplied separately, every product staying exact.
 */
export function hrTimeToFixed64(time: HrTime): [low: number, high: number] {
  const seconds = time[0];
  const nanos = time[1];
  const secondsLow = seconds % 0x10000;
  const secondsHigh = Math.floor(seconds / 0x10000);
  const lowPart = secondsLow * NANOS_PER_SECOND + nanos; // < 2^53
  const highPart = secondsHigh * NANOS_PER_SECOND; // to be multiplied by 2^16
  // highPart × 2^16 split into 32-bit halves: (highPart mod 2^16) × 2^16 is below 2^32.
  const shiftedLow = (highPart % 0x10000) * 0x10000;
  const shiftedHigh = Math.floor(highPart / 0x10000);
  const low = shiftedLow + (lowPart % TWO_POW_32);
  const carry = Math.floor(low / TWO_POW_32);
  const high = shiftedHigh + Math.floor(lowPart / TWO_POW_32) + carry;
  return [low >>> 0, high >>> 0];
}

/** An HrTime as decimal nanoseconds (OTLP/JSON's string form of fixed64), without BigInt on the common path. */
export function hrTimeToNanoString(time: HrTime): string {
  const seconds = time[0];
  const nanos = time[1];
  if (Number.isInteger(seconds) && Number.isInteger(nanos) && seconds > 0 && nanos >= 0 && nanos < NANOS_PER_SECOND) {
    const digits = String(nanos);
    return `${seconds}${'000000000'.slice(digits.length)}${digits}`;
  }
  return (BigInt(Math.trunc(seconds)) * BigInt(NANOS_PER_SECOND) + BigInt(Math.trunc(nanos))).toString();
}
