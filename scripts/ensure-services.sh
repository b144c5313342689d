#!/usr/bin/env bash
# Prepares this machine for the test suite: starts PostgreSQL and Redis where they are installed but
# stopped, creates the portal's database, and installs Debian's chromium for the browser tests.
# It never stops the run: a service it cannot provide is reported here, and the tests that need it fail
# with its name.
set -uo pipefail

PG_HOST=127.0.0.1 PG_PORT=5432 PG_DB=${PG_DB:-safety_portal}
REDIS_HOST=127.0.0.1 REDIS_PORT=6379

say() { printf 'ensure-services: %s\n' "$*"; }

wait_for() {  # wait_for SECONDS COMMAND...
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS >= deadline)) && return 1
    sleep 0.5
  done
}

if pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; then
  say "PostgreSQL is running."
elif command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  say "starting PostgreSQL $version."
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_for 30 pg_isready -q -h "$PG_HOST" -p "$PG_PORT" || say "PostgreSQL did not come up at $PG_HOST:$PG_PORT."
else
  say "PostgreSQL is not installed here; the tests that need it will fail."
fi

if pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; then
  if ! psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'" \
      | grep -q 1; then
    say "creating database $PG_DB."
    createdb -h "$PG_HOST" -p "$PG_PORT" -U postgres "$PG_DB"
  fi
fi

if redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
  say "Redis is running."
elif command -v redis-server >/dev/null; then
  say "starting Redis."
  redis-server --daemonize yes --bind "$REDIS_HOST" --port "$REDIS_PORT" --save "" --appendonly no
  wait_for 15 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping || say "Redis did not come up."
else
  say "Redis is not installed here; the tests that need it will fail."
fi

# Chromium for the browser tests, with a Chinese font so pages are laid out as users see them.
browser_packages=()
[ -x /usr/bin/chromium ] || browser_packages+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || browser_packages+=(fonts-wqy-microhei)
if [ ${#browser_packages[@]} = 0 ]; then
  say "chromium and a Chinese font are installed."
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  say "installing ${browser_packages[*]} for the browser tests."
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${browser_packages[@]}"; } \
    >/dev/null || say "${browser_packages[*]} could not be installed; the browser tests need chromium."
else
  say "missing ${browser_packages[*]} (Debian packages); the browser tests need chromium."
fi
exit 0
