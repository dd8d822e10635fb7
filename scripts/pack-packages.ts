// Builds the workspace and packs every publishable package (not "private") into one directory:
// what the pack-install test, the Dockerfile and a release use. `pnpm packages:pack DEST`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;

export function publishableDirs(): string[] {
  return readdirSync(join(ROOT, 'packages'))
    .filter((dir) => existsSync(join(ROOT, 'packages', dir, 'package.json')))
    .filter((dir) => (JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8')) as { private?: boolean }).private !== true)
    .sort();
}

function pnpm(args: string[]): void {
  const result = spawnSync('pnpm', args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dest = process.argv[2];
  if (!dest) {
    process.stderr.write('usage: pnpm packages:pack DEST\n');
    process.exit(2);
  }
  pnpm(['build']);
  pnpm([
    '-r',
    ...publishableDirs().flatMap((d) => ['--filter', `./packages/${d}`]),
    'pack',
    '--pack-destination',
    resolve(process.env.INIT_CWD ?? process.cwd(), dest),
  ]);
}
