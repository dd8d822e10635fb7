import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes JSON Lines (objects are stringified, strings written as-is) and returns the path. */
export function writeLines(dir: string, name: string, lines: readonly unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
}

export function writeConfig(dir: string, name: string, yaml: string): string {
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return path;
}
