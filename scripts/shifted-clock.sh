#!/usr/bin/env bash
# Runs the date-sensitive suites (tasks, agents, assistant, push, calendar, imports, and the browser
# test with its date chips) with the whole world's clock shifted through
# libfaketime: a throwaway PostgreSQL cluster, spinhost, the test binaries,
# node and chromium all see the same shifted wall clock (monotonic clocks stay
# real, so timeouts keep their meaning). Proves that no test depends on the day
# it runs.
#
#   scripts/shifted-clock.sh [MOMENT ...]
#
# Each MOMENT is anything `date -d` reads. By default: the same day a year and
# a half ahead at 23:30 UTC (just past midnight in the test accounts'
# Europe/Berlin, not yet in UTC: the two calendars disagree), and the next
# 29 February at least a year ahead at 10:00 UTC.
# Needs Debian's `faketime` package, built test binaries (`make build`) and
# PostgreSQL's initdb/pg_ctl: DATABASE_URL is ignored, since a server that is
# already running keeps its own clock.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"

# Inside the shifted world: check that every clock moved, then run the suites.
if [ "${1:-}" = --inside ]; then
  target=$2
  shift 2
  near() { [ $(($1 - target)) -ge -60 ] && [ $(($1 - target)) -le 3600 ]; }
  near "$(date -u +%s)" || { echo "shifted-clock: this process's clock did not move" >&2; exit 1; }
  server=$(psql "$DATABASE_URL" -Atqc "SELECT extract(epoch FROM now())::bigint")
  near "$server" || { echo "shifted-clock: PostgreSQL's clock did not move" >&2; exit 1; }
  node -e 'process.exit(Math.abs(Date.now() / 1000 - Number(process.argv[1])) < 3600 ? 0 : 1)' "$target" \
    || { echo "shifted-clock: node's clock did not move" >&2; exit 1; }
  exec "$@"
fi

library=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -n1 || true)
[ -n "$library" ] || { echo "shifted-clock: libfaketime is missing: apt-get install faketime" >&2; exit 1; }

moments=("$@")
if [ ${#moments[@]} -eq 0 ]; then
  year=$(date -u +%Y)
  leap=$((year + 1))
  while ! date -u -d "$leap-02-29" >/dev/null 2>&1 || [ "$(date -u -d "$leap-02-29" +%s)" -lt "$(date -u -d '+1 year' +%s)" ]; do
    leap=$((leap + 1))
  done
  moments=("$(date -u -d '+18 months' +%Y-%m-%d) 23:30 UTC" "$leap-02-29 10:00 UTC")
fi

# The integration tests' binary, built on the real clock (cargo trusts file
# times), with the same package selection as `make test` (NATIVE), so that
# features resolve alike and nothing is compiled again.
read -r -a cargo_args <<<"--profile native ${NATIVE:---workspace}"
binary=$(cargo test "${cargo_args[@]}" --test integration --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message.get("executable") and message["profile"]["test"]:
        print(message["executable"])')
[ -x "$binary" ] || { echo "shifted-clock: no integration test binary; run make build" >&2; exit 1; }
# The date-sensitive suites, as test-name filters.
suites=(tasks:: agents:: assistant:: push:: calendar:: imports:: e2e::)

# Each moment in a world of its own (its own cluster, host and browser), side
# by side; each line of output names its moment.
pids=()
for moment in "${moments[@]}"; do
  target=$(date -u -d "$moment" +%s)
  offset=$((target - $(date -u +%s)))
  day=$(date -u -d "@$target" +%Y-%m-%d)
  echo "shifted-clock: $(date -u -d "@$target" '+%Y-%m-%d %H:%M UTC') (offset ${offset}s)" >&2
  (
    LD_PRELOAD=$library FAKETIME="+$offset" FAKETIME_DONT_FAKE_MONOTONIC=1 PG_THROWAWAY=1 \
      E2E_SCREENSHOTS="$root/target/screenshots-shifted/$day" \
      "$here/with-postgres.sh" "$here/shifted-clock.sh" --inside "$target" "$binary" "${suites[@]}" 2>&1 \
      | sed -u "s/^/[$day] /"
    exit "${PIPESTATUS[0]}"
  ) &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
[ "$failed" = 0 ] && echo "shifted-clock: every suite passed at every moment" >&2
exit "$failed"
