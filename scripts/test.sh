#!/usr/bin/env bash
# Runs every check of the repo on this machine, installing what is missing:
# type check, lint, package metadata and API reports, every Jest project
# (unit, integration against the simulator, database tests on SQLite and a
# real PostgreSQL), the end-to-end tests in Debian's Chromium against the
# started app and the adopter test (the suite packed and installed into a new
# Backstage app, scripts/test-adopter.sh).
# With --production (what .ci/run passes) it also runs the production-shaped
# tests of test/production (`yarn test:production`: backend replicas on
# PostgreSQL, recovery, faults; several minutes), counted in the same line.
# Ends with one line: "N passed, N failed[, N skipped]". Exit code 0 only when
# every check and every test passed.
with_production=false
case "${1:-}" in
  "") ;;
  --production) with_production=true ;;
  *) echo "usage: $0 [--production]" >&2; exit 2 ;;
esac
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$KAITO_ROOT"
source scripts/lib/system-packages.sh
source scripts/lib/postgres.sh
source scripts/lib/simulator.sh
source scripts/lib/api-reports.sh

RESULTS="$KAITO_ROOT/.tools/test-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
failed_checks=()

run_check() {
  local name="$1"
  shift
  kaito_log "$name"
  if ! "$@"; then
    failed_checks+=("$name")
  fi
}

ensure_debian_packages

run_check "type check (tsc)" yarn tsc
run_check "lint (backstage-cli repo lint)" yarn backstage-cli repo lint
run_check "package metadata (backstage-cli repo fix --publish --check)" \
  yarn backstage-cli repo fix --publish --check
run_check "API reports (backstage-repo-tools api-reports --ci)" check_api_reports
run_check "import cycles (packages, plugins)" node scripts/lib/import-cycles.js packages/* plugins/*

start_test_postgres
trap 'stop_test_postgres' EXIT
kaito_log "Jest: every package's unit, integration and database tests"
CI=true yarn backstage-cli repo test --json --outputFile="$RESULTS/jest.json" ||
  failed_checks+=("jest")

if compgen -G "$KAITO_ROOT/test/e2e/*.spec.ts" >/dev/null; then
  source scripts/lib/e2e.sh
  run_e2e || failed_checks+=("end-to-end")
fi

scripts/test-adopter.sh "$RESULTS" || failed_checks+=("adopter")

if $with_production; then
  source scripts/lib/production.sh
  run_production_tests || failed_checks+=("production tests")
fi

node scripts/lib/summarize-test-results.js "$RESULTS" "${failed_checks[@]}"
