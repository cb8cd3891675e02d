/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['<rootDir>/test/transform.js', { diagnostics: false }],
  },
  // Type errors are caught once, by `tsc --noEmit` in `npm test`, not per test file.
  setupFiles: ['<rootDir>/test/jest-setup.ts'],
  // One worker per core: jest's default leaves one core idle, half the machine on a 2-core runner.
  maxWorkers: '100%',
  // The heaviest suites first, also on a fresh clone without jest's timing cache.
  testSequencer: '<rootDir>/test/sequencer.js',
  testTimeout: 60000,
};
