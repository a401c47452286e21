#!/usr/bin/env bash
# npm run dev: the same set-up as npm start, then every part in watch mode, in one terminal:
#   tsc     compiles the server (apps/api, apps/worker, libs) into dist/ on every save;
#   api     node --watch on the built API: restarted when tsc rewrites a file it loaded;
#   worker  the same for the worker (and sim for the demo simulator, with SIMULATOR_ENABLED=true);
#   web     Vite's dev server on WEB_DEV_PORT (default 5173): the web app reloads on save, and
#           /api and /socket.io are proxied to the API on PORT (apps/web/vite.config.ts).
# Open the Vite address it prints. Ctrl-C stops everything, then the services this run started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
# shellcheck source=scripts/processes.sh
source scripts/processes.sh
cityops_stop_on_exit

cityops_ready_to_serve
WEB_DEV_PORT=${WEB_DEV_PORT:-5173}
cityops_port_free "$WEB_DEV_PORT" WEB_DEV_PORT
# The watchers start from a complete dist/, and `prepare` needs it: one full compile first.
cityops_build_server
cityops_prepare

export PATH="$CITYOPS_ROOT/node_modules/.bin:$PATH"
export CITYOPS_API_URL="http://127.0.0.1:$PORT"
# --watch-preserve-output: node would otherwise clear the terminal, and the other parts' output, on each restart.
watch="node --watch --watch-preserve-output"
names=tsc,api,worker,web
commands=(
  "tsc -p tsconfig.build.json --watch --preserveWatchOutput"
  "$watch dist/apps/api/src/main.js"
  "$watch dist/apps/worker/src/main.js"
  "vite --config apps/web/vite.config.ts --port $WEB_DEV_PORT --strictPort"
)
if [[ ${SIMULATOR_ENABLED:-false} == true ]]; then
  names+=,sim
  commands+=("$watch dist/apps/worker/src/simulator/simulator.main.js")
fi
# --kill-others: when one part ends for good, the rest stop too, and so does this script.
cityops_launch --raw dev concurrently --kill-others --names "$names" --prefix-colors blue,green,yellow,magenta,cyan "${commands[@]}"

cityops_wait_http api "http://127.0.0.1:$PORT/api/health"
cityops_wait_http web "http://localhost:$WEB_DEV_PORT/"
cityops_banner "cityops dev is running (API, worker and web app restart on save)" "http://localhost:$WEB_DEV_PORT" \
  "API on http://localhost:$PORT - Ctrl-C stops everything"
cityops_supervise
