/*
 * Adds up the results of every test runner (Jest's --json output: every
 * jest*.json, e.g. jest-production.json; Playwright's JSON reporter:
 * playwright*.json; and the shell-driven steps of the adopter test:
 * steps*.json, {tests: [{name, status}]}) into the one line CI reads:
 * "N passed, N failed[, N skipped]". Exits non-zero when anything failed,
 * including checks that are not test runners (type check, lint).
 */
const fs = require('node:fs');
const path = require('node:path');

const [resultsDir, ...failedChecks] = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };

function readJson(file) {
  return JSON.parse(fs.readFileSync(path.join(resultsDir, file), 'utf8'));
}

/** Every report of one runner kind: `jest.json`, `jest-production.json`, ... */
function reports(prefix) {
  if (!fs.existsSync(resultsDir)) return [];
  return fs
    .readdirSync(resultsDir)
    .filter(f => f.startsWith(prefix) && f.endsWith('.json'))
    .sort()
    .map(readJson);
}

for (const jest of reports('jest')) {
  totals.passed += jest.numPassedTests;
  totals.failed += jest.numFailedTests;
  totals.skipped += jest.numPendingTests + jest.numTodoTests;
  // A suite that fails to run (syntax error, failing hook) has no failed tests.
  totals.failed += jest.testResults.filter(
    r =>
      r.status === 'failed' &&
      r.assertionResults.every(a => a.status !== 'failed'),
  ).length;
}

for (const playwright of reports('playwright')) {
  totals.passed += playwright.stats.expected + playwright.stats.flaky;
  totals.failed += playwright.stats.unexpected;
  totals.skipped += playwright.stats.skipped;
}

for (const steps of reports('steps')) {
  for (const step of steps.tests) {
    if (step.status === 'failed') console.log(`Failed: ${step.name}`);
    totals[step.status] += 1;
  }
}

if (failedChecks.length > 0) {
  console.log(`Failed: ${failedChecks.join(', ')}`);
}
const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(failedChecks.length > 0 || totals.failed > 0 ? 1 : 0);
