#!/usr/bin/env bash
# The README's test command: every test layer against real engines. Integration and e2e
# tests start their own dockerd, Podman, sshd and gnome-keyring (tests/support/global-setup.ts).
#
# With no arguments, two vitest runs go side by side: unit then integration in this terminal,
# e2e beside them with its log printed when both are done. Each run starts its own test
# environment (its own engines and keyring), so the two share no engine. Most of either run
# waits on engines and Chromium, so on two cores this takes about the longer of the two instead
# of their sum. With arguments (`npm test -- --project unit`), one vitest run with them.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-node.sh
mkdir -p test-output
vitest=node_modules/.bin/vitest

if [ "$#" -gt 0 ]; then
  "$vitest" run --reporter=default --reporter=json --outputFile.json=test-output/vitest.json "$@"
  status=$?
  node scripts/test-summary.ts test-output/vitest.json || true
  exit $status
fi

rm -f test-output/vitest.json test-output/vitest-*.json test-output/e2e.log
"$vitest" run --project e2e --reporter=default --reporter=json --outputFile.json=test-output/vitest-e2e.json >test-output/e2e.log 2>&1 &
e2e=$!
# An interrupted run stops the e2e run too (its global teardown stops its engines).
trap 'kill -TERM "$e2e" 2>/dev/null' INT TERM
"$vitest" run --project unit --project integration --reporter=default --reporter=json --outputFile.json=test-output/vitest-unit-integration.json
first=$?
wait "$e2e"
second=$?
trap - INT TERM
printf '\n== e2e (ran beside unit and integration; exit %s; log: test-output/e2e.log)\n' "$second"
cat test-output/e2e.log
node scripts/test-summary.ts test-output/vitest-unit-integration.json test-output/vitest-e2e.json || true
[ "$first" -ne 0 ] && exit "$first"
exit "$second"
