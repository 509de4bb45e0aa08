import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

// Prints the end of a CI log from one or more of vitest's JSON reports (npm test runs several
// vitest runs side by side): each failed test with the first lines of its error, then one plain
// closing line ("Tests: N passed, N failed, N skipped"). Whoever reads only the last lines of a
// CI log sees which test failed and why, not just that one did. A report that is missing (its run
// crashed before writing it) is named, and the exit code is non-zero.
interface AssertionResult {
  fullName: string;
  status: string;
  failureMessages?: string[];
}
interface FileResult {
  name: string;
  status: string;
  message?: string;
  assertionResults: AssertionResult[];
}
interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults?: FileResult[];
}

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

function failureLines(report: VitestReport, cwd: string): string[] {
  const lines: string[] = [];
  for (const file of report.testResults ?? []) {
    const fileName = relative(cwd, file.name);
    const failed = file.assertionResults.filter((test) => test.status === 'failed');
    for (const test of failed) {
      lines.push(`FAILED ${fileName} › ${test.fullName}`, ...firstLines((test.failureMessages ?? []).join('\n')));
    }
    if (file.status === 'failed' && failed.length === 0) {
      lines.push(`FAILED ${fileName} (outside its tests)`, ...firstLines(file.message ?? 'no message'));
    }
  }
  return lines;
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
  failures.push(...failureLines(report, process.cwd()));
}
if (failures.length > 0) console.log(`\n${failures.join('\n')}\n`);
console.log(`Tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped${missing.length > 0 ? ` (no report: ${missing.join(', ')})` : ''}`);
if (missing.length > 0) process.exitCode = 1;
