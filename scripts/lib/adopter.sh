#!/usr/bin/env bash
# The adopter test: the suite in a Backstage app that is not this repo's.
# Packs the publishable packages, makes a new app with @backstage/create-app
# (the version that produced backstage.json's release), follows the README's
# "Adding the suite to your own Backstage app" block by block
# (adopter-readme.js), checks the app's types and its config against the
# suite's schema, builds it, starts it against a simulator of its own on free
# ports and runs test/adopter/*.spec.ts in Chromium.
#
# Each step is counted as a test in the final "N passed, N failed" line
# ($RESULTS/steps-adopter.json; Playwright's own results beside it).
# Between runs, ~/.cache/kaito-backstage/adopter keeps the app's node_modules,
# Yarn's install state and (when its dependency inputs are unchanged) its
# yarn.lock, for every clone of the repo on the machine as Yarn's own cache
# is; without it the run is cold (README: how long each takes). Yarn still
# installs from the app's package.json: the cache only saves fetching,
# linking and building native modules again.
#
# Sourced by scripts/test-adopter.sh (run_adopter_test), after scripts/env.sh;
# $RESULTS is the results directory.

source "$KAITO_ROOT/scripts/lib/adopter-pack.sh"
source "$KAITO_ROOT/scripts/lib/simulator.sh"
source "$KAITO_ROOT/scripts/lib/e2e.sh" # wait_for_url

KAITO_CREATE_APP_VERSION="0.9.2" # made Backstage 1.55.0 (backstage.json)
ADOPTER_DIR="$KAITO_ROOT/.tools/adopter"
ADOPTER_APP="$ADOPTER_DIR/app"
ADOPTER_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/kaito-backstage/adopter"
# The environment of the app's commands. Dummy values for the README's AKS
# block: config:check needs them; at run time the simulator's block in
# app-config.local.yaml replaces that cluster.
# YARN_ENABLE_IMMUTABLE_INSTALLS: in CI (CI=true) Yarn refuses to write a
# lockfile, and a new app has none yet.
ADOPTER_ENV=(
  YARN_ENABLE_IMMUTABLE_INSTALLS=false
  AKS_API_SERVER_URL=https://aks-kaito-dev-dns-0a1b2c3d.hcp.eastus.azmk8s.io:443
  AKS_CA_DATA=LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
  AZURE_SUBSCRIPTION_ID=3f2a9c1e-7b4d-4e8a-9c61-0d5b2e7f4a18
  AKS_RESOURCE_GROUP=rg-kaito
)

adopter_steps=()
adopter_failed=""

