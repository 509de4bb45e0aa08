#!/usr/bin/env bash
# `npm run web`: build the renderer, then serve the app in browser mode on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-node.sh
npx vite build --config renderer/vite.config.ts --logLevel warn
exec node electron/main/web/cli.ts "$@"
