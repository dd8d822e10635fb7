import { BlockList, isIP } from 'node:net';
import { RE2JS } from 're2js';
import { JsonLogicCompileError } from './errors.js';
import { pathReader } from './var-path.js';
import { SEARCH_OPERATION } from './search.js';

/**
 * Operations Okta detections need and JsonLogic lacks. Each takes already-evaluated arguments;
 * `prepare` runs once at compile time on the raw arguments, so a regex or a CIDR list given as
 * literals is built once per rule, never per event.
 */
export interface CustomOperation {
  /** Called once per rule with the operation's raw (unevaluated) arguments; returns the evaluator. */
  prepare(rawArgs: readonly unknown[], logicPath: string): (...args: unknown[]) => unknown;
  readonly description: string;
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;

const simple = (description: string, fn: (...args: unknown[]) => unknown): CustomOperation => ({ description, prepare: () => fn });

/** Inputs longer than this are cut before regex matching, bounding the cost of any pattern. */
export const MAX_REGEX_INPUT = 16_384;

const RE2_FLAGS: Readonly<Record<string, number>> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL, u: 0 };

/**
 * Rule regexes run on RE2 (re2js, pure JavaScript): matching time is linear in the input for
 * every pattern, so no rule can pin a core, unlike a backtracking engine guarded by a heuristic.
 * RE2 has no backreferences or lookaround; such a pattern is refused here, at load, with its path.
 */
