#!/usr/bin/env bash
# Runs `cargo test` with the given arguments and ends with one line adding up
# every test binary's result: "N passed, N failed".
set -uo pipefail
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Three tests at a time on two cores: most of them wait on PostgreSQL, the
# host or the browser far more than they compute.
export RUST_TEST_THREADS=${RUST_TEST_THREADS:-3}
cargo test --no-fail-fast "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
awk '/^test result:/ { passed += $4; failed += $6 } END { printf "%d passed, %d failed\n", passed, failed }' "$log"
exit "$status"
