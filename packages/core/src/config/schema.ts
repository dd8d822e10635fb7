import { z } from 'zod';
import { parseDuration, parseSize } from './units.js';

/**
 * Building blocks for component config schemas. A schema is the single declaration of a
 * config: it validates, applies defaults and, through describe()/meta(), documents each key.
 */

/** A duration written as `10s`, `5m`, `1h30m`; parsed to milliseconds. */
export function duration() {
  return z
    .union([z.string(), z.number()])
    .transform((value, ctx) => {
      if (value === 0) return 0;
      const ms = typeof value === 'string' ? parseDuration(value) : undefined;
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `invalid duration ${JSON.stringify(value)}: write it with a unit, like 500ms, 10s, 5m or 1h30m` });
        return z.NEVER;
      }
      return ms;
    })
    .meta({ format: 'duration' });
}

/** A size written as `64MiB`, `512KiB` or a byte count; parsed to bytes. */
export function size() {
  return z
    .union([z.string(), z.number().int().nonnegative()])
    .transform((value, ctx) => {
      const bytes = typeof value === 'number' ? value : parseSize(value);
      if (bytes === undefined) {
        ctx.addIssue({ code: 'custom', message: `invalid size ${JSON.stringify(value)}: write it like 512KiB, 64MiB or 1GiB` });
        return z.NEVER;
      }
      return bytes;
    })
    .meta({ format: 'size' });
}

const secrets = new Set<string>();

/**
 * A credential. Its value is remembered so that every logger redacts it, and it is shown as
 * `[REDACTED]` wherever the config is printed (`oktel validate`).
 */
export function secret() {
  return z
    .string()
    .transform((value) => {
      if (value !== '') secrets.add(value);
      return value;
    })
    .meta({ format: 'secret' });
}

/** Marks a value as a credential that no log line may show (e.g. a header holding an API key). */
export function registerSecret(value: string): void {
  if (value !== '') secrets.add(value);
}

/** Every secret value seen while parsing config in this process. */
export function knownSecrets(): ReadonlySet<string> {
  return secrets;
}

/** The id of an extension (e.g. `file_storage` or `file_storage/queue`). */
export function extensionId() {
  return z.string().regex(/^[a-zA-Z][0-9a-zA-Z_]{0,62}(\/\S+)?$/, 'must be an extension id such as file_storage or file_storage/name');
}

/** A nested config block whose own keys all have defaults, so it may be left out. */
export function block<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape).prefault({} as never);
}
