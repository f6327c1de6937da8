#!/usr/bin/env bash
# Runs a command as one named stage and, when STAGE_TIMES names a file,
# appends "NAME SECONDS STATUS" to it: .ci/run prints them as its summary.
#
#   scripts/stage.sh NAME COMMAND [ARG ...]
set -uo pipefail
name=$1
shift
started=$(date +%s)
"$@"
status=$?
if [ -n "${STAGE_TIMES:-}" ]; then
  echo "$name $(($(date +%s) - started)) $status" >>"$STAGE_TIMES"
fi
exit "$status"
