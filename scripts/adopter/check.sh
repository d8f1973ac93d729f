#!/usr/bin/env bash
# The adopter check: installs the five published packages into a portal that
# knows nothing of this repository, with the READMEs' install lines only, and
# proves that they work there. It
#
#   1. builds and packs the five plugin packages as a release would;
#   2. serves the tarballs from a registry for their scope (registry.mjs),
#      like a company's private registry;
#   3. copies a minimal Backstage 1.55 app and backend (template/: its own
#      package.json and config, the same Backstage versions as this repo) to
#      a temporary folder and installs it;
#   4. runs the README install sections there (install-from-readmes.mjs);
#   5. starts that backend, signs in as its guest user, issues a permanent
#      token for the catalog user alice through the admin API and reads the
#      catalog with it, as CI would;
#   6. builds the frontend bundle and finds the plugin's pages in it.
#
# Run by scripts/test.sh; on its own: bash scripts/adopter/check.sh
# ADOPTER_KEEP=1 keeps the temporary folder.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../setup.sh"

PACKAGES=(api-tokens-common api-tokens-node auth-backend-module-api-token-provider
  api-tokens-backend api-tokens)
BACKEND_URL=http://localhost:7107
WORK="$(mktemp -d -t api-tokens-adopter.XXXXXX)"
PORTAL="$WORK/portal"
pids=()

cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  done
  if [ "${ADOPTER_KEEP:-}" = 1 ]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

log "building and packing ${#PACKAGES[@]} packages"
# The builds take the declarations from dist-types/; the test command's type
# check has just written them.
[ "${ADOPTER_TYPES_READY:-}" = 1 ] || yarn tsc
mkdir -p "$WORK/packs"
for package in "${PACKAGES[@]}"; do
  (cd "$REPO_ROOT/plugins/$package" &&
    yarn backstage-cli package build &&
    yarn pack --out "$WORK/packs/$package.tgz" >/dev/null)
done

set -m
node "$HERE/registry.mjs" "$WORK/packs" "$WORK/registry-port" &
pids+=($!)
set +m
for _ in $(seq 1 50); do [ -s "$WORK/registry-port" ] && break; sleep 0.1; done
registry="http://127.0.0.1:$(cat "$WORK/registry-port")"

log "installing a minimal Backstage app in $PORTAL"
cp -r "$HERE/template" "$PORTAL"
# The same versions as this repository's lockfile; the workspace entries
# that do not apply there are dropped by yarn.
cp "$REPO_ROOT/yarn.lock" "$PORTAL/yarn.lock"
cat >"$PORTAL/.yarnrc.yml" <<YARNRC
nodeLinker: node-modules
npmScopes:
  nholuongut:
    npmRegistryServer: "$registry"
unsafeHttpWhitelist:
  - 127.0.0.1
# Yarn holds back versions younger than its age gate; these were just packed.
npmPreapprovedPackages:
  - '@nholuongut/*'
YARNRC
(cd "$PORTAL" && CI= yarn install >"$WORK/install.log") ||
  { tail -50 "$WORK/install.log"; exit 1; }

log "running the READMEs' install sections"
(cd "$PORTAL" && CI= node "$HERE/install-from-readmes.mjs" "$REPO_ROOT" "$PORTAL")

log "starting the adopter backend"
set -m
(cd "$PORTAL/packages/backend" && exec yarn start >"$WORK/backend.log" 2>&1) &
pids+=($!)
set +m
ready=""
for _ in $(seq 1 120); do
  if curl -fs "$BACKEND_URL/.backstage/health/v1/readiness" >/dev/null; then
    ready=yes
    break
  fi
  sleep 1
done
[ -n "$ready" ] || { tail -50 "$WORK/backend.log"; echo "the backend did not start" >&2; exit 1; }

node "$HERE/prove-token.mjs" "$BACKEND_URL" || { tail -50 "$WORK/backend.log"; exit 1; }

log "building the frontend bundle"
(cd "$PORTAL/packages/app" && yarn build >"$WORK/build.log" 2>&1) ||
  { tail -50 "$WORK/build.log"; exit 1; }
# Feature discovery put the plugin into the bundle as a module of its own,
# with the admin page and the tab it adds to the Settings page.
module="$(find "$PORTAL/packages/app/dist/static" -name 'module-nholuongut.*.js' | head -1)"
[ -n "$module" ] || { echo "the frontend bundle has no module of the plugin" >&2; exit 1; }
for text in '"/api-tokens/admin"' '"page:user-settings"'; do
  if ! grep -qF "$text" "$module"; then
    echo "the plugin's module in the frontend bundle has no $text" >&2
    exit 1
  fi
done
log "adopter check passed"
