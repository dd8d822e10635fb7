import { z } from 'zod';
import type { AnyValue, LogRecord } from '@oktel/core';

const keyValue = z.strictObject({
  key: z.string().min(1).describe('Attribute name.'),
  value: z
    .union([z.string(), z.number(), z.boolean()])
    .optional()
    .describe('Value it must have (a regex with match_type regexp); unset: the attribute must exist.'),
});

/** The Collector's include/exclude match properties for logs (the subset oktel implements). */
export const matchSchema = z
  .strictObject({
    match_type: z.enum(['strict', 'regexp']).describe('How values and names compare: exact, or as regular expressions.'),
    attributes: z.array(keyValue).optional().describe('Record attributes that must all match.'),
    resources: z.array(keyValue).optional().describe('Resource attributes that must all match.'),
    log_bodies: z.array(z.string()).optional().describe('String bodies, any of which must match.'),
    log_severity_texts: z.array(z.string()).optional().describe('Severity texts, any of which must match.'),
    log_severity_number: z
      .strictObject({ min: z.number().int().min(0).max(24), match_undefined: z.boolean().default(false) })
      .optional()
      .describe('Lowest severity number that matches; match_undefined also matches records without one.'),
  })
  .superRefine((m, ctx) => {
    if (!m.attributes && !m.resources && !m.log_bodies && !m.log_severity_texts && !m.log_severity_number)
      ctx.addIssue({ code: 'custom', path: [], message: 'give at least one of attributes, resources, log_bodies, log_severity_texts, log_severity_number' });
    if (m.match_type !== 'regexp') return;
    const patterns: [string, (string | number)[]][] = [];
    m.attributes?.forEach((a, i) => {
      if (typeof a.value === 'string') patterns.push([a.value, ['attributes', i, 'value']]);
    });
    m.resources?.forEach((a, i) => {
      if (typeof a.value === 'string') patterns.push([a.value, ['resources', i, 'value']]);
    });
    m.log_bodies?.forEach((b, i) => {
      patterns.push([b, ['log_bodies', i]]);
    });
    m.log_severity_texts?.forEach((t, i) => {
      patterns.push([t, ['log_severity_texts', i]]);
    });
    for (const [pattern, path] of patterns) {
      try {
        new RegExp(pattern);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path, message: `not a valid regular expression: ${(err as Error).message}` });
      }
    }
  });

export type MatchConfig = z.output<typeof matchSchema>;
export type RecordMatcher = (record: LogRecord) => boolean;

/** All given properties must match (within a list, any entry), as in the Collector's filterconfig. */
export function compileMatch(config: MatchConfig): RecordMatcher {
  const same =
    config.match_type === 'regexp'
      ? (pattern: string) => {
          const re = new RegExp(pattern);
          return (v: AnyValue | undefined) => typeof v === 'string' && re.test(v);
        }
      : (expected: string | number | boolean) => (v: AnyValue | undefined) => v === expected;
  const keyValues = (list: z.output<typeof keyValue>[] | undefined) =>
    (list ?? []).map((kv) => {
      const test =
        kv.value === undefined
          ? undefined
          : config.match_type === 'regexp' && typeof kv.value === 'string'
            ? same(kv.value)
            : (v: AnyValue | undefined) => v === kv.value;
      return (map: Readonly<Record<string, AnyValue>>) => (test ? test(map[kv.key]) : Object.hasOwn(map, kv.key));
    });
  const attributes = keyValues(config.attributes);
  const resources = keyValues(config.resources);
  const bodies = config.log_bodies?.map((b) => same(b));
  const severities = config.log_severity_texts?.map((t) => same(t));
  const severity = config.log_severity_number;
  return (record) => {
    if (!attributes.every((t) => t(record.attributes))) return false;
    if (!resources.every((t) => t(record.resource.attributes as Record<string, AnyValue>))) return false;
    if (bodies && !bodies.some((t) => t(record.body))) return false;
    if (severities && !severities.some((t) => t(record.severityText))) return false;
    if (severity) {
      const n = record.severityNumber;
      if (n === undefined || n === 0) return severity.match_undefined;
      if (n < severity.min) return false;
    }
    return true;
  };
}
