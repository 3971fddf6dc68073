#!/usr/bin/env bash
# Run nbdev_test one notebook at a time: a line per notebook with its time (the log of a failure in full),
# then "N passed, N failed". Used by `make test`, `make slow` and .ci/run.
#   bash tools/test_notebooks.sh [BIN] [more nbdev_test arguments, e.g. --flags slow]
# EXTRA_FAILED=1 adds one failure counted elsewhere (CI's consistency checks).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.venv/bin}; [ $# -gt 0 ] && shift
log=$(mktemp); trap 'rm -f "$log"' EXIT
passed=0; failed=0; failures=()
for nb in nbs/*.ipynb; do
  s=$(date +%s)
  if "$BIN/nbdev_test" --path "$nb" "$@" > "$log" 2>&1; then
    passed=$((passed + 1)); echo "PASS $nb ($(( $(date +%s) - s ))s)"
  else
    failed=$((failed + 1)); failures+=("$nb"); echo "FAIL $nb ($(( $(date +%s) - s ))s)"; cat "$log"
  fi
done
extra=${EXTRA_FAILED:-0}
[ "$extra" -ne 0 ] && echo "consistency checks failed (see above): counted as one failure"
[ ${#failures[@]} -gt 0 ] && echo "failed notebooks: ${failures[*]}"
echo "$passed passed, $(( failed + extra )) failed"
[ "$failed" -eq 0 ] && [ "$extra" -eq 0 ]
