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
step "bench, quick"
# The small version of `yarn bench`, so that it cannot rot: every figure the
# issue asks for must come out as a number (the sizes are too small for the
# values to mean anything).
if pg_isready -q -h 127.0.0.1 -p 5432; then
  mkdir -p test-results
  yarn bench --quick | tee test-results/bench-quick.txt
  for name in auth-overhead-ratio exchange-p50-ms exchange-p99-ms \
    verify-cached-ops-per-sec expiry-scan-1m-seconds expiry-scan-1m-peak-mb \
    admin-list-100k-ms; do
    if ! grep -Eq "^RESULT $name [0-9]+(\.[0-9]+)?$" test-results/bench-quick.txt; then
      echo "bench: RESULT $name is missing or not a number" >&2
      exit 1
    fi
  done
else
  echo "skipped: the bench needs PostgreSQL at 127.0.0.1:5432"
fi
step "end-to-end tests"
yarn test:e2e
