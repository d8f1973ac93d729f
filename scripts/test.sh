#!/usr/bin/env bash
# Installs whatever is missing and runs every test: type checks, lint,
# prettier, the unit and integration tests of every package (on SQLite, and
# on PostgreSQL when it is installed) and the end-to-end suite in headless
# Chromium against the real backend and frontend.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
source "$REPO_ROOT/scripts/services.sh"

ensure_chromium
ensure_postgres

export CI=true
# TestDatabases would otherwise try to start databases in Docker.
export BACKSTAGE_TEST_DISABLE_DOCKER=1

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "type check"
yarn tsc:full
step "lint"
yarn lint:all
step "prettier"
yarn prettier:check
step "unit and integration tests"
yarn test --maxWorkers=2
step "end-to-end tests"
yarn test:e2e
