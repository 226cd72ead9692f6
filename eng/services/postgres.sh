#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests of NecroCode.AgentRunner.PostgreSql, on 127.0.0.1:55432.
#
#   source eng/services/postgres.sh     installs Debian's postgresql when missing, creates the cluster and the test
#                                       database once, starts the server when it is not running, and exports
#                                       NECROCODE_POSTGRES_TEST (the connection string) and NECROCODE_POSTGRES_TEST_SCRIPT
#   bash eng/services/postgres.sh [start|restart|stop|status]
#
# Idempotent and fast when the server already answers. initdb and pg_ctl refuse to run as root, so they run as the
# 'postgres' user; the data lives under /var/tmp/necrocode-postgres (NECROCODE_POSTGRES_DIR to move it).

necrocode_pg_dir="${NECROCODE_POSTGRES_DIR:-/var/tmp/necrocode-postgres}"
necrocode_pg_port="${NECROCODE_POSTGRES_PORT:-55432}"
necrocode_pg_script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"

necrocode_pg_log() { printf '[postgres] %s\n' "$*" >&2; }

# Runs a command as the postgres user (directly when already that user).
necrocode_pg_as() {
  if [ "$(id -un)" = postgres ]; then "$@"
  elif [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
  else sudo -u postgres "$@"
  fi
}

necrocode_pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

necrocode_pg_install() {
  necrocode_pg_bin >/dev/null && return 0
  necrocode_pg_log "installing Debian's postgresql"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq >/dev/null && \
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  necrocode_pg_bin >/dev/null
}

necrocode_pg_ctl() {
  local bin
  bin=$(necrocode_pg_bin) || return 1
  necrocode_pg_as "$bin/pg_ctl" -D "$necrocode_pg_dir/data" -l "$necrocode_pg_dir/server.log" -w -t 60 "$@" >/dev/null
}

necrocode_pg_ready() {
  local bin
  bin=$(necrocode_pg_bin) || return 1
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$necrocode_pg_port" 2>/dev/null
}

necrocode_pg_init() {
  local bin
  bin=$(necrocode_pg_bin) || return 1
  [ -f "$necrocode_pg_dir/data/PG_VERSION" ] && return 0
  necrocode_pg_log "creating the cluster in $necrocode_pg_dir/data"
  mkdir -p "$necrocode_pg_dir" && chmod 755 "$necrocode_pg_dir"
  rm -rf "$necrocode_pg_dir/data" && install -d -o postgres -g postgres -m 700 "$necrocode_pg_dir/data" || return 1
  install -d -o postgres -g postgres -m 755 "$necrocode_pg_dir/socket" || return 1
  touch "$necrocode_pg_dir/server.log" && chown postgres:postgres "$necrocode_pg_dir/server.log"
  necrocode_pg_as "$bin/initdb" -D "$necrocode_pg_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null || return 1
  necrocode_pg_as tee -a "$necrocode_pg_dir/data/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $necrocode_pg_port
unix_socket_directories = '$necrocode_pg_dir/socket'
max_connections = 300
password_encryption = scram-sha-256
EOF
  # The superuser only over the local socket; the test role with its password over TCP.
  necrocode_pg_as tee "$necrocode_pg_dir/data/pg_hba.conf" >/dev/null <<EOF
local all postgres trust
host  all all 127.0.0.1/32 scram-sha-256
EOF
}

necrocode_pg_psql() {
  local bin
  bin=$(necrocode_pg_bin) || return 1
  necrocode_pg_as "$bin/psql" -q -v ON_ERROR_STOP=1 -h "$necrocode_pg_dir/socket" -p "$necrocode_pg_port" -U postgres -d postgres "$@"
}

necrocode_pg_database() {
  necrocode_pg_psql -tc "SELECT 1 FROM pg_roles WHERE rolname = 'necrocode'" | grep -q 1 || \
    necrocode_pg_psql -c "CREATE ROLE necrocode LOGIN PASSWORD 'necrocode-test'" || return 1
  necrocode_pg_psql -tc "SELECT 1 FROM pg_database WHERE datname = 'necrocode_test'" | grep -q 1 || \
    necrocode_pg_psql -c "CREATE DATABASE necrocode_test OWNER necrocode" || return 1
}

necrocode_pg_up() {
  if ! necrocode_pg_ready; then
    necrocode_pg_install || { necrocode_pg_log "postgresql could not be installed"; return 1; }
    necrocode_pg_init || { necrocode_pg_log "initdb failed"; return 1; }
    necrocode_pg_log "starting the server on 127.0.0.1:$necrocode_pg_port"
    necrocode_pg_ctl start || { necrocode_pg_log "the server did not start:"; tail -n 20 "$necrocode_pg_dir/server.log" >&2; return 1; }
    necrocode_pg_database || { necrocode_pg_log "the test database could not be created"; return 1; }
  fi
  export NECROCODE_POSTGRES_TEST="Host=127.0.0.1;Port=$necrocode_pg_port;Database=necrocode_test;Username=necrocode;Password=necrocode-test"
  export NECROCODE_POSTGRES_TEST_SCRIPT="$necrocode_pg_script"
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  necrocode_pg_up || necrocode_pg_log "no PostgreSQL for the tests (they fail when CI=true)"
else
  set -uo pipefail
  case "${1:-start}" in
    start) necrocode_pg_up && echo "$NECROCODE_POSTGRES_TEST" ;;
    restart) necrocode_pg_ctl restart -m fast ;;
    stop) necrocode_pg_ctl stop -m fast ;;
    status) necrocode_pg_ready ;;
    *) echo "usage: $0 [start|restart|stop|status]" >&2; exit 2 ;;
  esac
fi
