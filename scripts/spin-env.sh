#!/usr/bin/env bash
# Prints `export SPIN_VARIABLE_DB_*=...` lines for the server in DATABASE_URL
# and the database named by $1, for `eval`.
set -euo pipefail
database=${1:?usage: spin-env.sh DATABASE}
python3 - "$DATABASE_URL" "$database" <<'PY'
import shlex, sys, urllib.parse
url = urllib.parse.urlsplit(sys.argv[1])
query = urllib.parse.parse_qs(url.query)
values = {
    "DB_HOST": url.hostname or "127.0.0.1",
    "DB_PORT": str(url.port or 5432),
    "DB_USER": urllib.parse.unquote(url.username or "postgres"),
    "DB_PASSWORD": urllib.parse.unquote(url.password or ""),
    "DB_NAME": sys.argv[2],
    "DB_SSLMODE": query.get("sslmode", ["disable"])[0],
}
for name, value in values.items():
    print(f"export SPIN_VARIABLE_{name}={shlex.quote(value)}")
PY
