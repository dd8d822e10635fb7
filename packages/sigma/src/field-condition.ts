import { SigmaUnsupported } from './errors.js';
import { resolveOktaField, type ResolvedField } from './okta-fields.js';
import { expandPlaceholders, type Placeholders } from './placeholders.js';
import { hasWildcards, literal, parseSigmaString, tokensText, tokensToRegex, type Token } from './sigma-string.js';

export type Logic = unknown;

/** What compiling one rule needs: placeholders, and where to put warnings. */
export interface CompileContext {
  placeholders: Placeholders;
  warn(message: string): void;
}

const STRING_MODIFIERS = [
  'contains',
  'startswith',
  'endswith',
  'windash',
  'base64',
  'base64offset',
  'utf16le',
  'utf16be',
  'utf16',
  'wide',
  'expand',
  'cased',
] as const;
const TYPE_MODIFIERS = ['re', 'i', 'm', 's', 'cidr', 'exists', 'lt', 'lte', 'gt', 'gte', 'fieldref', 'all', 'neq'] as const;
const TIME_MODIFIERS = new Set(['minute', 'hour', 'day', 'week', 'month', 'year']);
/** Where each time part sits in an ISO 8601 timestamp: [start, length]. */
const TIME_PARTS = { year: [0, 4], month: [5, 2], day: [8, 2], hour: [11, 2], minute: [14, 2] } as const;
const KNOWN = new Set<string>([...STRING_MODIFIERS, ...TYPE_MODIFIERS]);
const NUMERIC = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/** A field reference, as the JsonLogic `var` it becomes (relative to an array element when below one). */
function accessor(field: ResolvedField): { outer?: string; inner: Logic } {
  if (field.arrayAt === -1) return { inner: { var: field.segments.join('.') } };
  return { outer: field.segments.slice(0, field.arrayAt).join('.'), inner: { var: field.segments.slice(field.arrayAt).join('.') } };
}

/** Wraps a condition on an array element's field: true when any element satisfies it. */
function onField(field: ResolvedField, build: (value: Logic) => Logic): Logic {
  const { outer, inner } = accessor(field);
  return outer === undefined ? build(inner) : { some: [{ var: outer }, build(inner)] };
}

const lower = (value: Logic): Logic => ({ lower: [value] });

/**
 * Case-insensitive equality with a literal. `lower` + loose `==` costs one case fold per event
 * instead of two, and means the same as `iequals` unless the literal reads as a number or a
 * boolean (loose `==` would then compare `true` with "1"): those keep `iequals`, which compares
 * the texts ("true" matches a JSON true, as Okta sends isProxy either way).
 */
function caseInsensitiveEquals(value: Logic, text: string): Logic {
  const looseTrap = /^(true|false)$/i.test(text.trim()) || (text.trim() !== '' && Number.isFinite(Number(text))) || text.trim() === '';
  return looseTrap ? { iequals: [value, text] } : { '==': [lower(value), text.toLowerCase()] };
}

/** A wildcard pattern on `value`, with the cheapest operation that means the same. */
export function patternLogic(value: Logic, tokens: readonly Token[], cased: boolean): Logic {
  if (tokens.length === 0) return cased ? { '==': [value, ''] } : { iequals: [value, ''] };
  if (tokens.every((t) => t.kind === 'any')) return { '!=': [value, null] };
  const first = tokens[0]!;
  const last = tokens[tokens.length - 1]!;
  const inner = tokens.slice(first.kind === 'any' ? 1 : 0, last.kind === 'any' ? -1 : undefined);
  if (!hasWildcards(inner)) {
    const text = tokensText(inner);
    const subject = cased ? value : lower(value);
    const needle = cased ? text : text.toLowerCase();
    if (first.kind === 'any' && last.kind === 'any') return { contains: [subject, needle] };
    if (first.kind === 'any') return { endsWith: [subject, needle] };
    if (last.kind === 'any') return { startsWith: [subject, needle] };
    return cased ? { '==': [value, text] } : caseInsensitiveEquals(value, text);
  }
  return { regex: [value, tokensToRegex(tokens), cased ? 's' : 'is'] };
}

