import { readFileSync } from 'node:fs';

// Prints one plain closing line ("Tests: N passed, N failed, N skipped") from vitest's JSON
// report, so that whoever reads the end of a CI log sees the count without vitest's colours.
interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

const report = JSON.parse(readFileSync(process.argv[2] ?? 'test-output/vitest.json', 'utf8')) as VitestReport;
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`Tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
