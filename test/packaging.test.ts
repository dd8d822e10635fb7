import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { outOfSync, ROOT, SYNC_COMMAND, syncedBuildConfig, syncedPackageJson } from '../scripts/sync-packages.js';

const rootManifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;

describe('packaging', () => {
  it('every package is synced: publish fields, tsconfig.build.json, LICENSE and NOTICE, root solution', () => {
    const stale = outOfSync();
    expect(stale, `these files are out of date; run \`${SYNC_COMMAND}\` and commit the result:\n  ${stale.join('\n  ')}\n`).to.deep.equal([]);
  });

  it('makes a newly added package publishable: real name and version, build exports with types, files, licence', () => {
    const added = {
      name: 'whatever',
      version: '0.0.0',
      private: true,
      type: 'module',
      exports: { '.': './src/index.ts' },
      dependencies: { '@oktel/core': 'workspace:*', zod: '4.6.7' },
    };
    const synced = syncedPackageJson('receiver-new', added, rootManifest);
    expect(synced).to.include({ name: '@oktel/receiver-new', version: rootManifest.version, license: 'Apache-2.0', type: 'module', sideEffects: false });
    expect(synced).not.to.have.property('private');
    expect(synced.engines).to.deep.equal(rootManifest.engines);
    expect(synced.exports, 'the checkout runs the sources').to.deep.equal({ '.': './src/index.ts' });
    expect(synced.publishConfig).to.deep.include({ exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } }, types: './dist/index.d.ts' });
    expect(synced.files).to.include.members(['dist', 'README.md', 'LICENSE', 'NOTICE']);
    expect(synced.dependencies).to.deep.equal(added.dependencies);
  });

  it('publishes a bin as the compiled entry point and keeps package-specific files', () => {
    const synced = syncedPackageJson('cli', { bin: { oktel: './bin/oktel.mjs' }, files: ['configs'] }, rootManifest);
    expect(synced.bin).to.deep.equal({ oktel: './bin/oktel.mjs' });
    expect((synced.publishConfig as { bin: unknown }).bin).to.deep.equal({ oktel: './dist/main.js' });
    expect(synced.files).to.include('configs');
  });

  it('maps every src subpath export to its compiled module and keeps other exports as declared', () => {
    const synced = syncedPackageJson(
      'sigma',
      { exports: { '.': './src/index.ts', './mapping': './src/mapping/index.ts', './package.json': './package.json' } },
      rootManifest,
    );
    expect(synced.exports).to.deep.equal({ '.': './src/index.ts', './mapping': './src/mapping/index.ts', './package.json': './package.json' });
    expect((synced.publishConfig as { exports: unknown }).exports).to.deep.equal({
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './mapping': { types: './dist/mapping/index.d.ts', default: './dist/mapping/index.js' },
      './package.json': './package.json',
    });
  });

  it('derives project references from run-time @oktel dependencies only', () => {
    const config = syncedBuildConfig({
      dependencies: { '@oktel/core': 'workspace:*', '@oktel/jsonlogic': 'workspace:*', zod: '4.6.7' },
      devDependencies: { '@oktel/testkit': 'workspace:*' },
    });
    expect(config.references).to.deep.equal([{ path: '../core/tsconfig.build.json' }, { path: '../jsonlogic/tsconfig.build.json' }]);
    expect(config.compilerOptions).to.include({ rootDir: 'src', outDir: 'dist' });
  });
});
