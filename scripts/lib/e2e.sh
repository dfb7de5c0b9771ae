# Starts the simulator and Backstage (dev servers, as the start command does),
# waits until both answer, runs Playwright with Debian's Chromium, then stops
# everything it started.

wait_for_url() {
  local url="$1" seconds="$2" i
  for i in $(seq 1 "$seconds"); do
    curl -sf -o /dev/null "$url" && return 0
    sleep 1
  done
  echo "$url did not answer within ${seconds}s" >&2
  return 1
}

run_e2e() {
  local status=0 app_pid
  KAITO_SIM_TIME_SCALE="${KAITO_E2E_TIME_SCALE:-120}" start_simulator || return 1
  kaito_log "end-to-end: starting Backstage"
  # Own process group, so the dev servers and their children stop together.
  setsid yarn start >"$RESULTS/backstage.log" 2>&1 &
  app_pid=$!
  if wait_for_url http://localhost:7007/.backstage/health/v1/readiness 300 &&
    wait_for_demo_seed 300 &&
    wait_for_url http://localhost:3000 300; then
    PLAYWRIGHT_JSON_OUTPUT_NAME="$RESULTS/playwright.json" \
      yarn playwright test --config test/e2e/playwright.config.ts || status=1
  else
    tail -50 "$RESULTS/backstage.log" >&2
    status=1
  fi
  kill -TERM -- "-$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  stop_simulator
  return $status
}
