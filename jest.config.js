// One runner, three levels: unit (no I/O), integration (one service against the
// harness's real nats-server + FerretDB), e2e (services as processes over HTTP).
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

module.exports = {
  // A global option: jest ignores testTimeout inside a project. Generous, for a loaded 2-core CI machine;
  // tests that wait on purpose pass their own timeout.
  testTimeout: 60_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['**/*.int-spec.ts'], globalSetup: '<rootDir>/libs/testing/src/global-setup.ts' },
    { ...shared, displayName: 'e2e', testMatch: ['**/*.e2e-spec.ts'], globalSetup: '<rootDir>/libs/testing/src/global-setup.ts' },
  ],
};
