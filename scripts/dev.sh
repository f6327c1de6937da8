#!/usr/bin/env bash
# `make dev`: migrate the database, then serve the app with `spin up` when the
# Spin CLI is installed, with the project's own host (spinhost) otherwise.
# Expects DATABASE_URL (scripts/with-postgres.sh provides it) and built components.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"
listen=${LISTEN:-127.0.0.1:3000}

# The database named in DATABASE_URL, unless that is the server's default one.
database=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).path.lstrip("/"))' "$DATABASE_URL")
case "$database" in "" | postgres | template1) database=taskspin ;; esac
# Asked on the server's maintenance database: the named one may not exist yet.
admin=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1])._replace(path="/postgres").geturl())' "$DATABASE_URL")
if ! psql "$admin" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  psql "$admin" -qc "CREATE DATABASE \"$database\"" >/dev/null
fi
eval "$("$here/spin-env.sh" "$database")"
# Plain http://127.0.0.1 in development: the session cookie cannot be Secure.
export SPIN_VARIABLE_COOKIE_SECURE=${SPIN_VARIABLE_COOKIE_SECURE:-false}
echo "dev: database $database on $SPIN_VARIABLE_DB_HOST:$SPIN_VARIABLE_DB_PORT" >&2
# Web Push needs a VAPID key pair: development makes one once and keeps it in
# .dev/ (git-ignored), since browsers' subscriptions belong to one key.
keys="$root/.dev/vapid.env"
if [ -z "${SPIN_VARIABLE_VAPID_PRIVATE_KEY:-}" ]; then
  if [ ! -s "$keys" ]; then
    mkdir -p "$root/.dev"
    "${CARGO_TARGET_DIR:-$root/target}/native/vapid-keys" >"$keys"
  fi
  set -a
  # shellcheck source=/dev/null
  . "$keys"
  set +a
fi

host=${CARGO_TARGET_DIR:-$root/target}/native/spinhost
if command -v spin >/dev/null 2>&1; then
  spin up -f spin-migrate.toml   # needs the plugin: spin plugins install trigger-command
  echo "dev: serving with spin on http://$listen" >&2
  exec spin up -f spin.toml --listen "$listen"
else
  "$host" run -f spin-migrate.toml
  echo "dev: spin is not installed; serving with spinhost on http://$listen" >&2
  exec "$host" up -f spin.toml --listen "$listen"
fi
