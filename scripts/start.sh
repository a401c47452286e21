#!/usr/bin/env bash
# npm start: .env, dependencies, PostgreSQL/PostGIS + Redis, build, `cli.js prepare`, then the
# API, the worker and (SIMULATOR_ENABLED=true) the demo simulator, with prefixed output.
# Ctrl-C stops the three processes and then the services this run started itself.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

PIDS=()
NAMES=()
CLEANED=0
STOP_TIMEOUT=${CITYOPS_STOP_TIMEOUT:-20}
HEALTH_TIMEOUT=${CITYOPS_HEALTH_TIMEOUT:-90}

stop_processes() {
  local i pid alive deadline
  for i in "${!PIDS[@]}"; do
    kill -TERM "${PIDS[i]}" 2>/dev/null || true
  done
  deadline=$((SECONDS + STOP_TIMEOUT))
  while :; do
    alive=0
    for pid in "${PIDS[@]}"; do
      if kill -0 "$pid" 2>/dev/null; then alive=1; fi
    done
    ((alive)) || break
    if ((SECONDS >= deadline)); then
      for i in "${!PIDS[@]}"; do
        if kill -0 "${PIDS[i]}" 2>/dev/null; then
          cityops_warn "${NAMES[i]} did not stop within ${STOP_TIMEOUT}s; killing it"
          kill -KILL "${PIDS[i]}" 2>/dev/null || true
        fi
      done
      break
    fi
    sleep 0.2
  done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
  NAMES=()
}

cleanup() {
  local rc=$?
  ((CLEANED)) && return 0
  CLEANED=1
  trap '' INT TERM HUP
  if ((${#PIDS[@]})); then
    cityops_log "stopping ${NAMES[*]}"
    stop_processes
  fi
  # shellcheck disable=SC2119 # no arguments: what this run started
  cityops_stop_started_services
  exit "$rc"
}

on_signal() {
  trap '' INT TERM HUP
  echo
  cityops_log "$1 received, shutting down"
  exit 0
}

trap cleanup EXIT
trap 'on_signal SIGINT' INT
trap 'on_signal SIGTERM' TERM
trap 'on_signal SIGHUP' HUP

load_env
ensure_deps
ensure_services
if [[ -n ${MQTT_URL:-} ]]; then
  ensure_mosquitto
fi

PORT=${PORT:-3000}
export PORT
if _cityops_tcp_open 127.0.0.1 "$PORT"; then
  cityops_die "port $PORT is already in use: is cityops already running? Stop it, or start with PORT=<other port>."
fi

cityops_build

cityops_log "preparing the database (cli.js prepare)"
if ! node dist/apps/worker/src/cli.js prepare 2>&1 | (trap '' INT HUP TERM && cityops_prefix '[prepare]' "$CITYOPS_LOG_DIR/prepare.log"); then
  cityops_die "cli.js prepare failed (log: $CITYOPS_LOG_DIR/prepare.log)"
fi

# launch NAME CMD...: run CMD in the background, its output prefixed with [NAME] and copied to
# .cityops/logs/NAME.log. It gets its own session (setsid) so that Ctrl-C reaches only this
# script, which then stops it with exactly one SIGTERM.
launch() {
  local name=$1
  shift
  local log="$CITYOPS_LOG_DIR/$name.log"
  : >"$log"
  local -a detach=()
  if _cityops_have setsid; then detach=(setsid); fi
  # The prefixer stays in our process group: it ignores Ctrl-C (and a SIGTERM to the group)
  # and ends when the process closes its output.
  "${detach[@]}" "$@" > >(trap '' INT HUP TERM && cityops_prefix "[$name]" "$log") 2>&1 &
  PIDS+=("$!")
  NAMES+=("$name")
}

launch api node dist/apps/api/src/main.js
launch worker node dist/apps/worker/src/main.js
if [[ ${SIMULATOR_ENABLED:-false} == true ]]; then
  launch sim node dist/apps/worker/src/simulator/simulator.main.js
fi

# check_processes: exit non-zero, naming it, when one of them has ended.
check_processes() {
  local i rc
  for i in "${!PIDS[@]}"; do
    if ! kill -0 "${PIDS[i]}" 2>/dev/null; then
      rc=0
      wait "${PIDS[i]}" 2>/dev/null || rc=$?
      local name=${NAMES[i]}
      unset 'PIDS[i]' 'NAMES[i]'
      PIDS=("${PIDS[@]}")
      NAMES=("${NAMES[@]}")
      printf '[cityops] error: %s exited (code %s); stopping the rest (its log: %s)\n' \
        "$name" "$rc" "$CITYOPS_LOG_DIR/$name.log" >&2
      ((rc != 0)) || rc=1
      exit "$rc"
    fi
  done
}

health_ok() {
  local url="http://127.0.0.1:$PORT/api/health"
  if _cityops_have curl; then
    curl -fsS -o /dev/null --max-time 3 "$url" 2>/dev/null
  else
    node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(3000) }).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' "$url"
  fi
}

deadline=$((SECONDS + HEALTH_TIMEOUT))
until health_ok; do
  check_processes
  if ((SECONDS >= deadline)); then
    echo "----- last lines of $CITYOPS_LOG_DIR/api.log -----" >&2
    tail -n 40 "$CITYOPS_LOG_DIR/api.log" >&2 || true
    cityops_die "the API did not answer http://127.0.0.1:$PORT/api/health within ${HEALTH_TIMEOUT}s"
  fi
  sleep 1
done

box() {
  local width=0 line
  for line in "$@"; do
    if ((${#line} > width)); then width=${#line}; fi
  done
  local rule
  rule=$(printf '%*s' $((width + 2)) '' | tr ' ' '-')
  printf '+%s+\n' "$rule"
  for line in "$@"; do printf '| %-*s |\n' "$width" "$line"; done
  printf '+%s+\n' "$rule"
}

password_note=""
if [[ ${ADMIN_PASSWORD:-} == cityops-demo ]]; then
  password_note="  (demo default: change ADMIN_PASSWORD in .env)"
fi
# Mirrors the API's own rule (libs/core config): served unless production, or when asked for.
docs_line="API docs   http://localhost:$PORT/api/docs"
if [[ ${API_DOCS_ENABLED:-} == false || ( ${NODE_ENV:-development} == production && ${API_DOCS_ENABLED:-} != true ) ]]; then
  docs_line="API docs   off (API_DOCS_ENABLED)"
fi
echo
box \
  "cityops is running" \
  "" \
  "App        http://localhost:$PORT" \
  "Wall       http://localhost:$PORT/wall?kiosk=${KIOSK_TOKEN:-}" \
  "Login      admin / ${ADMIN_PASSWORD:-}$password_note" \
  "$docs_line" \
  "" \
  "Logs in .cityops/logs/ - Ctrl-C stops everything"
echo

while :; do
  check_processes
  sleep 1 &
  wait $! || true
done
