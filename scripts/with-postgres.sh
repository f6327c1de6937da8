#!/usr/bin/env bash
# Runs a command with DATABASE_URL pointing at a PostgreSQL server:
# the one DATABASE_URL already names, else the one on 127.0.0.1:5432, else a
# throwaway cluster in a temporary directory, stopped when the command ends.
# PG_THROWAWAY=1 always starts a throwaway cluster (scripts/shifted-clock.sh
# needs a server that runs on its shifted clock).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

accepts() {  # accepts URL: does a server answer there?
  psql "$1" -Atqc 'SELECT 1' >/dev/null 2>&1
}

cluster=""
cleanup() {
  if [ -n "$cluster" ]; then
    "$here/pg-cluster.sh" stop "$cluster" || true
    rm -rf "$cluster"
  fi
}
trap cleanup EXIT

if [ "${PG_THROWAWAY:-}" != 1 ] && [ -n "${DATABASE_URL:-}" ]; then
  accepts "$DATABASE_URL" || { echo "with-postgres: no server answers at DATABASE_URL" >&2; exit 1; }
elif [ "${PG_THROWAWAY:-}" != 1 ] && accepts "postgres://postgres@127.0.0.1:5432/postgres"; then
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
else
  cluster=$(mktemp -d /tmp/taskspin-pg.XXXXXX)
  chmod 755 "$cluster"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  echo "with-postgres: no server found; starting a throwaway cluster on port $port" >&2
  "$here/pg-cluster.sh" start "$cluster" "$port"
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
fi

"$@"
