#!/usr/bin/env bash
# The adopter test on its own (issue 10 §4; scripts/lib/adopter.sh says what it
# does): the suite packed, installed into a new Backstage app as the README
# says, and checked there. It starts its simulator and the app on free ports,
# so it can run beside the end-to-end tests.
#
#   scripts/test-adopter.sh              ends with "N passed, N failed"
#   scripts/test-adopter.sh <results>    what scripts/test.sh runs: results
#                                        into its directory, counted in its line
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$KAITO_ROOT"
source scripts/lib/adopter.sh

if [ $# -gt 0 ]; then
  RESULTS="$1"
  standalone=""
else
  RESULTS="$KAITO_ROOT/.tools/test-results-adopter"
  rm -rf "$RESULTS"
  standalone=yes
fi
mkdir -p "$RESULTS"
# Whatever happens, nothing it started keeps running.
trap 'adopter_stop_backend; stop_simulator' EXIT

status=0
run_adopter_test || status=1
if [ -n "$standalone" ]; then
  failed=()
  [ "$status" = 0 ] || failed+=("adopter")
  node scripts/lib/summarize-test-results.js "$RESULTS" "${failed[@]}"
else
  exit "$status"
fi