# adopter_step <name> <command...>: runs one step, logging to
# $RESULTS/adopter/<n>.log; after a failure the remaining steps are skipped.
adopter_step() {
  local name="$1" status started log
  shift
  log="$RESULTS/adopter/$(printf '%02d' "${#adopter_steps[@]}").log"
  if [ -n "$adopter_failed" ]; then
    adopter_steps+=("skipped|0|$name")
    return 1
  fi
  kaito_log "adopter: $name"
  started=$SECONDS
  if "$@" >"$log" 2>&1; then
    status=passed
  else
    status=failed
    adopter_failed="$name"
    tail -40 "$log" >&2
    echo "adopter step failed: $name (log: $log)" >&2
  fi
  adopter_steps+=("$status|$((SECONDS - started))|$name")
  kaito_log "adopter: $name: $status in $((SECONDS - started)) s"
  [ "$status" = passed ]
}

adopter_write_results() {
  printf '%s\n' "${adopter_steps[@]}" | node -e '
    const lines = require("fs").readFileSync(0, "utf8").trim().split("\n").filter(Boolean);
    const tests = lines.map(l => { const [status, seconds, ...name] = l.split("|");
      return { name: `adopter: ${name.join("|")}`, status, seconds: Number(seconds) }; });
    require("fs").writeFileSync(process.argv[1], JSON.stringify({ tests }, null, 2));
  ' "$RESULTS/steps-adopter.json"
}

adopter_free_ports() {
  node -e '
    const net = require("net");
    const servers = Array.from({ length: Number(process.argv[1]) }, () => net.createServer());
    Promise.all(servers.map(s => new Promise(r => s.listen(0, "127.0.0.1", r)))).then(() => {
      console.log(servers.map(s => s.address().port).join(" "));
      servers.forEach(s => s.close());
    });' "$1"
}

# The step functions run as `if` conditions (adopter_step), where set -e does
# not apply: each failure returns explicitly.
adopter_create_app() {
  local bin="$ADOPTER_DIR/create-app/node_modules/.bin/backstage-create-app"
  if [ ! -x "$bin" ] ||
    [ "$(node -p 'require(process.argv[1]).version' "$ADOPTER_DIR/create-app/node_modules/@backstage/create-app/package.json")" != "$KAITO_CREATE_APP_VERSION" ]; then
    rm -rf "$ADOPTER_DIR/create-app"
    npm install --prefix "$ADOPTER_DIR/create-app" --no-save --no-package-lock \
      --no-audit --no-fund --loglevel=error "@backstage/create-app@$KAITO_CREATE_APP_VERSION" ||
      return 1
  fi
  rm -rf "$ADOPTER_APP"
  (cd "$ADOPTER_DIR" && BACKSTAGE_APP_NAME=kaito-adopter "$bin" --skip-install --path app) ||
    return 1
  grep -q '"version": "1.55.0"' "$ADOPTER_APP/backstage.json" || return 1
  adopter_restore_cache
}

# What decides the app's third-party dependencies: create-app, the README
# section's shell steps and the packed packages' dependency lists.
adopter_dependency_key() {
  {
    echo "$KAITO_CREATE_APP_VERSION"
    awk '/^## /{p = ($0 == "## Adding the suite to your own Backstage app")} p' "$KAITO_ROOT/README.md"
    for dir in $(kaito_publishable_plugins); do
      node -p 'const p = require(process.argv[1]); JSON.stringify([p.name, p.dependencies, p.peerDependencies])' "$dir/package.json"
    done
  } | sha1sum | cut -d' ' -f1
}

ADOPTER_CACHED=(node_modules packages/app/node_modules packages/backend/node_modules .yarn/install-state.gz)

# The cache is taken by renaming it (atomic), so of two runs at once one has
# it and the other runs cold.
adopter_restore_cache() {
  local item taken="$ADOPTER_DIR/cache-taken"
  rm -rf "$taken"
  if ! mv -T "$ADOPTER_CACHE" "$taken" 2>/dev/null; then
    echo "cache: none ($ADOPTER_CACHE); a cold install"
    return 0
  fi
  for item in "${ADOPTER_CACHED[@]}"; do
    if [ -e "$taken/$item" ]; then
      mkdir -p "$(dirname "$ADOPTER_APP/$item")"
      mv "$taken/$item" "$ADOPTER_APP/$item"
    fi
  done
  if [ "$(cat "$taken/key" 2>/dev/null)" = "$(adopter_dependency_key)" ]; then
    cp "$taken/yarn.lock" "$ADOPTER_APP/yarn.lock"
    echo "cache: node_modules and yarn.lock of the last run"
  else
    echo "cache: node_modules of the last run; yarn.lock resolved anew"
  fi
  rm -rf "$taken"
}

# Made beside the app, then renamed into place; a cache another run saved
# meanwhile is replaced.
adopter_save_cache() {
  local item new="$ADOPTER_DIR/cache-new"
  [ -f "$ADOPTER_APP/node_modules/.yarn-state.yml" ] || return 0
  rm -rf "$new"
  mkdir -p "$new"
  for item in "${ADOPTER_CACHED[@]}"; do
    if [ -e "$ADOPTER_APP/$item" ]; then
      mkdir -p "$(dirname "$new/$item")"
      mv "$ADOPTER_APP/$item" "$new/$item"
    fi
  done
  cp "$ADOPTER_APP/yarn.lock" "$new/yarn.lock"
  adopter_dependency_key >"$new/key"
  mkdir -p "$(dirname "$ADOPTER_CACHE")"
  rm -rf "$ADOPTER_CACHE"
  mv -T "$new" "$ADOPTER_CACHE" || rm -rf "$new"
}

adopter_follow_readme() {
  (cd "$ADOPTER_APP" && env KAITO_REPO="$KAITO_ROOT" "${ADOPTER_ENV[@]}" \
    node "$KAITO_ROOT/scripts/lib/adopter-readme.js" "$KAITO_ROOT/README.md" "$ADOPTER_APP")
}

adopter_yarn() {
  (cd "$ADOPTER_APP" && env "${ADOPTER_ENV[@]}" yarn "$@")
}

# Starts the simulator on free ports and puts the app-config block it prints
# (--print-config) into the app's app-config.local.yaml, as the README says.
adopter_start_simulator() {
  local log="$ADOPTER_DIR/run/simulator.log" i
  KAITO_RUN_DIR="$ADOPTER_DIR/run" KAITO_SIM_PORTS="$1 $2 $3 $4" \
    KAITO_SIM_TIME_SCALE="${KAITO_E2E_TIME_SCALE:-120}" start_simulator || return 1
  # The API answers before the CLI has printed the block (after the seed).
  for i in $(seq 1 120); do
    grep -q '^Press Ctrl+C' "$log" && break
    sleep 0.5
  done
  sed -n '/^# app-config.local.yaml$/,/^Press Ctrl+C/p' "$log" |
    sed '1d;$d' >"$ADOPTER_APP/app-config.local.yaml"
  grep -q '^kaito:' "$ADOPTER_APP/app-config.local.yaml"
}

adopter_config_checks() {
  local app_config=(--config "$ADOPTER_APP/app-config.yaml")
  local with_sim=("${app_config[@]}" --config "$ADOPTER_APP/app-config.local.yaml")
  adopter_step "config:check --strict accepts the README's cluster configuration" \
    adopter_yarn backstage-cli config:check --strict "${app_config[@]}"
  adopter_step "config:check --strict accepts the simulator's configuration" \
    adopter_yarn backstage-cli config:check --strict "${with_sim[@]}"
  adopter_step "config:print masks the suite's secrets" adopter_secrets_masked "${with_sim[@]}"
}

# The simulator's token and CA are secrets in the suite's schema: config:print
# (what Backstage may show or log) must print <secret> for each of them.
adopter_secrets_masked() {
  adopter_yarn backstage-cli config:print "$@" >"$RESULTS/adopter/config-print.yaml" || return 1
  node "$KAITO_ROOT/scripts/lib/adopter-secrets.js" "$RESULTS/adopter/config-print.yaml" \
    "$ADOPTER_APP/app-config.local.yaml"
}

adopter_start_backend() {
  local port="$1"
  cat >"$ADOPTER_APP/app-config.adopter-test.yaml" <<EOF
# Written by scripts/lib/adopter.sh: the test's free port; the backend also
# serves the built frontend.
app:
  baseUrl: http://localhost:$port
backend:
  baseUrl: http://localhost:$port
  listen:
    port: $port
  cors:
    origin: http://localhost:$port
EOF
  (cd "$ADOPTER_APP/packages/backend" && exec setsid env "${ADOPTER_ENV[@]}" yarn start \
    --config "$ADOPTER_APP/app-config.yaml" --config "$ADOPTER_APP/app-config.local.yaml" \
    --config "$ADOPTER_APP/app-config.adopter-test.yaml") >"$RESULTS/adopter/backend.log" 2>&1 &
  ADOPTER_BACKEND_PID=$!
  wait_for_url "http://localhost:$port/.backstage/health/v1/readiness" 300 &&
    wait_for_url "http://localhost:$port/catalog" 60
}

adopter_stop_backend() {
  if [ -n "${ADOPTER_BACKEND_PID:-}" ]; then
    kill -TERM -- "-$ADOPTER_BACKEND_PID" 2>/dev/null || true
    wait "$ADOPTER_BACKEND_PID" 2>/dev/null || true
    ADOPTER_BACKEND_PID=""
  fi
}

adopter_playwright() {
  (cd "$KAITO_ROOT" && PLAYWRIGHT_JSON_OUTPUT_NAME="$RESULTS/playwright-adopter.json" \
    ADOPTER_APP_URL="$1" yarn playwright test --config test/adopter/playwright.config.ts)
}

run_adopter_test() {
  local started=$SECONDS status=0 ports backend_port
  mkdir -p "$RESULTS/adopter" "$ADOPTER_DIR"
  adopter_steps=()
  adopter_failed=""

  adopter_step "create-app $KAITO_CREATE_APP_VERSION makes a Backstage 1.55 app" adopter_create_app
  adopter_step "the README's steps install and wire the suite (packed tarballs)" adopter_follow_readme
  adopter_step "the app type-checks with the suite's declarations (yarn tsc)" adopter_yarn tsc
  read -r backend_port ports <<<"$(adopter_free_ports 5)"
  # shellcheck disable=SC2086
  adopter_step "the simulator prints the app-config block for the app" adopter_start_simulator $ports
  adopter_config_checks
  adopter_step "the app's frontend builds with the suite" adopter_yarn workspace app build
  adopter_step "the app's backend starts with the suite" adopter_start_backend "$backend_port"
  if [ -z "$adopter_failed" ]; then
    kaito_log "adopter: Chromium against http://localhost:$backend_port"
    adopter_playwright "http://localhost:$backend_port" || status=1
  fi
  adopter_stop_backend
  stop_simulator
  adopter_save_cache
  adopter_write_results
  kaito_log "adopter test: $((SECONDS - started)) s"
  [ -z "$adopter_failed" ] && [ "$status" = 0 ]
}
