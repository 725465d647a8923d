#!/usr/bin/env bash
# Runs `npm test` N times in a row beside a CPU-heavy process (a busy loop), one line per run:
# the flake check of docs/architecture.md, "Tests". Usage: scripts/test-under-load.sh [runs] [log dir]
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
logs=${2:-$(mktemp -d)}
mkdir -p "$logs"
node -e 'for (;;) {}' &
hog=$!
trap 'kill $hog 2>/dev/null' EXIT
green=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  # As on a fresh clone (CI): no durations cached from the previous run to order the files by.
  rm -rf node_modules/.vite/vitest
  if npm test >"$logs/run-$i.log" 2>&1; then result=green; green=$((green + 1)); else result=RED; fi
  echo "run $i/$runs: $result in $(($(date +%s) - start)) s, load $(cut -d' ' -f1-3 /proc/loadavg) ($logs/run-$i.log)"
done
echo "$green of $runs green"
[ "$green" -eq "$runs" ]
