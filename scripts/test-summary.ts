import { existsSync, readFileSync } from 'node:fs';

// Prints one plain closing line ("Tests: N passed, N failed, N skipped") from one or more of
// vitest's JSON reports (npm test runs two vitest runs side by side), so that whoever reads the
// end of a CI log sees the count without vitest's colours. A report that is missing (its run
// crashed before writing it) is named, and the exit code is non-zero.
interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

const paths = process.argv.length > 2 ? process.argv.slice(2) : ['test-output/vitest.json'];
const total = { passed: 0, failed: 0, skipped: 0 };
const missing = paths.filter((path) => !existsSync(path));
for (const path of paths.filter((path) => existsSync(path))) {
  const report = JSON.parse(readFileSync(path, 'utf8')) as VitestReport;
  total.passed += report.numPassedTests;
  total.failed += report.numFailedTests;
  total.skipped += report.numPendingTests + report.numTodoTests;
}
console.log(`Tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped${missing.length > 0 ? ` (no report: ${missing.join(', ')})` : ''}`);
if (missing.length > 0) process.exitCode = 1;
