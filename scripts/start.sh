#!/usr/bin/env bash
# Quick start: installs what is missing, starts the KAITO simulator (simulated
# AKS + KAITO, seeded with the demo) and then Backstage with the suite:
# frontend on http://localhost:3000, backend on http://localhost:7007.
# Ctrl-C stops both.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$KAITO_ROOT"
source scripts/lib/simulator.sh

start_simulator
trap stop_simulator EXIT INT TERM
kaito_log "starting Backstage: frontend http://localhost:3000, backend http://localhost:7007"
yarn start