function windashVariants(text: string): string[] {
  const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];
  const positions = [...text].flatMap((c, i) => (DASHES.includes(c) ? [i] : []));
  if (positions.length > 4)
    throw new SigmaUnsupported(`windash on a value with ${positions.length} dash characters would make ${5 ** positions.length} variants (at most 4 dashes)`);
  let variants = [[...text]];
  for (const at of positions) variants = variants.flatMap((chars) => DASHES.map((d) => chars.map((c, i) => (i === at ? d : c))));
  return [...new Set(variants.map((v) => v.join('')))];
}

function encode(text: string, encoding: string | undefined): Buffer {
  switch (encoding) {
    case 'utf16le':
    case 'wide':
      return Buffer.from(text, 'utf16le');
    case 'utf16be':
      return Buffer.from(text, 'utf16le').swap16();
    case 'utf16':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    default:
      return Buffer.from(text, 'utf8');
  }
}

/** The three shifted encodings of a value somewhere inside a base64 text (pySigma's offsets). */
function base64Offsets(bytes: Buffer): string[] {
  const START = [0, 2, 3];
  const END = [0, -3, -2];
  return [0, 1, 2].map((shift) => {
    const padded = Buffer.concat([Buffer.alloc(shift), bytes]);
    const encoded = padded.toString('base64');
    const end = END[(bytes.length + shift) % 3]!;
    return encoded.slice(START[shift]!, end === 0 ? undefined : end);
  });
}

interface Value {
  tokens: Token[];
  /** Encoded values are matched as written: base64 is case-sensitive. */
  cased: boolean;
}

function scalarText(value: unknown, at: readonly (string | number)[]): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new SigmaUnsupported(`a value must be a string, number or boolean, not ${value === null ? 'null inside a list' : typeof value}`, at);
}

/**
 * One `field|modifier|…: value(s)` entry of a selection map, as JsonLogic. `field` is `''` for a
 * keyword entry (`'|all': [...]`), matched over the event's text fields.
 */
