import { readFileSync } from 'node:fs';
import { compileSigma, type SigmaCompilation, type SigmaOptions } from './compile.js';
import { looksLikeSigma, parseSigmaFile, type SigmaDocument } from './sigma-document.js';

export interface SigmaFileProblem {
  file: string;
  line: number;
  message: string;
}

/** Splits rule files into Sigma ones (by content) and the rest. */
export function isSigmaText(text: string): boolean {
  if (!looksLikeSigma(text)) return false;
  // A Sigma file with a YAML fault is still Sigma: it is reported per file, the other rules load.
  const parsed = parseSigmaFile('', text);
  return parsed.documents.length > 0 || parsed.problems.some((p) => p.message.startsWith('YAML syntax error'));
}

/**
 * Reads and compiles Sigma files together (a correlation may name rules of another file).
 * Unreadable documents are problems of their file; rules are judged one by one in `outcomes`.
 */
export function compileSigmaFiles(
  files: readonly { file: string; text?: string }[],
  options: SigmaOptions,
): SigmaCompilation & { problems: SigmaFileProblem[] } {
  const documents: SigmaDocument[] = [];
  const problems: SigmaFileProblem[] = [];
  for (const { file, text } of files) {
    const parsed = parseSigmaFile(file, text ?? readFileSync(file, 'utf8'));
    documents.push(...parsed.documents);
    problems.push(...parsed.problems.map((p) => ({ file, ...p })));
  }
  return { ...compileSigma(documents, options), problems };
}
