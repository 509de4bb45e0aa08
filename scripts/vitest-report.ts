import { relative } from 'node:path';

// What the scripts read from vitest's JSON reporter, and which tests a report says failed: the
// CI summary (test-summary.ts) and the repeat summary (test-repeat-summary.ts) read it alike.
export interface AssertionResult {
  fullName: string;
  status: string;
  failureMessages?: string[];
}
export interface FileResult {
  name: string;
  status: string;
  message?: string;
  assertionResults: AssertionResult[];
}
export interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: FileResult[];
}

/** One failure: a test (`test` its full name), or a file that failed outside its tests (a hook, an import: `test` null). */
export interface Failure {
  file: string;
  test: string | null;
  error: string;
}

/** The report's failures, each file named relative to `cwd`. */
export function failuresOf(report: VitestReport, cwd: string): Failure[] {
  return report.testResults.flatMap((result): Failure[] => {
    const file = relative(cwd, result.name);
    const failed = result.assertionResults.filter((test) => test.status === 'failed');
    const tests = failed.map((test) => ({ file, test: test.fullName, error: (test.failureMessages ?? []).join('\n') }));
    return result.status === 'failed' && failed.length === 0 ? [{ file, test: null, error: result.message ?? 'failed outside its tests' }] : tests;
  });
}