export function fieldCondition(
  key: string,
  raw: unknown,
  ctx: CompileContext,
  at: readonly (string | number)[],
  keywordFields: readonly ResolvedField[],
): Logic {
  const [name = '', ...mods] = key.split('|');
  for (const mod of mods) {
    if (mod === 'week')
      throw new SigmaUnsupported('the time modifier "week" is not supported (no ISO week without date arithmetic in JsonLogic); use day or month', at);
    if (!KNOWN.has(mod) && !TIME_MODIFIERS.has(mod)) throw new SigmaUnsupported(`unknown modifier "${mod}"`, at);
  }
  const has = (m: string): boolean => mods.includes(m);
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new SigmaUnsupported(`${key}: an empty list of values never matches`, at);
  if (has('all') && list.length === 1) ctx.warn(`${key}: "all" on a single value (the specification forbids it; it changes nothing here)`);
  const join = (parts: Logic[]): Logic => (parts.length === 1 ? parts[0] : { [has('all') ? 'and' : 'or']: parts });
  const negate = (logic: Logic): Logic => (has('neq') ? { '!': [logic] } : logic);

  let fields: readonly ResolvedField[];
  if (name === '') fields = keywordFields;
  else {
    const field = resolveOktaField(name);
    if (!field.known) ctx.warn(`field "${name}" is not an Okta System Log field (resolved as ${field.segments.join('.')}); it may never match`);
    fields = [field];
  }
  const anyField = (build: (value: Logic) => Logic): Logic => (fields.length === 1 ? onField(fields[0]!, build) : { or: fields.map((f) => onField(f, build)) });

  if (list.includes(null)) {
    if (list.length > 1) throw new SigmaUnsupported(`${key}: null cannot be part of a list of values (its own selection, per the specification)`, at);
    if (mods.length > 0) throw new SigmaUnsupported(`${key}: null takes no modifiers`, at);
    // Absent or JSON null, the way pySigma's backends treat `field: null`.
    return anyField((v) => ({ '==': [v, null] }));
  }
  if (has('exists')) {
    if (typeof raw !== 'boolean') throw new SigmaUnsupported(`${key}: exists takes true or false`, at);
    return anyField((v) => (raw ? { '!=': [v, null] } : { '==': [v, null] }));
  }
  const numeric = mods.find((m): m is keyof typeof NUMERIC => m in NUMERIC);
  const timePart = mods.find((m): m is keyof typeof TIME_PARTS => m in TIME_PARTS);
  if (timePart) {
    const other = mods.find((m) => m !== timePart && !(m in NUMERIC) && m !== 'all' && m !== 'neq');
    if (other) throw new SigmaUnsupported(`${key}: the time modifier ${timePart} combines only with lt/lte/gt/gte/neq, not ${other}`, at);
    // Okta timestamps are ISO 8601 in UTC (2026-11-20T10:00:00.000Z): the part is read by
    // position and parsed as a number (anything else gives NaN, which never matches).
    const [start, length] = TIME_PARTS[timePart];
    const part = (value: Logic): Logic => ({ '+': [{ substr: [value, start, length] }] });
    const parts = list.map((v, i) => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
      if (!Number.isInteger(n)) throw new SigmaUnsupported(`${key}: ${timePart} takes a whole number, not ${JSON.stringify(v)}`, [...at, i]);
      return anyField((value) => ({ [numeric ? NUMERIC[numeric] : '==']: [part(value), n] }));
    });
    return negate(join(parts));
  }
  if (numeric) {
    const parts = list.map((v, i) => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
      if (!Number.isFinite(n)) throw new SigmaUnsupported(`${key}: ${numeric} takes a number, not ${JSON.stringify(v)}`, [...at, i]);
      // `+` parses the field as a number: absent, null, "" and text give NaN, which compares false.
      return anyField((value) => ({ [NUMERIC[numeric]]: [{ '+': [value] }, n] }));
    });
    return negate(join(parts));
  }
  if (has('cidr')) {
    const networks = list.map((v, i) => scalarText(v, [...at, i]));
    if (has('all')) return negate(join(networks.map((n) => anyField((v) => ({ cidr: [v, [n]] })))));
    return negate(anyField((v) => ({ cidr: [v, networks] })));
  }
  if (has('re')) {
    const flags = ['i', 'm', 's'].filter(has).join('');
    const parts = list.map((v, i) => anyField((value) => ({ regex: [value, scalarText(v, [...at, i]), flags] })));
    return negate(join(parts));
  }
  for (const m of ['i', 'm', 's']) if (has(m)) throw new SigmaUnsupported(`${key}: "${m}" is a sub-modifier of re`, at);

  const position = has('contains') || name === '' ? 'contains' : has('startswith') ? 'startswith' : has('endswith') ? 'endswith' : 'exact';
  const place = (tokens: Token[]): Token[] => {
    const out = [...tokens];
    if ((position === 'contains' || position === 'endswith') && out[0]?.kind !== 'any') out.unshift({ kind: 'any' });
    if ((position === 'contains' || position === 'startswith') && out.at(-1)?.kind !== 'any') out.push({ kind: 'any' });
    return out;
  };

  if (has('fieldref')) {
    if (name === '') throw new SigmaUnsupported('fieldref needs a field to compare', at);
    const parts = list.map((v, i) => {
      const other = resolveOktaField(scalarText(v, [...at, i]));
      if (!other.known) ctx.warn(`fieldref "${String(v)}" is not an Okta System Log field; it may never match`);
      if (other.arrayAt !== -1) throw new SigmaUnsupported(`fieldref to ${String(v)}, a field inside a list, is not supported`, [...at, i]);
      const ref: Logic = { var: other.segments.join('.') };
      const cased = has('cased');
      return anyField((value) => {
        const a = cased ? value : lower(value);
        const b = cased ? ref : lower(ref);
        // Both sides present: two absent fields are not "equal" values.
        const op =
          position === 'contains' ? 'contains' : position === 'startswith' ? 'startsWith' : position === 'endswith' ? 'endsWith' : cased ? '==' : 'iequals';
        return { and: [{ '!=': [ref, null] }, { [op]: [a, b] }] };
      });
    });
    return negate(join(parts));
  }

  const encoding = mods.find((m) => m === 'utf16le' || m === 'utf16be' || m === 'utf16' || m === 'wide');
  if (encoding && !has('base64') && !has('base64offset'))
    throw new SigmaUnsupported(`${key}: ${encoding} only makes sense with base64 or base64offset (Okta events are JSON text)`, at);

  const values: Value[][] = list.map((v, i) => {
    let texts = [scalarText(v, [...at, i])];
    if (has('expand')) texts = texts.flatMap((t) => expandPlaceholders(t, ctx.placeholders, [...at, i]));
    if (has('windash')) texts = texts.flatMap(windashVariants);
    if (has('base64') || has('base64offset')) {
      return texts.flatMap((t) => {
        if (hasWildcards(parseSigmaString(t))) throw new SigmaUnsupported(`${key}: wildcards cannot be base64-encoded`, [...at, i]);
        const bytes = encode(t.replace(/\\([*?\\])/g, '$1'), encoding);
        const encoded = has('base64offset') ? base64Offsets(bytes) : [bytes.toString('base64')];
        const pos = has('base64offset') && position === 'exact' ? 'contains' : position;
        return encoded.map((e) => ({
          tokens: pos === 'contains' ? [{ kind: 'any' as const }, ...literal(e), { kind: 'any' as const }] : place(literal(e)),
          cased: true,
        }));
      });
    }
    return texts.map((t) => ({ tokens: place(parseSigmaString(t)), cased: has('cased') }));
  });

  // One value entry may expand to several strings (windash, placeholders): those are OR-ed.
  const perValue = values.map((variants) => {
    if (name !== '' && fields.length === 1 && fields[0]!.segments.join('.') === 'eventType') {
      const exact = variants.every((v) => !hasWildcards(v.tokens) && !v.cased && tokensText(v.tokens) === tokensText(v.tokens).toLowerCase());
      // Okta event types are lower-case by definition: plain equality is the same match and lets
      // the engine index the rule by event type.
      if (exact)
        return variants.length === 1
          ? { '==': [{ var: 'eventType' }, tokensText(variants[0]!.tokens)] }
          : { in: [{ var: 'eventType' }, variants.map((v) => tokensText(v.tokens))] };
    }
    const parts = variants.map((v) => (name === '' ? keywordLogic(v, fields) : anyField((value) => patternLogic(value, v.tokens, v.cased))));
    return parts.length === 1 ? parts[0] : { or: parts };
  });
  if (!has('all') && perValue.length > 1 && perValue.every(isEventTypeEquality)) {
    return negate({ in: [{ var: 'eventType' }, perValue.flatMap(eventTypeValues)] });
  }
  return negate(join(perValue));
}

