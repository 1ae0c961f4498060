#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server on loopback for the hub tests and prints its URL.
# The cluster lives under build/pg (gitignored); run as root, the server runs as 'postgres'.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGDATA=$ROOT/build/pg
PORT=${JSD_TEST_PG_PORT:-54329}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
AS=()
if [ "$(id -u)" = 0 ]; then AS=(runuser -u postgres --); fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  [ "$(id -u)" = 0 ] && chown postgres "$PGDATA" "$ROOT/build"
  "${AS[@]}" "$BIN/initdb" -D "$PGDATA" -U jsd --auth=trust -E UTF8 >/dev/null
fi
if ! "${AS[@]}" "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  "${AS[@]}" "$BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
fi
echo "postgresql+psycopg://jsd@127.0.0.1:$PORT/postgres"
