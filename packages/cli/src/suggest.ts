/** Levenshtein distance, small inputs only (command and flag names). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate a typo most likely meant: within a third of its length in edits (at least 2),
 * or one the typo is a prefix of. Undefined when nothing is close, so no wild guesses are offered.
 */
export function closest(typo: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = name.startsWith(typo) && typo.length >= 2 ? 0.5 : editDistance(typo, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best) return undefined;
  return best.distance <= Math.max(2, Math.floor(typo.length / 3)) ? best.name : undefined;
}

export function didYouMean(typo: string, candidates: readonly string[], render: (name: string) => string = (n) => n): string {
  const match = closest(typo, candidates);
  return match === undefined ? '' : ` (did you mean "${render(match)}"?)`;
}
