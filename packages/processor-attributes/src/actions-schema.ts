import { z } from 'zod';

/**
 * One entry of `actions` (attributes processor) or `attributes` (resource processor), in the
 * Collector's shape: `{ key, action, value | from_attribute, pattern, converted_type }`.
 */
export const actionSchema = z
  .strictObject({
    key: z.string().min(1).optional().describe('The attribute the action works on (delete and hash may use pattern instead).'),
    action: z
      .enum(['insert', 'update', 'upsert', 'delete', 'hash', 'extract', 'convert'])
      .describe(
        'insert (only if absent), update (only if present), upsert (always), delete, hash (SHA-256 hex), extract (regex named groups from key into new attributes), convert (to converted_type).',
      ),
    value: z
      .custom<unknown>((v) => v === undefined || v === null || ['string', 'number', 'boolean'].includes(typeof v) || Array.isArray(v) || typeof v === 'object')
      .optional()
      .describe('Literal value for insert/update/upsert.'),
    from_attribute: z.string().min(1).optional().describe('Take the value of this other attribute instead of a literal (insert/update/upsert).'),
    pattern: z
      .string()
      .min(1)
      .optional()
      .describe('extract: regex with named groups applied to the value of key. delete/hash: regex selecting attribute names (instead of or besides key).'),
    converted_type: z.enum(['int', 'double', 'string']).optional().describe('convert: the target type; values that do not convert are left unchanged.'),
  })
  .superRefine((a, ctx) => {
    const setting = a.action === 'insert' || a.action === 'update' || a.action === 'upsert';
    if (setting && (a.value === undefined) === (a.from_attribute === undefined))
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${a.action} needs exactly one of value or from_attribute` });
    if (!setting && (a.value !== undefined || a.from_attribute !== undefined))
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${a.action} takes no value or from_attribute` });
    if ((a.action === 'delete' || a.action === 'hash') && !a.key && !a.pattern)
      ctx.addIssue({ code: 'custom', path: ['key'], message: `${a.action} needs key or pattern` });
    if (a.action !== 'delete' && a.action !== 'hash' && !a.key) ctx.addIssue({ code: 'custom', path: ['key'], message: `${a.action} needs key` });
    if (a.action === 'extract' && !a.pattern)
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'extract needs a pattern with named groups, e.g. ^(?<user>[^@]+)@(?<domain>.+)$' });
    if (a.action === 'convert' && !a.converted_type)
      ctx.addIssue({ code: 'custom', path: ['converted_type'], message: 'convert needs converted_type: int, double or string' });
    if (a.action !== 'extract' && a.action !== 'delete' && a.action !== 'hash' && a.pattern)
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: `${a.action} takes no pattern` });
    if (a.pattern) {
      try {
        new RegExp(a.pattern);
        if (a.action === 'extract' && !/\(\?<[A-Za-z_]\w*>/.test(a.pattern))
          ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'extract needs at least one named group, e.g. (?<user>[^@]+)' });
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['pattern'], message: `not a valid regular expression: ${(err as Error).message}` });
      }
    }
  });

export type ActionConfig = z.output<typeof actionSchema>;
