// Makes every packages/*/package.json publishable the same way and writes the TypeScript
// build graph (tsconfig.build.json per package + the root solution) from their @oktel/*
// dependencies. Run `pnpm packages:sync` after adding a package or changing its dependencies;
// test/packaging.test.ts fails while anything here is out of date.
//
//   tsx scripts/sync-packages.ts          write the changes
//   tsx scripts/sync-packages.ts --check  list what is out of date, exit 1 if anything is
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = new URL('..', import.meta.url).pathname;
export const SYNC_COMMAND = 'pnpm packages:sync';

/** Test helpers with an API that is not settled yet: built and type-checked, never published. */
const UNPUBLISHED = new Set(['testkit']);
/** Files copied from the root into every package so that each tarball carries them. */
const COPIED = ['LICENSE', 'NOTICE'];

type Json = Record<string, unknown>;

export interface SyncedFile {
  path: string;
  expected: string;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export function packageDirs(): string[] {
  return readdirSync(join(ROOT, 'packages'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(ROOT, 'packages', d.name, 'package.json')))
    .map((d) => d.name)
    .sort();
}

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8')) as Json;
}

/** @oktel/* packages the sources of `pkg` may import at run time. */
function runtimeOktelDeps(pkg: Json): string[] {
  const deps = { ...(pkg.dependencies as Json | undefined), ...(pkg.peerDependencies as Json | undefined) };
  return Object.keys(deps)
    .filter((name) => name.startsWith('@oktel/'))
    .map((name) => name.slice('@oktel/'.length))
    .sort();
}

/** Key order of a synced package.json: identity first, then what npm shows, then wiring. */
const ORDER = [
  'name',
  'version',
  'private',
  'description',
  'license',
  'repository',
  'engines',
  'type',
  'sideEffects',
  'bin',
  'exports',
  'files',
  'publishConfig',
  'scripts',
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
  'devDependencies',
];

function ordered(pkg: Json): Json {
  const out: Json = {};
  for (const key of ORDER) if (pkg[key] !== undefined) out[key] = pkg[key];
  for (const key of Object.keys(pkg).sort()) if (!(key in out)) out[key] = pkg[key];
  return out;
}

export function syncedPackageJson(dir: string, current: Json, root: Json): Json {
  const pkg: Json = { ...current };
  pkg.name = `@oktel/${dir}`;
  pkg.version = root.version;
  if (UNPUBLISHED.has(dir)) pkg.private = true;
  else delete pkg.private;
  pkg.license = 'Apache-2.0';
  // The project has no public host yet: name the monorepo directory, invent no URL.
  pkg.repository = { type: 'git', directory: `packages/${dir}` };
  pkg.engines = { node: (root.engines as Json).node };
  pkg.type = 'module';
  // Sources run through tsx in the checkout (exports name src/*.ts); on pack, publishConfig puts
  // the compiled build with its declarations in their place, subpath by subpath.
  const { exports, other } = sourceExports(current.exports);
  pkg.exports = { ...Object.fromEntries(Object.entries(exports).map(([key, stem]) => [key, `./src/${stem}.ts`])), ...other };
  // src ships too, so the source and declaration maps in dist resolve (stack traces, go-to-definition).
  const standard = ['dist', '!dist/.tsbuildinfo', 'src', 'README.md', ...COPIED];
  const extras = ((current.files as string[] | undefined) ?? []).filter((f) => !standard.includes(f));
  pkg.files = [...standard, ...extras];
  const publishConfig: Json = {
    access: 'public',
    exports: {
      ...Object.fromEntries(Object.entries(exports).map(([key, stem]) => [key, { types: `./dist/${stem}.d.ts`, default: `./dist/${stem}.js` }])),
      ...other,
    },
    main: './dist/index.js',
    types: './dist/index.d.ts',
  };
  if (current.bin) {
    // The checkout's bin goes through tsx; the published one is the compiled entry point.
    const bins = current.bin as Record<string, string>;
    publishConfig.bin = Object.fromEntries(Object.keys(bins).map((name) => [name, './dist/main.js']));
  }
  pkg.publishConfig = publishConfig;
  pkg.sideEffects = current.bin ? ['./dist/main.js', './src/main.ts'] : false;
  return ordered(pkg);
}

/**
 * Export subpaths that name a module under src/ (subpath -> module stem, "." -> index at least),
 * and the others (a data file, ./package.json), which are kept as they are.
 */
function sourceExports(declared: unknown): { exports: Record<string, string>; other: Json } {
  const entries = typeof declared === 'string' ? { '.': declared } : ((declared as Json | undefined) ?? {});
  const exports: Record<string, string> = {};
  const other: Json = {};
  for (const [key, target] of Object.entries(entries)) {
    const match = typeof target === 'string' ? /^\.\/src\/(.+)\.ts$/.exec(target) : null;
    if (match) exports[key] = match[1]!;
    else other[key] = target;
  }
  if (!('.' in exports) && !('.' in other)) exports['.'] = 'index';
  return { exports, other };
}

export function syncedBuildConfig(pkg: Json): Json {
  const refs = runtimeOktelDeps(pkg).map((dep) => ({ path: `../${dep}/tsconfig.build.json` }));
  return {
    extends: '../../tsconfig.build.base.json',
    compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo' },
    include: ['src/**/*.ts'],
    references: refs,
  };
}

/** Every file the sync owns, with the content it should have. */
export function expectedFiles(): SyncedFile[] {
  const root = readJson(join(ROOT, 'package.json'));
  const files: SyncedFile[] = [];
  const dirs = packageDirs();
  for (const dir of dirs) {
    const base = join(ROOT, 'packages', dir);
    const current = readJson(join(base, 'package.json'));
    files.push({ path: join(base, 'package.json'), expected: json(syncedPackageJson(dir, current, root)) });
    files.push({ path: join(base, 'tsconfig.build.json'), expected: json(syncedBuildConfig(current)) });
    for (const name of COPIED) files.push({ path: join(base, name), expected: readFileSync(join(ROOT, name), 'utf8') });
  }
  files.push({
    path: join(ROOT, 'tsconfig.build.json'),
    expected: json({ files: [], references: dirs.map((dir) => ({ path: `packages/${dir}/tsconfig.build.json` })) }),
  });
  return files;
}

export function outOfSync(): string[] {
  return expectedFiles()
    .filter((f) => !existsSync(f.path) || readFileSync(f.path, 'utf8') !== f.expected)
    .map((f) => f.path.slice(ROOT.length));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--check')) {
    const stale = outOfSync();
    for (const path of stale) process.stdout.write(`out of sync: ${path}\n`);
    if (stale.length > 0) process.stdout.write(`Run: ${SYNC_COMMAND}\n`);
    process.exitCode = stale.length > 0 ? 1 : 0;
  } else {
    let changed = 0;
    for (const file of expectedFiles()) {
      if (existsSync(file.path) && readFileSync(file.path, 'utf8') === file.expected) continue;
      writeFileSync(file.path, file.expected);
      process.stdout.write(`wrote ${file.path.slice(ROOT.length)}\n`);
      changed++;
    }
    process.stdout.write(`${changed} file(s) changed\n`);
  }
}
