#!/usr/bin/env bash
# Runs the chosen test layers N times and prints, per test, in how many runs it failed, to find
# flaky tests: `scripts/test-repeat.sh 5 --project integration --project e2e` (any vitest
# arguments after N). Each run's JSON report and log go to test-output/repeat/.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-node.sh
runs=${1:-}
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/test-repeat.sh N [vitest args]   (N ≥ 1 runs)" >&2
  exit 2
fi
shift
folder=test-output/repeat
rm -rf "$folder"
mkdir -p "$folder"
worst=0
for run in $(seq 1 "$runs"); do
  started=$(date +%s)
  npx vitest run --reporter=dot --reporter=json --outputFile.json="$folder/run-$run.json" "$@" >"$folder/run-$run.log" 2>&1
  status=$?
  [ "$status" -gt "$worst" ] && worst=$status
  printf 'run %s/%s: exit %s in %ss (%s)\n' "$run" "$runs" "$status" "$(( $(date +%s) - started ))" "$folder/run-$run.log"
done
node scripts/test-repeat-summary.ts "$folder" "$runs"
summary=$?
[ "$summary" -ne 0 ] && exit "$summary"
exit "$worst"
