#!/usr/bin/env bash
# The README's test command: every test layer against real engines. Integration and e2e
# tests start their own dockerd, Podman, sshd and gnome-keyring (tests/support/global-setup.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-node.sh
npx vitest run "$@"
