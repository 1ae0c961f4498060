#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server on loopback for the hub tests and prints its URL.
#
# Idempotent and quick: the cluster is made once (under build/pg), started if it is not running,
# and a running one is reused. Run as root, the server runs as user 'postgres' (PostgreSQL
# refuses to run as root); if 'postgres' cannot reach build/ (a checkout under /root), the
# cluster lives under /var/tmp instead. A server is started on the first free port from 54329
# (or JSD_TEST_PG_PORT), so two checkouts never collide; a running one keeps its port. No Unix
# socket: TCP on 127.0.0.1 only, trust authentication for the superuser 'jsd'.
# Stop it with: pg_ctl -D build/pg stop (as 'postgres' when root).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "start-postgres: PostgreSQL is not installed (run scripts/setup-system.sh)" >&2
  exit 1
fi

AS=()
PGDATA=$ROOT/build/pg
if [ "$(id -u)" = 0 ]; then
  AS=(runuser -u postgres --)
  mkdir -p "$ROOT/build"
  if ! runuser -u postgres -- test -x "$ROOT/build"; then
    PGDATA=/var/tmp/jsd-desk-pg/$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)
  fi
fi

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  rm -rf "$PGDATA"
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$PGDATA"; fi
  "${AS[@]}" "$BIN/initdb" -D "$PGDATA" -U jsd --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$PGDATA.initdb.log" 2>&1 || { cat "$PGDATA.initdb.log" >&2; exit 1; }
  rm -f "$PGDATA.initdb.log"
fi

if "${AS[@]}" "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  PORT=$(sed -n 4p "$PGDATA/postmaster.pid")  # the running server's port
else
  PORT=${JSD_TEST_PG_PORT:-54329}
  while port_busy "$PORT"; do PORT=$((PORT + 1)); done
  "${AS[@]}" "$BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 -o \
    "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { tail -n 20 "$PGDATA/server.log" >&2; exit 1; }
fi
echo "postgresql+psycopg://jsd@127.0.0.1:$PORT/postgres"
