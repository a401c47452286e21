# shellcheck shell=bash
# Running cityops' processes in the foreground until Ctrl-C (scripts/start.sh, scripts/dev.sh).
# Source it after scripts/lib.sh.
#
#   cityops_stop_on_exit          from now on, an exit or Ctrl-C stops the processes, then the
#                                 services this run started
#   cityops_port_free PORT WHAT   stop early, and clearly, when something listens on PORT
#   cityops_launch [--raw] NAME CMD...
#                                 run CMD in the background; its output prefixed with [NAME] and
#                                 copied to .cityops/logs/NAME.log (--raw: straight to the terminal)
#   cityops_wait_http NAME URL    wait until URL answers 200, while every process still runs
#   cityops_banner TITLE APP_URL FOOTER
#   cityops_supervise             wait; when one process ends, stop the rest and exit
#
# Each process gets its own session (setsid): Ctrl-C reaches only this script, which then stops
# each process group with one SIGTERM, and with SIGKILL after CITYOPS_STOP_TIMEOUT seconds.

CITYOPS_PIDS=()
CITYOPS_NAMES=()
# NAME -> log file of the processes launched with one
declare -A _CITYOPS_LOGS=()
CITYOPS_STOP_TIMEOUT=${CITYOPS_STOP_TIMEOUT:-20}
CITYOPS_HEALTH_TIMEOUT=${CITYOPS_HEALTH_TIMEOUT:-90}
_CITYOPS_CLEANED=0

cityops_stop_on_exit() {
  trap _cityops_cleanup EXIT
  trap '_cityops_on_signal SIGINT' INT
  trap '_cityops_on_signal SIGTERM' TERM
  trap '_cityops_on_signal SIGHUP' HUP
}

_cityops_on_signal() {
  trap '' INT TERM HUP
  echo
  cityops_log "$1 received, shutting down"
  exit 0
}

