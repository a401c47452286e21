#!/usr/bin/env bash
# npm start: set up what is missing, build, then serve cityops at http://localhost:$PORT with the
# worker and the demo simulator, until Ctrl-C. Each step says what it found or did; the steps
# live in scripts/lib.sh, running and stopping the processes in scripts/processes.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
# shellcheck source=scripts/processes.sh
source scripts/processes.sh
# From here on, Ctrl-C or a failure stops what this run started: processes, then services.
cityops_stop_on_exit

cityops_ready_to_serve
# The API serves the built web app, so both are built.
cityops_build
cityops_prepare

cityops_launch api node dist/apps/api/src/main.js
cityops_launch worker node dist/apps/worker/src/main.js
if [[ ${SIMULATOR_ENABLED:-false} == true ]]; then
  cityops_launch sim node dist/apps/worker/src/simulator/simulator.main.js
fi
cityops_wait_http api "http://127.0.0.1:$PORT/api/health"
cityops_banner "cityops is running" "http://localhost:$PORT" "Logs in .cityops/logs/ - Ctrl-C stops everything"
# A half-running cityops misleads: when one process ends, the others are stopped too.
cityops_supervise
