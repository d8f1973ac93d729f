#!/usr/bin/env bash
# Installs whatever is missing and runs every test: type checks, lint,
# prettier, the API reports, the unit and integration tests of every package
# (on SQLite, and on PostgreSQL when it is installed), the quick bench and the
# end-to-end suite in headless Chromium against the real backend and
# frontend. When a step fails, it says which step and which steps it did not
# run, and exits non-zero.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
source "$REPO_ROOT/scripts/services.sh"

ensure_chromium
ensure_postgres
ensure_redis

export CI=true
# TestDatabases would otherwise try to start databases in Docker.
export BACKSTAGE_TEST_DISABLE_DOCKER=1

# Every figure the bench must print, even at the quick sizes.
BENCH_FIGURES=(auth-overhead-ratio exchange-p50-ms exchange-p99-ms
  verify-cached-ops-per-sec expiry-scan-1m-seconds expiry-scan-1m-peak-mb
  admin-list-100k-ms inventory-page-1m-ms two-replica-auth-overhead-ratio
  revocation-visible-p99-ms)

type_check() { yarn tsc:full; }
lint() { yarn lint:all; }
prettier() { yarn prettier:check; }
# Fails when a package's public API changed and its report.api.md did not;
# `yarn build:api-reports` writes the new reports.
api_reports() { yarn build:api-reports --ci; }
unit_and_integration_tests() { yarn test --maxWorkers=2; }

# The small version of `yarn bench`, so that it cannot rot: every figure must
# come out as a number (the sizes are too small for the values to mean
# anything).
bench_quick() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    echo "skipped: the bench needs PostgreSQL at 127.0.0.1:5432"
    return
  fi
  mkdir -p test-results
  yarn bench --quick | tee test-results/bench-quick.txt
  local name
  for name in "${BENCH_FIGURES[@]}"; do
    if ! grep -Eq "^RESULT $name [0-9]+(\.[0-9]+)?$" test-results/bench-quick.txt; then
      echo "bench: RESULT $name is missing or not a number" >&2
      return 1
    fi
  done
}

end_to_end_tests() { yarn test:e2e; }

# Packs the five plugin packages, installs them into a separate minimal
# Backstage app with the READMEs' install lines and proves they work there.
adopter_install() { ADOPTER_TYPES_READY=1 bash scripts/adopter/check.sh; }

STEPS=(type_check lint prettier api_reports unit_and_integration_tests
  bench_quick adopter_install end_to_end_tests)

# How long each step took, printed at the end: the whole run is meant to
# stay under 25 minutes on a 2-core machine.
timings=()
for index in "${!STEPS[@]}"; do
  step="${STEPS[$index]}"
  printf '\n\033[1m== %s\033[0m\n' "${step//_/ }"
  started=$SECONDS
  # A function called in an `if` condition runs without `set -e`, so the
  # status is checked after each command instead.
  set +e
  (set -e; "$step")
  status=$?
  set -e
  timings+=("${step//_/ }: $((SECONDS - started)) s")
  if [ "$status" -ne 0 ]; then
    not_run=("${STEPS[@]:$((index + 1))}")
    printf '\n\033[1;31mFAILED: %s (exit %s)\033[0m\n' "${step//_/ }" "$status" >&2
    if [ "${#not_run[@]}" -gt 0 ]; then
      printf 'not run: %s\n' "$(IFS=,; echo "${not_run[*]//_/ }" | sed 's/,/, /g')" >&2
    fi
    printf '%s\n' "${timings[@]}" >&2
    exit "$status"
  fi
done
printf '\n\033[1;32mall steps passed: %s\033[0m\n' "$(IFS=,; echo "${STEPS[*]//_/ }" | sed 's/,/, /g')"
printf '%s\n' "${timings[@]}" "in all (with the setup): $SECONDS s"
