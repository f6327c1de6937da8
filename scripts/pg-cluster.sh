#!/usr/bin/env bash
# A throwaway PostgreSQL cluster, for machines where no server runs and for
# tests that need to stop and start a server of their own.
#
#   pg-cluster.sh start DIR PORT [NAME=VALUE...]
#                                  initdb (trust auth, user postgres) and start,
#                                  with these server settings (kept for restart)
#   pg-cluster.sh stop DIR         stop it (the directory is left to the caller)
#   pg-cluster.sh restart DIR      stop and start again on the same port
#
# initdb refuses to run as root, so as root the cluster belongs to the
# `postgres` system user.
set -euo pipefail

find_bin() {
  local name=$1 dir
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/$name" ]; then echo "$dir/$name"; return; fi
  done
  echo "pg-cluster: $name not found; install PostgreSQL (apt-get install postgresql)" >&2
  exit 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd=${1:?usage: pg-cluster.sh start DIR PORT [NAME=VALUE...] | stop DIR | restart DIR}
dir=${2:?missing DIR}
case "$cmd" in
  start)
    port=${3:?missing PORT}
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$(find_bin initdb)" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    echo "$port" >"$dir/port"
    [ "$(id -u)" = 0 ] && chown postgres "$dir/port"
    shift 3
    [ $# -gt 0 ] && printf '%s\n' "$@" >"$dir/settings"
    settings=""
    if [ -f "$dir/settings" ]; then
      while read -r setting; do settings="$settings -c $setting"; done <"$dir/settings"
    fi
    as_owner "$(find_bin pg_ctl)" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off$settings" start >/dev/null
    ;;
  stop)
    as_owner "$(find_bin pg_ctl)" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  restart)
    "$0" stop "$dir"
    "$0" start "$dir" "$(cat "$dir/port")"
    ;;
  *)
    echo "pg-cluster: unknown command $cmd" >&2
    exit 2
    ;;
esac
