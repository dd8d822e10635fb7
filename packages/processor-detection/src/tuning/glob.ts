/**
 * Glob patterns (`*` any run, `?` one character), matched iteratively with one backtrack point:
 * O(text × pattern) at worst, so no pattern in a shared list can pin a core the way a regex
 * with nested stars could.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && (c === 63 /* ? */ || c === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (p < pattern.length && c === 42 /* * */) {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

export function isGlob(text: string): boolean {
  return text.includes('*') || text.includes('?');
}
