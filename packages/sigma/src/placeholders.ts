import { SigmaUnsupported } from './errors.js';

/** `%name%` → one value or a list of values (OR-ed), from the `sigma.placeholders` config. */
export type Placeholders = Readonly<Record<string, string | readonly string[]>>;

/**
 * Expands the placeholders of a value written with the `expand` modifier. `\%` is a plain
 * percent sign. A placeholder without a configured value refuses the rule, naming it: a rule
 * that silently matched nothing (or everything) in its place would be worse than none.
 */
export function expandPlaceholders(raw: string, placeholders: Placeholders, at: readonly (string | number)[]): string[] {
  const pieces: (string | { name: string })[] = [];
  let text = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && raw[i + 1] === '%') {
      text += '%';
      i++;
    } else if (c === '%') {
      const end = raw.indexOf('%', i + 1);
      if (end === -1) {
        text += c;
        continue;
      }
      if (text) pieces.push(text);
      text = '';
      pieces.push({ name: raw.slice(i + 1, end) });
      i = end;
    } else text += c;
  }
  if (text) pieces.push(text);
  let out = [''];
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      out = out.map((o) => o + piece);
      continue;
    }
    const value = Object.hasOwn(placeholders, piece.name) ? placeholders[piece.name] : undefined;
    if (value === undefined)
      throw new SigmaUnsupported(`placeholder %${piece.name}% has no value: set sigma.placeholders.${piece.name} in the detection processor config`, at);
    const values = typeof value === 'string' ? [value] : [...value];
    if (values.length === 0) throw new SigmaUnsupported(`placeholder %${piece.name}% is configured as an empty list`, at);
    out = out.flatMap((o) => values.map((v) => o + v));
  }
  return out;
}
