#!/usr/bin/env bash
# One-time set-up on a fresh Debian 12 machine: system packages, Node 24, npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-packages.sh
source scripts/ensure-node.sh
npm ci --no-audit --no-fund
echo "Set up. In a new shell run: source scripts/ensure-node.sh"
