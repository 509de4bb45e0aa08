import { existsSync, readFileSync } from 'node:fs';
import { failuresOf, type VitestReport } from './vitest-report.ts';

// Prints the end of a CI log from one or more of vitest's JSON reports (npm test runs several
// vitest runs side by side): each failed test with the first lines of its error, then one plain
// closing line ("Tests: N passed, N failed, N skipped"). Whoever reads only the last lines of a
// CI log sees which test failed and why, not just that one did. A report that is missing (its run
// crashed before writing it) is named, and the exit code is non-zero.

// Enough of an error to name its cause (the assertion and the first stack frames), short enough
// that a few failures fit in a CI log's tail.
const linesPerFailure = 12;
const charsPerLine = 300;

function firstLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, linesPerFailure)
    .map((line) => `    ${line.length > charsPerLine ? `${line.slice(0, charsPerLine)}…` : line}`);
}

function failureLines(report: VitestReport): string[] {
  return failuresOf(report, process.cwd()).flatMap(({ file, test, error }) => [test === null ? `FAILED ${file} (outside its tests)` : `FAILED ${file} › ${test}`, ...firstLines(error)]);
}

const paths = process.argv.length > 2 ? process.argv.slice(2) : ['test-output/vitest.json'];
const total = { passed: 0, failed: 0, skipped: 0 };
const missing = paths.filter((path) => !existsSync(path));
const failures: string[] = [];
for (const path of paths.filter((path) => existsSync(path))) {
  const report = JSON.parse(readFileSync(path, 'utf8')) as VitestReport;
  total.passed += report.numPassedTests;
  total.failed += report.numFailedTests;
  total.skipped += report.numPendingTests + report.numTodoTests;
  failures.push(...failureLines(report));
}
if (failures.length > 0) console.log(`\n${failures.join('\n')}\n`);
console.log(`Tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped${missing.length > 0 ? ` (no report: ${missing.join(', ')})` : ''}`);
if (missing.length > 0) process.exitCode = 1;