/**
 * A keyword (a search identifier that is a plain string): a substring anywhere in the event, by
 * the `search` operation (every string value, however deep, case-insensitive unless `cased`).
 * A keyword with wildcards inside (`foo*bar`) keeps the regex over the documented text fields.
 */
function keywordLogic(value: Value, fields: readonly ResolvedField[]): Logic {
  const tokens = value.tokens;
  const inner = tokens.slice(tokens[0]?.kind === 'any' ? 1 : 0, tokens.at(-1)?.kind === 'any' ? -1 : undefined);
  if (!hasWildcards(inner)) {
    const text = tokensText(inner);
    return value.cased ? { search: [{ var: '' }, text, 'cased'] } : { search: [{ var: '' }, text] };
  }
  const parts = fields.map((f) => onField(f, (v) => patternLogic(v, tokens, value.cased)));
  return parts.length === 1 ? parts[0] : { or: parts };
}

function isEventTypeEquality(logic: Logic): boolean {
  const l = logic as Record<string, unknown[]>;
  return ('==' in l && (l['=='][0] as { var?: string }).var === 'eventType') || ('in' in l && (l.in[0] as { var?: string }).var === 'eventType');
}

function eventTypeValues(logic: Logic): string[] {
  const l = logic as Record<string, unknown[]>;
  return '==' in l ? [l['=='][1] as string] : (l.in[1] as string[]);
}
