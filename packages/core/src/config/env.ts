import { parse as parseYamlValue } from 'yaml';
import type { ConfigIssue } from '../errors.js';

const REFERENCE = /\$\$|\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]{0,199})(?::-([^}]*))?\}/g;
const WHOLE_REFERENCE = /^\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]{0,199})(?::-([^}]*))?\}$/;

export interface EnvResult {
  value: unknown;
  issues: ConfigIssue[];
  /** Unset variables replaced by a placeholder (only when `unset` is 'warn'). */
  warnings: ConfigIssue[];
}

/**
 * What an unset variable without a default is: an error (running, `oktel validate --strict`),
 * or a warning with a placeholder in its place, so a config can be checked in CI without secrets.
 */
export type UnsetEnv = 'error' | 'warn';

/** The text an unset variable becomes when unset variables are warnings. */
export const unsetPlaceholder = (name: string): string => `<unset ${name}>`;

/**
 * `${env:VAR}`, `${env:VAR:-default}` and `${VAR}` in string values, as the Collector does it:
 * a value that is one whole reference is parsed as YAML (so `${env:PORT}` can be a number);
 * a reference inside a longer string is spliced in as text; `$$` is a literal `$`.
 * An unset variable without a default becomes empty and is reported, so a missing secret
 * fails validation with its key path rather than silently running unauthenticated.
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, path: (string | number)[] = [], unset: UnsetEnv = 'error'): EnvResult {
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const walk = (node: unknown, at: (string | number)[]): unknown => {
    if (typeof node === 'string') return substituteString(node, env, at, unset === 'warn' ? warnings : issues, unset);
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...at, i]));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) out[key] = walk(child, [...at, key]);
      return out;
    }
    return node;
  };
  return { value: walk(value, path), issues, warnings };
}

function lookup(name: string, fallback: string | undefined, env: NodeJS.ProcessEnv, at: (string | number)[], issues: ConfigIssue[], unset: UnsetEnv): string {
  const found = env[name];
  if (found !== undefined && found !== '') return found;
  if (fallback !== undefined) return fallback;
  issues.push({ path: at, message: `environment variable ${name} is not set (use \${env:${name}:-default} to give a default)` });
  return unset === 'warn' ? unsetPlaceholder(name) : '';
}

function substituteString(text: string, env: NodeJS.ProcessEnv, at: (string | number)[], issues: ConfigIssue[], unset: UnsetEnv): unknown {
  const whole = WHOLE_REFERENCE.exec(text);
  if (whole) {
    const raw = lookup(whole[1]!, whole[2], env, at, issues, unset);
    if (raw === '' || raw === unsetPlaceholder(whole[1]!)) return raw;
    try {
      const parsed: unknown = parseYamlValue(raw);
      // Only scalars are typed; a variable holding "{a: 1}" stays text rather than becoming config structure.
      return parsed === null || typeof parsed === 'object' ? raw : parsed;
    } catch {
      return raw;
    }
  }
  return text.replace(REFERENCE, (match, name: string | undefined, fallback: string | undefined) =>
    match === '$$' ? '$' : lookup(name!, fallback, env, at, issues, unset),
  );
}
