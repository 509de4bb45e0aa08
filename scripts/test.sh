#!/usr/bin/env bash
# The README's test command: every test layer against real engines. Integration and e2e
# tests start their own dockerd, Podman, sshd and gnome-keyring (tests/support/global-setup.ts).
#
# With no arguments, two lines of vitest runs go side by side: unit then integration in this
# terminal; beside them e2e, then the three longest integration files (kept out of the first
# line), with their logs printed when both lines are done. Each vitest run starts its own test
# environment (its own engines and keyring), so the two lines share no engine. Most of either
# line waits on engines and Chromium, so on two cores this takes about the longer line (about
# ten minutes each) instead of their sum. With arguments (`npm test -- --project unit`), one
# vitest run with them.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-node.sh
mkdir -p test-output
# One vitest run: its JSON report goes to test-output/$1, the other arguments go to vitest.
vitest_run() {
  local report=$1
  shift
  node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json="test-output/$report" "$@"
}

if [ "$#" -gt 0 ]; then
  vitest_run vitest.json "$@"
  status=$?
  node scripts/test-summary.ts test-output/vitest.json || true
  exit $status
fi

# Integration files that mostly wait (token expiries, link outages), moved to the e2e line so the
# two lines take about as long; tests/integration/... paths, each must exist.
beside_e2e=(
  tests/integration/environments/kube-exec-expiring-watch.test.ts
  tests/integration/operations/containers/engine-links.test.ts
  tests/integration/commands/policy-engine-membership.test.ts
)
excluded=()
for file in "${beside_e2e[@]}"; do
  [ -f "$file" ] || { echo "scripts/test.sh: $file is listed to run beside e2e but does not exist" >&2; exit 2; }
  excluded+=(--exclude "$file")
done

rm -f test-output/vitest.json test-output/vitest-*.json test-output/beside.log
{
  vitest_run vitest-e2e.json --project e2e
  e2e=$?
  vitest_run vitest-integration-beside.json --project integration "${beside_e2e[@]}"
  rest=$?
  [ "$e2e" -ne 0 ] && exit "$e2e"
  exit "$rest"
} >test-output/beside.log 2>&1 &
beside=$!
# An interrupted run stops the other line too (its global teardown stops its engines).
trap 'pkill -TERM -P "$beside" 2>/dev/null; kill -TERM "$beside" 2>/dev/null' INT TERM
vitest_run vitest-unit-integration.json --project unit --project integration "${excluded[@]}"
first=$?
wait "$beside"
second=$?
trap - INT TERM
printf '\n== e2e, then %s integration files (ran beside unit and integration; exit %s; log: test-output/beside.log)\n' "${#beside_e2e[@]}" "$second"
cat test-output/beside.log
node scripts/test-summary.ts test-output/vitest-unit-integration.json test-output/vitest-e2e.json test-output/vitest-integration-beside.json || true
[ "$first" -ne 0 ] && exit "$first"
exit "$second"
