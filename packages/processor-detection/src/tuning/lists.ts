import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { globMatch, isGlob } from './glob.js';
import { IpRangeSet, parseCidr } from './ip-ranges.js';

export const listSpecSchema = z
  .strictObject({
    file: z
      .string()
      .min(1)
      .optional()
      .describe('File holding the values, relative to the tuning file: one value per line (# comments), a CSV column, or a YAML sequence.'),
    values: z.array(z.string()).optional().describe('Values given inline (added to those of file).'),
    kind: z
      .enum(['string', 'cidr', 'pattern'])
      .default('string')
      .describe('string: exact values (a Set); cidr: IPv4/IPv6 ranges or addresses (sorted ranges, binary search); pattern: globs with * and ?.'),
    format: z.enum(['lines', 'csv', 'yaml']).optional().describe('How file is read; default from its extension (.csv, .yaml/.yml, anything else: lines).'),
    column: z.string().min(1).optional().describe('CSV: the header of the column to read (default: the first column).'),
    case_insensitive: z.boolean().default(false).describe('string and pattern lists: compare without regard to case.'),
  })
  .refine((s) => s.file !== undefined || s.values !== undefined, 'a list needs file or values');
export type ListSpec = z.output<typeof listSpecSchema>;

/** A loaded list: membership for one value, whatever the kind. */
export interface SharedList {
  readonly name: string;
  readonly kind: ListSpec['kind'];
  readonly size: number;
  has(value: unknown): boolean;
}

/** A fault in a list file, with the line of the offending value. */
export interface ListIssue {
  file: string;
  line?: number;
  message: string;
}

interface Entry {
  value: string;
  line: number;
}

function readEntries(file: string, spec: ListSpec): Entry[] | ListIssue {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { file, message: `cannot read list file: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  const format = spec.format ?? (/\.csv$/i.test(file) ? 'csv' : /\.ya?ml$/i.test(extname(file)) ? 'yaml' : 'lines');
  const lines = text.split(/\r?\n/);
  if (format === 'lines') {
    const out: Entry[] = [];
    lines.forEach((raw, i) => {
      const value = raw.replace(/\s+#.*$/, '').trim();
      if (value !== '' && !value.startsWith('#')) out.push({ value, line: i + 1 });
    });
    return out;
  }
  if (format === 'csv') {
    const header = splitCsv(lines[0] ?? '');
    const column = spec.column === undefined ? 0 : header.indexOf(spec.column);
    if (column === -1) return { file, line: 1, message: `no column "${spec.column}" in the CSV header (${header.join(', ')})` };
    const out: Entry[] = [];
    for (let i = 1; i < lines.length; i++) {
      if (lines[i]!.trim() === '') continue;
      const value = splitCsv(lines[i]!)[column]?.trim();
      if (value) out.push({ value, line: i + 1 });
    }
    return out;
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    return { file, message: `not YAML: ${(err as Error).message.split('\n')[0]}` };
  }
  const items = Array.isArray(doc) ? doc : (doc as { values?: unknown } | null)?.values;
  if (!Array.isArray(items)) return { file, message: 'a YAML list file is a sequence of values (or a mapping with values: [...])' };
  const out: Entry[] = [];
  for (const [i, item] of items.entries()) {
    if (typeof item !== 'string' && typeof item !== 'number') return { file, message: `item ${i} is not a string or number` };
    out.push({ value: String(item), line: 0 });
  }
  return out;
}

/** One CSV line: commas, double-quoted fields with "" escapes. */
function splitCsv(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/** Loads one named list; `file` is already resolved. Any bad value fails the list, naming its line. */
export function loadList(name: string, spec: ListSpec, file: string | undefined): { list?: SharedList; issues: ListIssue[] } {
  const entries: Entry[] = [];
  const where = file ?? '(inline)';
  if (file !== undefined) {
    const read = readEntries(file, spec);
    if (!Array.isArray(read)) return { issues: [read] };
    entries.push(...read);
  }
  for (const value of spec.values ?? []) entries.push({ value, line: 0 });
  return buildList(name, spec, entries, where);
}

export function buildList(
  name: string,
  spec: Pick<ListSpec, 'kind' | 'case_insensitive'>,
  entries: readonly Entry[],
  where: string,
): { list?: SharedList; issues: ListIssue[] } {
  const issues: ListIssue[] = [];
  if (spec.kind === 'cidr') {
    const v4: [number, number][] = [];
    const v6: [bigint, bigint][] = [];
    for (const e of entries) {
      const range = parseCidr(e.value);
      if (!range) {
        if (issues.length < 10)
          issues.push({
            file: where,
            ...(e.line ? { line: e.line } : {}),
            message: `list ${name}: ${JSON.stringify(e.value)} is not an IP address or CIDR range`,
          });
        continue;
      }
      if (range.v4) v4.push(range.v4);
      if (range.v6) v6.push(range.v6);
    }
    if (issues.length > 0) return { issues };
    const set = new IpRangeSet(v4, v6);
    return { list: { name, kind: 'cidr', size: set.size, has: (v) => set.has(v) }, issues };
  }
  const fold = spec.case_insensitive ? (s: string) => s.toLowerCase() : (s: string) => s;
  const asText = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
  const exact = new Set<string>();
  const globs: string[] = [];
  for (const e of entries) {
    if (spec.kind === 'pattern' && isGlob(e.value)) globs.push(fold(e.value));
    else exact.add(fold(e.value));
  }
  // Exact values (and patterns without wildcards) are one Set lookup; only real globs are tried in turn.
  const has = (v: unknown): boolean => {
    const text = asText(v);
    if (text === undefined) return false;
    const folded = fold(text);
    if (exact.has(folded)) return true;
    for (const g of globs) if (globMatch(g, folded)) return true;
    return false;
  };
  return { list: { name, kind: spec.kind, size: exact.size + globs.length, has }, issues };
}
