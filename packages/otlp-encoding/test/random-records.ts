import { resourceFromAttributes } from '@opentelemetry/resources';
import type { AnyValue, AnyValueMap, LogRecord } from '@oktel/core';

/** A small seeded generator (mulberry32), so a failing case can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = [
  '',
  'a',
  'okta',
  'ünïcödé ✓',
  '日本語のテキスト',
  'emoji 🦊🔐',
  'quote " and \\ backslash',
  'ctrl \u0001\u001f\n\t',
  'x'.repeat(130),
  'y'.repeat(20_000),
  'lone \ud800 surrogate',
  '日'.repeat(50),
  'a'.repeat(100) + 'é'.repeat(20),
];
const NUMBERS = [
  0,
  1,
  -1,
  127,
  128,
  300,
  2 ** 31,
  2 ** 32,
  2 ** 32 + 5,
  2 ** 53 - 1,
  -(2 ** 53),
  2 ** 62,
  -(2 ** 63),
  0.5,
  -3.25,
  1e300,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.MIN_VALUE,
];

export function randomValue(rand: () => number, depth = 0): AnyValue {
  const kind = Math.floor(rand() * (depth > 3 ? 5 : 8));
  switch (kind) {
    case 0:
      return STRINGS[Math.floor(rand() * STRINGS.length)]!;
    case 1:
      return NUMBERS[Math.floor(rand() * NUMBERS.length)]!;
    case 2:
      return rand() < 0.5;
    case 3:
      return null as unknown as AnyValue;
    case 4:
      return Math.floor(rand() * 1e9) - 5e8;
    case 5:
      return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
    case 6:
      return Uint8Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256));
    default:
      return randomMap(rand, depth + 1);
  }
}

export function randomMap(rand: () => number, depth = 0): AnyValueMap {
  const map: AnyValueMap = {};
  const n = Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) map[`${STRINGS[Math.floor(rand() * 5)]}k${i}`] = randomValue(rand, depth);
  return map;
}

const hex = (rand: () => number, bytes: number): string =>
  Array.from({ length: bytes }, () =>
    Math.floor(rand() * 256)
      .toString(16)
      .padStart(2, '0'),
  ).join('');

/** A batch of random records over a few shared resources and scopes, every optional field sometimes absent. */
export function randomBatch(seed: number, size: number): LogRecord[] {
  const rand = prng(seed);
  const resources = [
    resourceFromAttributes({ 'service.name': 'okta', 'okta.domain': 'acme.okta.com' }),
    resourceFromAttributes(randomMap(rand) as Record<string, string>),
    resourceFromAttributes({}),
  ];
  const scopes = [
    { name: 'oktel' },
    { name: 'oktel', version: '1.2.3' },
    { name: 'detection', version: '', schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' },
  ];
  return Array.from({ length: size }, () => {
    const seconds = Math.floor(rand() * 2_000_000_000);
    const record: LogRecord = {
      hrTime: [seconds, Math.floor(rand() * 1e9)],
      hrTimeObserved: [rand() < 0.1 ? 0 : seconds + 1, Math.floor(rand() * 1e9)],
      severityNumber: rand() < 0.2 ? undefined : Math.floor(rand() * 25),
      severityText: rand() < 0.3 ? undefined : STRINGS[Math.floor(rand() * 4)],
      body: rand() < 0.1 ? undefined : randomValue(rand),
      eventName: rand() < 0.4 ? undefined : 'user.session.start',
      attributes: randomMap(rand),
      droppedAttributesCount: rand() < 0.8 ? 0 : Math.floor(rand() * 1000),
      resource: resources[Math.floor(rand() * resources.length)]!,
      instrumentationScope: scopes[Math.floor(rand() * scopes.length)]!,
      spanContext: rand() < 0.5 ? undefined : { traceId: hex(rand, 16), spanId: hex(rand, 8), traceFlags: Math.floor(rand() * 2) },
    } as LogRecord;
    return record;
  });
}
