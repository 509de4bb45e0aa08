import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { failuresOf, type VitestReport } from './vitest-report.ts';

// Reads the JSON reports scripts/test-repeat.sh wrote (run-1.json … run-N.json) and prints, per
// test, in how many runs it failed. A run without a report (vitest crashed) and a file that
// failed outside its tests (a hook, an import) count as failures too. Exits 1 when any failed.
const [folder = 'test-output/repeat', runsText = '1'] = process.argv.slice(2);
const runs = Number(runsText);
const failures = new Map<string, number>();
const skips = new Map<string, number>();
const seen = new Set<string>();
const missingRuns: number[] = [];

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

for (let run = 1; run <= runs; run += 1) {
  const path = join(folder, `run-${run}.json`);
  if (!existsSync(path)) {
    missingRuns.push(run);
    continue;
  }
  const report = JSON.parse(readFileSync(path, 'utf8')) as VitestReport;
  for (const file of report.testResults) {
    const fileName = relative(process.cwd(), file.name);
    for (const test of file.assertionResults) {
      const key = `${fileName} › ${test.fullName}`;
      seen.add(key);
      if (test.status === 'skipped' || test.status === 'pending' || test.status === 'todo') count(skips, key);
    }
  }
  for (const { file, test, error } of failuresOf(report, process.cwd())) count(failures, `${file} › ${test ?? `(file: ${error.split('\n')[0]})`}`);
}

const failing = [...failures.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
const alwaysSkipped = [...skips.entries()].filter(([, times]) => times === runs - missingRuns.length).map(([name]) => name);
console.log(`\n${seen.size} tests over ${runs} run(s)${missingRuns.length > 0 ? `; no report from run(s) ${missingRuns.join(', ')}` : ''}`);
if (failing.length === 0) console.log('no test failed in any run');
else {
  console.log('failed runs  test');
  for (const [name, times] of failing) console.log(`${`${times}/${runs}`.padStart(11)}  ${name}`);
}
if (alwaysSkipped.length > 0) console.log(`skipped in every run: ${alwaysSkipped.length} (see the run logs for why)`);
process.exit(failing.length > 0 || missingRuns.length > 0 ? 1 : 0);
