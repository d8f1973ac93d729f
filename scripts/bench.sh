#!/usr/bin/env bash
# Installs whatever is missing and runs the benchmarks of packages/bench: it
# starts its own backend (port 7107, SQLite under data/bench/) and its own
# PostgreSQL database, and prints one `RESULT <name> <value>` line per figure,
# last. `--quick` runs seconds-scale sizes, only to check that the bench
# still works. See packages/bench/README.md.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
source "$REPO_ROOT/scripts/services.sh"

ensure_postgres
ensure_redis
export BENCH_POSTGRES_URL="${BENCH_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432}"

cd "$REPO_ROOT"
exec node --expose-gc --require @backstage/cli/config/nodeTransform.cjs \
  packages/bench/src/index.ts "$@"
