#!/usr/bin/env bash
# `yarn test:production`: the suite run the way production runs it (issue 14):
# two packages/backend replicas with app-config.production.yaml on one real
# PostgreSQL against the simulator; the replica, recovery and fault tests of
# test/production. Slower than the README's test command (several minutes),
# so it has a command of its own, which .ci/run also calls.
# Ends with one line: "N passed, N failed[, N skipped]".
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$KAITO_ROOT"
source scripts/lib/system-packages.sh
source scripts/lib/postgres.sh
source scripts/lib/production.sh

RESULTS="${KAITO_TEST_RESULTS:-$KAITO_ROOT/.tools/test-results}"
mkdir -p "$RESULTS"
rm -f "$RESULTS/jest-production.json"

ensure_debian_packages
start_test_postgres
trap 'stop_test_postgres' EXIT
failed_checks=()
run_production_tests || failed_checks+=("production tests")
node scripts/lib/summarize-test-results.js "$RESULTS" "${failed_checks[@]}"
