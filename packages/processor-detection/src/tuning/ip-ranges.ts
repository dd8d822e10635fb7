import { isIPv4, isIPv6 } from 'node:net';

/**
 * CIDR membership over sorted, merged ranges: a binary search per lookup, so 100 000 ranges cost
 * about 17 comparisons, and memory is two numbers per merged range (no node per prefix bit).
 * IPv4 ranges are uint32 pairs; IPv6 ranges are BigInt pairs; an IPv4-mapped IPv6 address
 * (::ffff:192.0.2.1) is looked up as the IPv4 address it carries.
 */
export class IpRangeSet {
  readonly #v4Start: Float64Array;
  readonly #v4End: Float64Array;
  readonly #v6Start: bigint[];
  readonly #v6End: bigint[];
  readonly size: number;

  constructor(v4: [number, number][], v6: [bigint, bigint][]) {
    const m4 = merge(
      v4,
      (a, b) => a - b,
      (end) => end + 1,
    );
    this.#v4Start = Float64Array.from(m4.map((r) => r[0]));
    this.#v4End = Float64Array.from(m4.map((r) => r[1]));
    const m6 = merge(
      v6,
      (a, b) => (a < b ? -1 : a > b ? 1 : 0),
      (end) => end + 1n,
    );
    this.#v6Start = m6.map((r) => r[0]);
    this.#v6End = m6.map((r) => r[1]);
    this.size = v4.length + v6.length;
  }

  has(address: unknown): boolean {
    if (typeof address !== 'string') return false;
    const v4 = parseIPv4(address);
    if (v4 !== undefined) return search(this.#v4Start, this.#v4End, v4);
    const v6 = parseIPv6(address);
    if (v6 === undefined) return false;
    if (v6 >> 32n === 0xffffn) return search(this.#v4Start, this.#v4End, Number(v6 & 0xffffffffn));
    let lo = 0;
    let hi = this.#v6Start.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (v6 < this.#v6Start[mid]!) hi = mid - 1;
      else if (v6 > this.#v6End[mid]!) lo = mid + 1;
      else return true;
    }
    return false;
  }
}

function search(starts: Float64Array, ends: Float64Array, value: number): boolean {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (value < starts[mid]!) hi = mid - 1;
    else if (value > ends[mid]!) lo = mid + 1;
    else return true;
  }
  return false;
}

function merge<T>(ranges: [T, T][], compare: (a: T, b: T) => number, next: (end: T) => T): [T, T][] {
  const sorted = [...ranges].sort((a, b) => compare(a[0], b[0]));
  const out: [T, T][] = [];
  for (const [start, end] of sorted) {
    const last = out[out.length - 1];
    if (last && compare(start, next(last[1])) <= 0) {
      if (compare(end, last[1]) > 0) last[1] = end;
    } else out.push([start, end]);
  }
  return out;
}

export function parseIPv4(text: string): number | undefined {
  if (!isIPv4(text)) return undefined;
  const parts = text.split('.');
  return ((Number(parts[0]) * 256 + Number(parts[1])) * 256 + Number(parts[2])) * 256 + Number(parts[3]);
}

export function parseIPv6(text: string): bigint | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zoneless = bare.split('%')[0]!;
  if (!isIPv6(zoneless)) return undefined;
  let head = zoneless;
  let tailV4: number | undefined;
  const lastColon = head.lastIndexOf(':');
  if (head.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIPv4(head.slice(lastColon + 1));
    head = `${head.slice(0, lastColon + 1)}0:0`;
  }
  const [left, right] = head.includes('::') ? (head.split('::') as [string, string]) : [head, undefined];
  const l = left ? left.split(':') : [];
  const r = right === undefined ? [] : right ? right.split(':') : [];
  const groups = right === undefined ? l : [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r];
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(parseInt(g, 16));
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | BigInt(tailV4);
  return value;
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128). Undefined when it is neither. */
export function parseCidr(text: string): { v4?: [number, number]; v6?: [bigint, bigint] } | undefined {
  const slash = text.indexOf('/');
  const addr = slash === -1 ? text : text.slice(0, slash);
  const bitsText = slash === -1 ? undefined : text.slice(slash + 1);
  if (bitsText !== undefined && !/^\d{1,3}$/.test(bitsText)) return undefined;
  const v4 = parseIPv4(addr);
  if (v4 !== undefined) {
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    if (bits > 32) return undefined;
    const size = 2 ** (32 - bits);
    const start = v4 - (v4 % size);
    return { v4: [start, start + size - 1] };
  }
  const v6 = parseIPv6(addr);
  if (v6 === undefined) return undefined;
  const bits = bitsText === undefined ? 128 : Number(bitsText);
  if (bits > 128) return undefined;
  const hostMask = (1n << BigInt(128 - bits)) - 1n;
  const start = v6 & ~hostMask & ((1n << 128n) - 1n);
  return { v6: [start, start | hostMask] };
}
