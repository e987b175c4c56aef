/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // The example plugin's own tests run too, as its author would run them (plain JavaScript, sg-lint/testing).
  roots: ['<rootDir>/test', '<rootDir>/examples/plugin'],
  testMatch: ['**/*.test.ts', '**/examples/plugin/**/*.test.js'],
  // `sg-lint` and `sg-lint/testing` resolve to the sources, as the package's exports resolve to dist/ for users.
  moduleNameMapper: {
    '^sg-lint$': '<rootDir>/src/index.ts',
    '^sg-lint/testing$': '<rootDir>/src/testing/index.ts',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  testTimeout: 60000,
  // Many suites wait on child processes (the built CLI, npm, pre-commit): two workers keep both cores busy.
  maxWorkers: 2,
};
