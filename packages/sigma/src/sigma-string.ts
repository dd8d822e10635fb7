/**
 * A Sigma string value: literal text and the wildcards `*` (any run) and `?` (one character).
 * Escaping per the rules specification: `\*`, `\?` and `\\` are the plain characters; a
 * backslash before anything else is a plain backslash (`C:\Windows` needs no doubling).
 */
export type Token = { kind: 'text'; text: string } | { kind: 'any' } | { kind: 'one' };

export function parseSigmaString(raw: string): Token[] {
  const tokens: Token[] = [];
  let text = '';
  const flush = (): void => {
    if (text) tokens.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const next = raw[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        text += next;
        i++;
      } else text += '\\';
    } else if (c === '*') {
      flush();
      tokens.push({ kind: 'any' });
    } else if (c === '?') {
      flush();
      tokens.push({ kind: 'one' });
    } else text += c;
  }
  flush();
  return tokens;
}

export const literal = (text: string): Token[] => (text ? [{ kind: 'text', text }] : []);

export function hasWildcards(tokens: readonly Token[]): boolean {
  return tokens.some((t) => t.kind !== 'text');
}

export function tokensText(tokens: readonly Token[]): string {
  return tokens.map((t) => (t.kind === 'text' ? t.text : '')).join('');
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;
export const escapeRegex = (text: string): string => text.replace(REGEX_SPECIAL, '\\$&');

/** The anchored regular expression a wildcard pattern means. */
export function tokensToRegex(tokens: readonly Token[]): string {
  return `^${tokens.map((t) => (t.kind === 'text' ? escapeRegex(t.text) : t.kind === 'any' ? '.*' : '.')).join('')}$`;
}

/** Writes tokens back as a Sigma string (for messages and round trips). */
export function formatSigmaString(tokens: readonly Token[]): string {
  return tokens.map((t) => (t.kind === 'any' ? '*' : t.kind === 'one' ? '?' : t.text.replace(/[\\*?]/g, '\\$&'))).join('');
}
