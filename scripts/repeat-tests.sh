#!/usr/bin/env bash
# Runs the mocha suite N times in a row (default 20) and stops at the first failing run, keeping
# its output: how flakiness is hunted. Usage: bash scripts/repeat-tests.sh [N] [mocha args…]
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
shift || true
log_dir="$(mktemp -d)"
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  if ! npx mocha --forbid-only --reporter dot "$@" >"$log_dir/run-$i.log" 2>&1; then
    echo "run $i of $runs FAILED after $(($(date +%s) - start)) s; output: $log_dir/run-$i.log"
    grep -A30 -E "^\s+[0-9]+ failing" "$log_dir/run-$i.log" | head -60
    exit 1
  fi
  echo "run $i of $runs passed in $(($(date +%s) - start)) s: $(grep -E '^\s+[0-9]+ passing' "$log_dir/run-$i.log" | tr -s ' ')"
done
echo "all $runs runs passed"
rm -rf "$log_dir"
