# shellcheck shell=bash
# Sourced by test.sh and bench.sh: the machine services the tests use.

# Debian's Chromium for the end-to-end tests (Playwright cannot download its
# own browser here).
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    return
  fi
  log "installing chromium from Debian"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}

# Starts the local PostgreSQL cluster when it is installed but not running,
# and points Backstage's TestDatabases at it (trust auth, user postgres).
ensure_postgres() {
  if ! command -v pg_lsclusters >/dev/null; then
    log "PostgreSQL is not installed: database tests run on SQLite only"
    return
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    log "starting PostgreSQL"
    local version
    version="$(pg_lsclusters --no-header | awk 'NR == 1 { print $1 }')"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 30); do
      pg_isready -q -h 127.0.0.1 -p 5432 && break
      sleep 1
    done
  fi
  local major
  major="$(psql -h 127.0.0.1 -U postgres -Atc 'show server_version_num' | cut -c1-2)"
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING=postgresql://postgres@127.0.0.1:5432"
  export API_TOKENS_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:5432"
  log "PostgreSQL ${major} at 127.0.0.1:5432"
}

# Starts a Redis on 127.0.0.1:6379 when none answers there (installing
# Debian's redis-server first if it is missing), for the tests and the bench
# of several backend replicas sharing `backend.cache`. It keeps nothing on
# disk.
ensure_redis() {
  if ! command -v redis-server >/dev/null; then
    log "installing redis-server from Debian"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
  fi
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    log "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' >/dev/null
    for _ in $(seq 1 30); do
      redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break
      sleep 0.2
    done
  fi
  export API_TOKENS_TEST_REDIS_URL="redis://127.0.0.1:6379"
  log "Redis at 127.0.0.1:6379"
}
