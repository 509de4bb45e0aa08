#!/usr/bin/env bash
# The README's test command: every test layer against real engines. Integration and e2e
# tests start their own dockerd, Podman, sshd and gnome-keyring (tests/support/global-setup.ts).
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-node.sh
mkdir -p test-output
npx vitest run --reporter=default --reporter=json --outputFile.json=test-output/vitest.json "$@"
status=$?
node scripts/test-summary.ts test-output/vitest.json || true
exit $status
