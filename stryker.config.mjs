import { fileURLToPath } from 'node:url';

// Mutation testing (StrykerJS, mocha runner): `MUTATE=jsonlogic pnpm mutate` (or core, detection).
// Runs in place (the workspace packages resolve through node_modules symlinks to the real
// sources, which a sandbox copy would not mutate), so let it finish or restore with git.
const SCOPES = {
  jsonlogic: {
    mutate: ['packages/jsonlogic/src/**/*.ts', '!packages/jsonlogic/src/index.ts'],
    spec: ['packages/jsonlogic/test/**/*.test.ts'],
  },
  core: {
    mutate: [
      'packages/core/src/config/{merge,units,env}.ts',
      'packages/core/src/errors.ts',
      'packages/core/src/backoff.ts',
      'packages/core/src/storage.ts',
      'packages/core/src/logger.ts',
      'packages/core/src/consumer.ts',
      'packages/core/src/registry.ts',
    ],
    spec: ['packages/core/test/**/*.test.ts', 'packages/testkit/test/core/*.test.ts'],
  },
  detection: {
    mutate: [
      'packages/processor-detection/src/suppression.ts',
      'packages/processor-detection/src/rules/severity.ts',
      'packages/processor-detection/src/correlation/*.ts',
      'packages/processor-detection/src/engine.ts',
    ],
    // The pack's rule tests are what exercise sequence, aggregate and value_count end to end.
    spec: ['packages/processor-detection/test/**/*.test.ts', 'packages/rules-okta/test/**/*.test.ts'],
  },
};
const scope = SCOPES[process.env.MUTATE ?? 'jsonlogic'];
if (!scope) throw new TypeError(`MUTATE must be one of ${Object.keys(SCOPES).join(', ')}`);

export default {
  // Named by path: pnpm does not hoist the runner where Stryker's own resolution looks.
  plugins: [fileURLToPath(import.meta.resolve('@stryker-mutator/mocha-runner'))],
  testRunner: 'mocha',
  testRunnerNodeArgs: ['--import', 'tsx'],
  // .mocharc.json gives the extension and timeout; spec narrows it to the scope's tests.
  mochaOptions: { spec: scope.spec },
  mutate: scope.mutate,
  inPlace: true,
  // tsx does not type-check, so no file needs // @ts-nocheck: only the mutated files are touched.
  disableTypeChecks: false,
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${process.env.MUTATE ?? 'jsonlogic'}.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