_cityops_cleanup() {
  local rc=$?
  ((_CITYOPS_CLEANED)) && return 0
  _CITYOPS_CLEANED=1
  trap '' INT TERM HUP
  if ((${#CITYOPS_PIDS[@]})); then
    cityops_log "stopping ${CITYOPS_NAMES[*]}"
    _cityops_stop_processes
  fi
  cityops_stop_started_services
  exit "$rc"
}

# _cityops_signal SIGNAL PID: the process's group when it leads one (setsid), else the process.
_cityops_signal() {
  kill "-$1" -- "-$2" 2>/dev/null || kill "-$1" "$2" 2>/dev/null || true
}

_cityops_stop_processes() {
  local i pid alive deadline
  for pid in "${CITYOPS_PIDS[@]}"; do _cityops_signal TERM "$pid"; done
  deadline=$((SECONDS + CITYOPS_STOP_TIMEOUT))
  while :; do
    alive=0
    for pid in "${CITYOPS_PIDS[@]}"; do
      if kill -0 "$pid" 2>/dev/null; then alive=1; fi
    done
    ((alive)) || break
    if ((SECONDS >= deadline)); then
      for i in "${!CITYOPS_PIDS[@]}"; do
        if kill -0 "${CITYOPS_PIDS[i]}" 2>/dev/null; then
          cityops_warn "${CITYOPS_NAMES[i]} did not stop within ${CITYOPS_STOP_TIMEOUT}s; killing it"
          _cityops_signal KILL "${CITYOPS_PIDS[i]}"
        fi
      done
      break
    fi
    sleep 0.2
  done
  for pid in "${CITYOPS_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  CITYOPS_PIDS=()
  CITYOPS_NAMES=()
}

# cityops_ready_to_serve: what npm start and npm run dev need before they build: .env loaded,
# dependencies installed, PostgreSQL and Redis answering (and the broker when MQTT_URL is set), PORT free.
cityops_ready_to_serve() {
  load_env
  ensure_deps
  ensure_services
  ensure_cjk_font
  # The broker matters only when MQTT ingest is configured.
  if [[ -n ${MQTT_URL:-} ]]; then ensure_mosquitto; fi
  export PORT=${PORT:-3000}
  cityops_port_free "$PORT" PORT
}

cityops_port_free() {
  local port=$1 what=$2
  if _cityops_tcp_open 127.0.0.1 "$port" || _cityops_tcp_open ::1 "$port"; then
    cityops_die "port $port ($what) is already in use: is cityops already running?" \
      "Stop it, or set $what to a free port (in the environment or in .env)."
  fi
}

cityops_launch() {
  local raw=0
  if [[ $1 == --raw ]]; then
    raw=1
    shift
  fi
  local name=$1
  shift
  local -a detach=()
  if _cityops_have setsid; then detach=(setsid); fi
  _cityops_state_dirs
  if ((raw)); then
    "${detach[@]}" "$@" &
  else
    local log="$CITYOPS_LOG_DIR/$name.log"
    : >"$log"
    _CITYOPS_LOGS[$name]=$log
    # The prefixer stays in this script's process group: it ignores Ctrl-C (and a SIGTERM to the
    # group) and ends when the process closes its output.
    "${detach[@]}" "$@" > >(trap '' INT HUP TERM && cityops_prefix "[$name]" "$log") 2>&1 &
  fi
  CITYOPS_PIDS+=("$!")
  CITYOPS_NAMES+=("$name")
}

# _cityops_check_processes: when one of them has ended, exit (non-zero, naming it).
_cityops_check_processes() {
  local i rc name
  for i in "${!CITYOPS_PIDS[@]}"; do
    kill -0 "${CITYOPS_PIDS[i]}" 2>/dev/null && continue
    rc=0
    wait "${CITYOPS_PIDS[i]}" 2>/dev/null || rc=$?
    name=${CITYOPS_NAMES[i]}
    unset 'CITYOPS_PIDS[i]' 'CITYOPS_NAMES[i]'
    CITYOPS_PIDS=("${CITYOPS_PIDS[@]}")
    CITYOPS_NAMES=("${CITYOPS_NAMES[@]}")
    local where="its output is above"
    [[ -z ${_CITYOPS_LOGS[$name]:-} ]] || where="its log: ${_CITYOPS_LOGS[$name]}"
    printf '[cityops] error: %s exited (code %s); stopping the rest (%s)\n' "$name" "$rc" "$where" >&2
    ((rc != 0)) || rc=1
    exit "$rc"
  done
}

_cityops_http_ok() {
  if _cityops_have curl; then
    curl -fsS -o /dev/null --max-time 3 "$1" 2>/dev/null
  else
    node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(3000) }).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' "$1"
  fi
}

cityops_wait_http() {
  local name=$1 url=$2 deadline=$((SECONDS + CITYOPS_HEALTH_TIMEOUT))
  until _cityops_http_ok "$url"; do
    _cityops_check_processes
    if ((SECONDS >= deadline)); then
      if [[ -n ${_CITYOPS_LOGS[$name]:-} ]]; then
        echo "----- last lines of ${_CITYOPS_LOGS[$name]} -----" >&2
        tail -n 40 "${_CITYOPS_LOGS[$name]}" >&2 || true
      fi
      cityops_die "$name did not answer $url within ${CITYOPS_HEALTH_TIMEOUT}s"
    fi
    sleep 1
  done
}

_cityops_box() {
  local width=0 line rule
  for line in "$@"; do
    if ((${#line} > width)); then width=${#line}; fi
  done
  rule=$(printf '%*s' $((width + 2)) '' | tr ' ' '-')
  printf '+%s+\n' "$rule"
  for line in "$@"; do printf '| %-*s |\n' "$width" "$line"; done
  printf '+%s+\n' "$rule"
}

# cityops_banner TITLE APP_URL FOOTER: where to open the app, the wall and the API description.
cityops_banner() {
  local title=$1 app=$2 footer=$3 password_note="" docs_line="API docs   $2/api/docs"
  if [[ ${ADMIN_PASSWORD:-} == cityops-demo ]]; then
    password_note="  (demo default: change ADMIN_PASSWORD in .env)"
  fi
  # Mirrors the API's own rule (libs/core config): served unless production, or when asked for.
  if [[ ${API_DOCS_ENABLED:-} == false || (${NODE_ENV:-development} == production && ${API_DOCS_ENABLED:-} != true) ]]; then
    docs_line="API docs   off (API_DOCS_ENABLED)"
  fi
  echo
  _cityops_box "$title" "" \
    "App        $app" \
    "Wall       $app/wall?kiosk=${KIOSK_TOKEN:-}" \
    "Login      admin / ${ADMIN_PASSWORD:-}$password_note" \
    "$docs_line" \
    "" \
    "$footer"
  echo
}

cityops_supervise() {
  while :; do
    _cityops_check_processes
    sleep 1 &
    wait $! || true
  done
}
