import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { ConfigIssue } from '../errors.js';

/** One parsed config file, kept with its source so issues can name a line. */
export class YamlSource {
  readonly file: string;
  readonly value: unknown;
  readonly #doc: Document;
  readonly #lines: LineCounter;

  private constructor(file: string, doc: Document, lines: LineCounter) {
    this.file = file;
    this.#doc = doc;
    this.#lines = lines;
    this.value = doc.toJS({ maxAliasCount: 100 }) ?? {};
  }

  static fromText(file: string, text: string): { source?: YamlSource; issues: ConfigIssue[] } {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      return {
        // Only the first: a parser that lost its footing reports every later line too.
        issues: doc.errors.slice(0, 1).map((e) => ({
          path: [],
          file,
          line: e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line,
          message: `YAML syntax error: ${e.message.split('\n')[0]}`,
        })),
      };
    }
    return { source: new YamlSource(file, doc, lines), issues: [] };
  }

  static fromFile(file: string): { source?: YamlSource; issues: ConfigIssue[] } {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      return { issues: [{ path: [], file, message: `cannot read config file: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }] };
    }
    return YamlSource.fromText(file, text);
  }

  /** The line of the deepest node on `path` that exists in this file (see `locateInYaml`). */
  locate(path: readonly (string | number)[]): { line: number; exact: boolean } | undefined {
    return locateInYaml(this.#doc, this.#lines, path);
  }
}

/**
 * The line of the deepest node on `path` that exists in a parsed YAML document, and whether the
 * whole path was found; undefined for an empty document. Keys point at the key itself, so an
 * unknown key is reported where it is written.
 */
export function locateInYaml(doc: Document, lines: LineCounter, path: readonly (string | number)[]): { line: number; exact: boolean } | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as YamlNode | null)?.range?.[0];
  let depth = 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      offset = (pair.key as YamlNode).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment];
      offset = (node as YamlNode).range?.[0] ?? offset;
    } else break;
    depth++;
  }
  if (offset === undefined) return undefined;
  return { line: lines.linePos(offset).line, exact: depth === path.length };
}
