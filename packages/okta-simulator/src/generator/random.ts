/** A seeded generator (mulberry32), so a scenario replays identically in tests and benchmarks. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Okta-style opaque id: a prefix and base62 characters. */
  id(prefix: string, length = 17): string {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let out = prefix;
    for (let i = 0; i < length; i++) out += chars[Math.floor(this.next() * chars.length)];
    return out;
  }

  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }

  /** A time-based (version 1 shaped) UUID like the ones Okta issues. */
  uuid(ms: number): string {
    const t = (BigInt(ms) * 10000n + 0x01b21dd213814000n).toString(16).padStart(15, '0');
    return `${t.slice(7, 15)}-${t.slice(3, 7)}-1${t.slice(0, 3)}-${(0x8000 | this.int(0, 0x3fff)).toString(16)}-${this.hex(12)}`;
  }
}
