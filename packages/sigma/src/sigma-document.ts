import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { locateInYaml } from '@oktel/core';

/** One YAML document of a Sigma file (a rule or a correlation), with a way to name lines. */
export interface SigmaDocument {
  readonly file: string;
  /** 0-based position of the document in its file. */
  readonly index: number;
  readonly value: Record<string, unknown>;
  /** The line of the deepest node on `path` that exists (1-based). */
  line(path?: readonly (string | number)[]): number;
}

export type SigmaKind = 'rule' | 'correlation' | 'filter';

/** Sigma by content: a rule has `detection` and `logsource`; a correlation has `correlation`; a meta-filter `filter` and `logsource`. */
export function sigmaKind(value: unknown): SigmaKind | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if ('correlation' in value) return 'correlation';
  if ('detection' in value && 'logsource' in value) return 'rule';
  if ('filter' in value && 'logsource' in value) return 'filter';
  return undefined;
}

/** Cheap pre-check before parsing a file as Sigma: native rules never have these top-level keys. */
export function looksLikeSigma(text: string): boolean {
  return /^(detection|correlation|logsource|filter):/m.test(text);
}

function locator(doc: Document, lines: LineCounter): (path?: readonly (string | number)[]) => number {
  return (path = []) => locateInYaml(doc, lines, path)?.line ?? 1;
}

export interface ParsedSigmaFile {
  documents: SigmaDocument[];
  /** YAML syntax faults and documents that are neither a Sigma rule nor a correlation. */
  problems: { line: number; message: string }[];
}

/** Parses every document of a (multi-document) Sigma YAML file. */
export function parseSigmaFile(file: string, text: string): ParsedSigmaFile {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const documents: SigmaDocument[] = [];
  const problems: ParsedSigmaFile['problems'] = [];
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) problems.push({ line: 1, message: 'not a YAML document stream' });
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      problems.push({ line: e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line, message: `YAML syntax error: ${e.message.split('\n')[0]}` });
      return;
    }
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    const line = locator(doc, lines);
    if (value === null || value === undefined) return;
    if (!sigmaKind(value)) {
      problems.push({ line: line(), message: `document ${index + 1} is neither a Sigma rule (detection + logsource) nor a correlation` });
      return;
    }
    documents.push({ file, index, value: value as Record<string, unknown>, line });
  });
  return { documents, problems };
}