export function compileLinearRegex(pattern: string, flags: string, logicPath: string): { test(text: string): boolean } {
  if (!/^[imsu]*$/.test(flags)) throw new JsonLogicCompileError(`${logicPath}[2]`, `unsupported regex flags "${flags}" (use i, m, s, u)`);
  let bits = 0;
  for (const flag of flags) bits |= RE2_FLAGS[flag]!;
  try {
    return RE2JS.compile(pattern, bits);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const hint = /\\[1-9]|\(\?<?[=!]/.test(pattern)
      ? ' (backreferences and lookaround are not supported: the engine guarantees linear time; split the test into several regex conditions under "and")'
      : '';
    throw new JsonLogicCompileError(`${logicPath}[1]`, `regex ${JSON.stringify(pattern)} is not accepted by the linear-time engine (RE2): ${reason}${hint}`);
  }
}

function literalString(raw: unknown, logicPath: string, what: string): string {
  if (typeof raw !== 'string') throw new JsonLogicCompileError(logicPath, `${what} must be a literal string (it is compiled once, at load)`);
  return raw;
}

/**
 * Okta's `{key=value, key=value}` strings (debugData.behaviors, debugData.risk). Values may hold
 * ", " themselves (`reasons=Anomalous Location, Anomalous Device`), so a pair starts only where
 * ", " is followed by a `key=`.
 */
export function parseOktaKeyValues(text: unknown): Readonly<Record<string, string>> | null {
  if (typeof text !== 'string') return null;
  // Several rules read the same event's behaviors and risk strings, in turns: the last few parses
  // are kept (frozen, so no caller can change what the next one reads).
  for (let i = 0; i < recentTexts.length; i++) if (recentTexts[i] === text) return recentMaps[i]!;
  const map = parseKeyValues(text);
  recentTexts[nextSlot] = text;
  recentMaps[nextSlot] = map;
  nextSlot = (nextSlot + 1) % RECENT_PARSES;
  return map;
}

/** An event carries a handful of key-value strings (behaviors, risk, …); one slot thrashed between them. */
const RECENT_PARSES = 4;
const recentTexts: (string | undefined)[] = new Array<string | undefined>(RECENT_PARSES).fill(undefined);
const recentMaps: (Readonly<Record<string, string>> | null)[] = new Array<Readonly<Record<string, string>> | null>(RECENT_PARSES).fill(null);
let nextSlot = 0;

function parseKeyValues(text: string): Readonly<Record<string, string>> | null {
  let body = text.trim();
  const open = body.indexOf('{');
  if (open === -1 || !body.endsWith('}')) return null;
  body = body.slice(open + 1, -1);
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (body.trim() === '') return Object.freeze(out);
  const starts = [0];
  for (const match of body.matchAll(/, (?=[A-Za-z][\w .-]*=)/g)) starts.push(match.index + 2);
  for (let i = 0; i < starts.length; i++) {
    const piece = body.slice(starts[i], i + 1 < starts.length ? starts[i + 1]! - 2 : undefined);
    const eq = piece.indexOf('=');
    if (eq > 0) out[piece.slice(0, eq).trim()] = piece.slice(eq + 1).trim();
  }
  return Object.freeze(out);
}

function parseJsonString(text: unknown): unknown {
  if (typeof text !== 'string') return typeof text === 'object' ? text : null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export const OKTA_OPERATIONS: Readonly<Record<string, CustomOperation>> = {
  search: SEARCH_OPERATION,
  iequals: simple('Case-insensitive equality of two strings: {"iequals":[{"var":"actor.alternateId"},"Admin@Example.com"]}.', (a, b) => {
    const x = str(a);
    const y = str(b);
    return x !== undefined && y !== undefined && x.toLowerCase() === y.toLowerCase();
  }),
  lower: simple('Lower-cases a string (other values pass through): compose with startsWith, in, ==.', (a) => (typeof a === 'string' ? a.toLowerCase() : a)),
  startsWith: simple('String prefix: {"startsWith":[{"var":"eventType"},"user.account."]}. False when the value is not a string.', (a, b) => {
    const x = str(a);
    const y = str(b);
    return x !== undefined && y !== undefined && x.startsWith(y);
  }),
  endsWith: simple('String suffix: {"endsWith":[value, suffix]}.', (a, b) => {
    const x = str(a);
    const y = str(b);
    return x !== undefined && y !== undefined && x.endsWith(y);
  }),
  contains: simple('Substring: {"contains":[value, part]}. False when the value is not a string.', (a, b) => {
    const x = str(a);
    const y = str(b);
    return x !== undefined && y !== undefined && x.includes(y);
  }),
  isTrue: simple(
    'True for true and for the string "true" in any case, as Okta sends both (threatSuspected, isProxy).',
    (a) => a === true || (typeof a === 'string' && a.toLowerCase() === 'true'),
  ),
  regex: {
    description:
      'Regular expression test: {"regex":[value, "pattern", "flags"]}. The pattern is a literal, compiled once by re2js (RE2 syntax, linear-time matching whatever the pattern or input); backreferences and lookaround are refused at load; flags i, m, s, u; inputs are cut at 16 KiB.',
    prepare(raw, logicPath) {
      const pattern = literalString(raw[1], `${logicPath}[1]`, 'the regex pattern');
      const flags = raw[2] === undefined ? '' : literalString(raw[2], `${logicPath}[2]`, 'the regex flags');
      const re = compileLinearRegex(pattern, flags, logicPath);
      return (value) => {
        const text = str(value);
        return text !== undefined && re.test(text.length > MAX_REGEX_INPUT ? text.slice(0, MAX_REGEX_INPUT) : text);
      };
    },
  },
  cidr: {
    description: 'IP in any of the given networks: {"cidr":[{"var":"client.ipAddress"}, ["10.0.0.0/8", "2001:db8::/32"]]}. Networks are literals.',
    prepare(raw, logicPath) {
      const list = Array.isArray(raw[1]) ? raw[1] : [raw[1]];
      const blocks = new BlockList();
      list.forEach((entry, i) => {
        const text = literalString(entry, `${logicPath}[1]${Array.isArray(raw[1]) ? `[${i}]` : ''}`, 'a network');
        const [address, bits, ...extra] = text.split('/');
        const family = isIP(address ?? '');
        // Decimal digits only: Number() would read "" as 0 (a truncated "10.0.0.0/" matching every address), or "0x8" and "1e1".
        const prefix = bits === undefined ? (family === 6 ? 128 : 32) : /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN;
        if (family === 0 || extra.length > 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
          throw new JsonLogicCompileError(`${logicPath}[1]`, `"${text}" is not an IPv4 or IPv6 network (like 10.0.0.0/8)`);
        }
        blocks.addSubnet(address!, prefix, family === 6 ? 'ipv6' : 'ipv4');
      });
      return (value) => {
        const ip = str(value);
        const family = ip === undefined ? 0 : isIP(ip);
        return family !== 0 && blocks.check(ip!, family === 6 ? 'ipv6' : 'ipv4');
      };
    },
  },
  kv: simple(
    'Parses Okta\'s {key=value, …} strings: {"kv":[{"var":"debugContext.debugData.behaviors"},"New Device"]} → "POSITIVE"; without a key, the whole map.',
    (text, key) => {
      const map = parseOktaKeyValues(text);
      if (key === undefined) return map;
      return map && typeof key === 'string' && Object.hasOwn(map, key) ? map[key] : null;
    },
  ),
  json: simple(
    'Parses a JSON-in-a-string field, optionally reading a dotted path in it: {"json":[{"var":"debugContext.debugData.logOnlySecurityData"},"risk.level"]}.',
    (text, path) => {
      const value = parseJsonString(text);
      return path === undefined ? value : pathReader(path, null)(value);
    },
  ),
};
