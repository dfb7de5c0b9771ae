module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // Assertions live in helpers named expect* (expectGoldenPathState, ...).
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'expect*'] },
    ],
  },
  overrides: [
    {
      // replicas.ts, faults.ts and recovery.ts define suites that
      // production.test.ts runs against one shared site (starting two
      // backends is the slow part), so they export them.
      files: ['src/replicas.ts', 'src/faults.ts', 'src/recovery.ts'],
      rules: { 'jest/no-export': 'off' },
    },
  ],
});
