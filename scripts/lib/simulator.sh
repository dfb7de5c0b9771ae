# Runs the simulator in the background for the start command and the
# end-to-end tests. Ports, token (also the client secret of the simulated
# Entra app registration) and time scale match app-config.yaml; the
# time scale can be overridden with KAITO_SIM_TIME_SCALE. The adopter test
# runs another one with its own KAITO_RUN_DIR and KAITO_SIM_PORTS. The log
# ($KAITO_RUN_DIR/simulator.log) ends with the app-config block for it.

KAITO_RUN_DIR="${KAITO_RUN_DIR:-$KAITO_ROOT/.tools/run}"
# app-config.yaml reads these two to reach the simulator.
export KAITO_SIM_TOKEN="${KAITO_SIM_TOKEN:-kaito-simulator-dev-token}"
export KAITO_SIM_CA_FILE="$KAITO_RUN_DIR/tls/ca.pem"

start_simulator() {
  local kube_port arm_port admin_port entra_port
  read -r kube_port arm_port admin_port entra_port <<<"${KAITO_SIM_PORTS:-6443 6444 6445 6446}"
  mkdir -p "$KAITO_RUN_DIR"
  if [ ! -f "$KAITO_ROOT/packages/simulator/src/cli.ts" ]; then
    kaito_log "simulator CLI not built yet; starting Backstage without it"
    return 0
  fi
  kaito_log "starting the simulator (Kubernetes API :$kube_port, ARM :$arm_port, admin :$admin_port, Entra :$entra_port)"
  (cd "$KAITO_ROOT" && exec yarn sim --port "$kube_port" --arm-port "$arm_port" \
    --admin-port "$admin_port" --entra-port "$entra_port" \
    --token "$KAITO_SIM_TOKEN" --seed "${KAITO_SIM_SEED:-demo}" \
    --time-scale "${KAITO_SIM_TIME_SCALE:-20}" \
    --cluster-name aks-kaito-dev --tls-dir "$KAITO_RUN_DIR/tls" \
    --kubeconfig "$KAITO_RUN_DIR/kubeconfig" --print-config) >"$KAITO_RUN_DIR/simulator.log" 2>&1 &
  KAITO_SIM_PID=$!
  local i
  for i in $(seq 1 120); do
    if curl -skf -H "Authorization: Bearer $KAITO_SIM_TOKEN" "https://127.0.0.1:$kube_port/readyz" >/dev/null 2>&1; then
      # The simulator serves HTTPS with its own CA (kept in tls.json across restarts).
      node -e 'const fs=require("fs");fs.writeFileSync(process.argv[2],JSON.parse(fs.readFileSync(process.argv[1],"utf8")).caCertPem)' \
        "$KAITO_RUN_DIR/tls/tls.json" "$KAITO_RUN_DIR/tls/ca.pem"
      kaito_log "simulator ready; kubectl --kubeconfig $KAITO_RUN_DIR/kubeconfig get workspaces -A"
      return 0
    fi
    if ! kill -0 "$KAITO_SIM_PID" 2>/dev/null; then
      cat "$KAITO_RUN_DIR/simulator.log" >&2
      echo "The simulator exited before it was ready (log above)." >&2
      return 1
    fi
    sleep 0.5
  done
  echo "The simulator did not become ready within 60 s; see $KAITO_RUN_DIR/simulator.log" >&2
  return 1
}

stop_simulator() {
  if [ -n "${KAITO_SIM_PID:-}" ]; then
    kill "$KAITO_SIM_PID" 2>/dev/null || true
    wait "$KAITO_SIM_PID" 2>/dev/null || true
    KAITO_SIM_PID=""
  fi
}
