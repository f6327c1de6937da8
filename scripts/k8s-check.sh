#!/usr/bin/env bash
# make k8s-check: render the Kustomize overlays, then check them offline.
#   1. kubectl kustomize k8s/overlays/{development,production,production-pgbouncer},
#      and each overlay's PostgreSQL connection budget as a line
#   2. pytest k8s/tests: Kubernetes schemas (kubernetes-validate), the SpinApp
#      schema, spin.toml's variables and components, no committed secret,
#      docs/deploy.md's settings table against the rendered YAML, the
#      connection budget (test_connection_budget.py)
#   3. checkov on the rendered YAML (skips: annotations with reasons)
# Needs `make tools` (.venv with kubectl, pytest, kubernetes-validate, checkov).
# KUBECTL=/path/to/kubectl overrides the kubectl used for rendering.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
kubectl=${KUBECTL:-$venv/bin/kubectl}
for tool in "$kubectl" "$venv/bin/pytest" "$venv/bin/checkov"; do
  if [ ! -x "$tool" ]; then
    echo "k8s-check: $tool is missing: run \`make tools\`" >&2
    exit 1
  fi
done

# Keep in step with OVERLAYS in k8s/tests/conftest.py (a test compares them).
overlays=(development production production-pgbouncer)

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0

echo "== render ($("$kubectl" version --client | sed -n 's/^Kustomize Version: //p' | sed 's/^/kustomize /'))"
for overlay in "${overlays[@]}"; do
  "$kubectl" kustomize "k8s/overlays/$overlay" > "$out/$overlay.yaml"
  kinds=$(sed -n 's/^kind: //p' "$out/$overlay.yaml" | sort | uniq -c | awk '{printf "%s%s %s", sep, $1, $2; sep=", "}')
  echo "k8s/overlays/$overlay: $kinds"
done

# Pods × Spin's 64 connections each, the Job, the CronJob and a reserve,
# against the server's max_connections (docs/deploy.md, "Database connections").
echo "== connection budget"
rendered=()
for overlay in "${overlays[@]}"; do rendered+=("$out/$overlay.yaml"); done
"$venv/bin/python" k8s/tests/connection_budget.py "${rendered[@]}" || status=$?

echo "== tests (k8s/tests)"
K8S_RENDERED_DIR=$out KUBECTL=$kubectl PYTHONDONTWRITEBYTECODE=1 \
  "$venv/bin/pytest" -q -p no:cacheprovider k8s/tests | tee "$out/pytest.log" || status=$?

echo "== checkov"
checkov_files=()
for file in "${rendered[@]}"; do checkov_files+=(-f "$file"); done
"$venv/bin/checkov" --config-file k8s/.checkov.yaml "${checkov_files[@]}" \
  -o cli -o json --output-file-path "console,$out/checkov.json" > "$out/checkov.log" 2>&1 || status=$?
# The console part without its banner; the counts from the JSON report.
sed -n '/scan results:/,$p' "$out/checkov.log"
read -r c_passed c_failed c_skipped < <(python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
reports = report if isinstance(report, list) else [report]
s = [r["summary"] for r in reports]
print(sum(x["passed"] for x in s), sum(x["failed"] for x in s), sum(x["skipped"] for x in s))
' "$out/checkov.json")

read -r p_passed p_failed p_skipped < <(python3 -c '
import re, sys
last = open(sys.argv[1]).read().strip().splitlines()[-1]
count = lambda word: sum(int(n) for n in re.findall(r"(\d+) " + word, last))
print(count("passed"), count("failed") + count("error"), count("skipped"))
' "$out/pytest.log")

echo "checkov: $c_passed passed, $c_failed failed, $c_skipped skipped (each skip has its reason in an annotation)"
echo "k8s-check: $((p_passed + c_passed)) passed, $((p_failed + c_failed)) failed, $((p_skipped + c_skipped)) skipped"
exit "$status"
