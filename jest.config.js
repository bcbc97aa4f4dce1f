// One runner, five levels: unit (no I/O), integration (one service against the
// harness's real nats-server + FerretDB), e2e (services as processes over HTTP),
// faults (e2e with processes killed and servers stopped mid fan-out) and
// deployment (the Helm chart and alerting rules, with the tools that check them).
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    ...pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
    // marked ships only ES modules, which jest's CommonJS runtime cannot require (Node itself can); its UMD build is the same code.
    '^marked$': '<rootDir>/node_modules/marked/lib/marked.umd.js',
  },
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
};

const deploymentChecks = ['<rootDir>/test/helm-chart.int-spec.ts', '<rootDir>/test/observability-rules.int-spec.ts'];

module.exports = {
  // A global option: jest ignores testTimeout inside a project. Generous, for a loaded 2-core CI machine: a
  // harness's start may dial NATS three times at 20 s each (a handshake the server cut off, libs/testing's
  // test-infra); tests that wait on purpose pass their own timeout.
  testTimeout: 120_000,
  testSequencer: '<rootDir>/test/support/sequencer.js',
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['**/*.int-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...deploymentChecks],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
    },
    // The Helm chart and the alerting rules, with helm, kubeconform and promtool (npm test builds those during the first stage).
    { ...shared, displayName: 'deployment', testMatch: deploymentChecks },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
    },
    // Processes killed, servers stopped, 1,500-2,000 supporters each: a stage of their own (npm test runs it beside the rest).
    { ...shared, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.e2e-spec.ts'], globalSetup: '<rootDir>/libs/testing/src/global-setup.ts' },
  ],
};
