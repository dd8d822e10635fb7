import type { SigmaOutcome } from './compile.js';

/** One line per Sigma document (loaded / skipped / refused, and why), then the counts. */
export function renderOutcomes(outcomes: readonly SigmaOutcome[]): string {
  const lines = outcomes.flatMap((o) => [
    `${o.outcome.toUpperCase().padEnd(7)}  ${o.file}:${o.line}  ${o.title}${o.reason ? ` (${o.reason})` : ''}`,
    ...o.warnings.map((w) => `         warning: ${w}`),
  ]);
  const count = (k: SigmaOutcome['outcome']): number => outcomes.filter((o) => o.outcome === k).length;
  lines.push(`Sigma: ${count('loaded')} loaded, ${count('skipped')} skipped, ${count('refused')} refused`);
  return lines.join('\n');
}
