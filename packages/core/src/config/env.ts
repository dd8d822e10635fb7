import { parse as parseYamlValue } from 'yaml';
import type { ConfigIssue } from '../errors.js';

const REFERENCE = /\$\$|\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]{0,199})(?::-([^}]*))?\}/g;
const WHOLE_REFERENCE = /^\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]{0,199})(?::-([^}]*))?\}$/;

export interface EnvResult {
  value: unknown;
  issues: ConfigIssue[];
}

/**
 * `${env:VAR}`, `${env:VAR:-default}` and `${VAR}` in string values, as the Collector does it:
 * a value that is one whole reference is parsed as YAML (so `${env:PORT}` can be a number);
 * a reference inside a longer string is spliced in as text; `$$` is a literal `$`.
 * An unset variable without a default becomes empty and is reported, so a missing secret
 * fails validation with its key path rather than silently running unauthenticated.
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, path: (string | number)[] = []): EnvResult {
  const issues: ConfigIssue[] = [];
  const walk = (node: unknown, at: (string | number)[]): unknown => {
    if (typeof node === 'string') return substituteString(node, env, at, issues);
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...at, i]));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) out[key] = walk(child, [...at, key]);
      return out;
    }
    return node;
  };
  return { value: walk(value, path), issues };
}

function lookup(name: string, fallback: string | undefined, env: NodeJS.ProcessEnv, at: (string | number)[], issues: ConfigIssue[]): string {
  const found = env[name];
  if (found !== undefined && found !== '') return found;
  if (fallback !== undefined) return fallback;
  issues.push({ path: at, message: `environment variable ${name} is not set (use \${env:${name}:-default} to give a default)` });
  return '';
}

function substituteString(text: string, env: NodeJS.ProcessEnv, at: (string | number)[], issues: ConfigIssue[]): unknown {
  const whole = WHOLE_REFERENCE.exec(text);
  if (whole) {
    const raw = lookup(whole[1]!, whole[2], env, at, issues);
    if (raw === '') return '';
    try {
      const parsed: unknown = parseYamlValue(raw);
      // Only scalars are typed; a variable holding "{a: 1}" stays text rather than becoming config structure.
      return parsed === null || typeof parsed === 'object' ? raw : parsed;
    } catch {
      return raw;
    }
  }
  return text.replace(REFERENCE, (match, name: string | undefined, fallback: string | undefined) =>
    match === '$$' ? '$' : lookup(name!, fallback, env, at, issues),
  );
}
