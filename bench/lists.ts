// Shared lists of the detection tuning: what 100 000 entries cost to load, to hold and to look up.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadList, type SharedList } from '@oktel/processor-detection';

interface Case {
  name: string;
  kind: 'string' | 'cidr' | 'pattern';
  caseInsensitive?: boolean;
  line: (i: number) => string;
  hit: (i: number) => string;
  miss: (i: number) => string;
}

const ip4 = (n: number): string => `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const hex = (n: number): string => n.toString(16);

const CASES: Case[] = [
  { name: 'strings (exact)', kind: 'string', line: (i) => `svc-${i}@example.com`, hit: (i) => `svc-${i}@example.com`, miss: (i) => `user-${i}@example.com` },
  {
    name: 'strings (case-insensitive)',
    kind: 'string',
    caseInsensitive: true,
    line: (i) => `Svc-${i}@Example.com`,
    hit: (i) => `SVC-${i}@example.COM`,
    miss: (i) => `user-${i}@example.com`,
  },
  // Disjoint /24s spread over the space, addresses inside and just outside them.
  {
    name: 'IPv4 CIDR /24',
    kind: 'cidr',
    line: (i) => `${ip4(0x0b000000 + i * 512)}/24`,
    hit: (i) => ip4(0x0b000000 + i * 512 + 77),
    miss: (i) => ip4(0x0b000000 + i * 512 + 300),
  },
  {
    name: 'IPv6 CIDR /48',
    kind: 'cidr',
    line: (i) => `2001:${hex(i >>> 15)}:${hex((i & 0x7fff) * 2)}::/48`,
    hit: (i) => `2001:${hex(i >>> 15)}:${hex((i & 0x7fff) * 2)}:1::5`,
    miss: (i) => `2001:${hex(i >>> 15)}:${hex((i & 0x7fff) * 2 + 1)}::5`,
  },
  {
    name: 'patterns (exact entries, one Set)',
    kind: 'pattern',
    line: (i) => `host-${i}.corp.example.com`,
    hit: (i) => `host-${i}.corp.example.com`,
    miss: (i) => `host-${i}.dmz.example.com`,
  },
];

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function lookupNs(list: SharedList, values: string[], rounds: number): number {
  let found = 0;
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const v of values) if (list.has(v)) found++;
  const ns = Number(process.hrtime.bigint() - start);
  if (found < 0) throw new RangeError('unreachable');
  return ns / (rounds * values.length);
}

export function runListsBenchmark(options: { entries: number; lookups: number; rounds: number; globs: number }): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'oktel-bench-lists-'));
  const results: Record<string, unknown>[] = [];
  try {
    for (const c of CASES) {
      const file = join(dir, `${c.kind}.txt`);
      writeFileSync(file, `${Array.from({ length: options.entries }, (_, i) => c.line(i)).join('\n')}\n`);
      const spec = { kind: c.kind, case_insensitive: c.caseInsensitive ?? false, file };
      const t0 = process.hrtime.bigint();
      let loaded = loadList(c.name, spec, file).list;
      const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (!loaded)
        throw new RangeError(
          `${c.name}: ${loadList(c.name, spec, file)
            .issues.map((i) => i.message)
            .join('; ')}`,
        );
      // Retained memory: the heap with the list held, minus the heap once it is dropped.
      const withList = heapUsed();
      loaded = undefined;
      const withoutList = heapUsed();
      const heapMiB = (withList - withoutList) / 1048576;
      const list = loadList(c.name, spec, file).list!;
      const step = Math.max(1, Math.floor(options.entries / options.lookups));
      const hits = Array.from({ length: options.lookups }, (_, i) => c.hit((i * step) % options.entries));
      const misses = Array.from({ length: options.lookups }, (_, i) => c.miss((i * step) % options.entries));
      lookupNs(list!, hits, 1); // warm-up
      results.push({
        list: c.name,
        entries: options.entries,
        loadMs: +loadMs.toFixed(1),
        heapMiB: +heapMiB.toFixed(1),
        hitNs: +lookupNs(list!, hits, options.rounds).toFixed(0),
        missNs: +lookupNs(list!, misses, options.rounds).toFixed(0),
      });
    }
    // Real globs are tried one by one (linear in the number of wildcard patterns): the price of a wildcard.
    const file = join(dir, 'globs.txt');
    writeFileSync(file, `${Array.from({ length: options.globs }, (_, i) => `svc-${i}-*@example.com`).join('\n')}\n`);
    const { list } = loadList('globs', { kind: 'pattern', case_insensitive: true, file }, file);
    const values = Array.from({ length: 1000 }, (_, i) => `user-${i}@example.com`);
    results.push({ list: `patterns (${options.globs} wildcard globs, miss)`, entries: options.globs, missNs: +lookupNs(list!, values, 3).toFixed(0) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { results };
}
