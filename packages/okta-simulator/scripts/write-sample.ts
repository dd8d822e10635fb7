// Regenerates configs/samples/okta-system-log.jsonl.gz: a reproducible org day with every attack scenario.
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { generateActivity, SCENARIOS } from '../src/index.js';

const out = process.argv[2] ?? 'configs/samples/okta-system-log.jsonl.gz';
const { events } = generateActivity({ seed: 20261120, start: Date.parse('2026-11-20T08:00:00.000Z'), signIns: 160, meanGapMs: 90_000, scenarios: SCENARIOS });
const text = `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
writeFileSync(out, out.endsWith('.gz') ? gzipSync(text, { level: 9 }) : text);
process.stderr.write(`wrote ${events.length} events to ${out}\n`);
