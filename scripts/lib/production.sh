# The production-shaped tests (test/production): needs the PostgreSQL of
# scripts/lib/postgres.sh running. Jest's results go to
# $RESULTS/jest-production.json, which the summary adds up with the rest.

run_production_tests() {
  kaito_log "production tests: two backend replicas on PostgreSQL, recovery, faults"
  KAITO_PRODUCTION_LOG_DIR="$RESULTS/production" CI=true \
    yarn workspace @kaito-backstage/production-tests test:production \
    --json --outputFile="$RESULTS/jest-production.json"
}
