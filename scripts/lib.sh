# shellcheck shell=bash
# The set-up shared by scripts/start.sh, dev.sh and test.sh. Source this file; it only defines
# functions and CITYOPS_* variables and changes no shell options, so it works under
# `set -euo pipefail`.
#
#   load_env          .env (created from .env.example, secrets generated) exported; the environment wins
#   check_lock        package-lock.json matches package.json, or stop and say how to fix it
#   ensure_deps       npm ci when node_modules is missing or older than package-lock.json
#   ensure_services   PostgreSQL + PostGIS (DATABASE_ADMIN_URL's superuser logs in) and Redis at REDIS_URL answer
#   ensure_mosquitto  an MQTT broker answers at MQTT_URL (default mqtt://127.0.0.1:1883)
#   ensure_chromium   Chromium and a Chinese font for the browser tests
#   ensure_cjk_font   the font the API draws map labels from (fonts-noto-cjk) unless BASEMAP_FONT is set
#   ensure_gdal       GDAL's ogrinfo for the test that reads the OGC API with it
#   cityops_build     npm run build (log in .cityops/logs/build.log); cityops_build_server: tsc only
#   cityops_prepare   cli.js prepare: the app's role and database, postgis, migrations, audit trail sealed, demo city
#
# A service that does not answer is brought up by the first of these that applies:
#   1. it answers already: it is used as it is; one on another host is never touched;
#   2. a Docker engine answers: `docker compose up --wait` (docker-compose.yml);
#   3. root on Debian/Ubuntu: scripts/provision-debian.sh installs it with apt and starts it.
# What a run starts is listed in .cityops/started-services; cityops_stop_started_services stops it.

# (Empty arrays under `set -u`, mapfile and associative arrays need bash 4.4; macOS ships 3.2.)
if ((BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 4))); then
  printf '[cityops] error: bash %s is too old: the scripts need bash 4.4 or newer (macOS: brew install bash)\n' "$BASH_VERSION" >&2
  exit 1
fi

CITYOPS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CITYOPS_STATE_DIR="$CITYOPS_ROOT/.cityops"
CITYOPS_LOG_DIR="$CITYOPS_STATE_DIR/logs"
CITYOPS_STARTED_FILE="$CITYOPS_STATE_DIR/started-services"
CITYOPS_SERVICES_LOG="$CITYOPS_STATE_DIR/services.log"
CITYOPS_STARTED_SERVICES=()
CITYOPS_SERVICE_WAIT_SECONDS="${CITYOPS_SERVICE_WAIT_SECONDS:-60}"
# Lets scripts/provision-debian.sh, run several times by one run, update apt's lists only once.
export CITYOPS_RUN_ID="${CITYOPS_RUN_ID:-$$}"

# ---------------------------------------------------------------------------------------------
# output

cityops_log() { printf '[cityops] %s\n' "$*"; }
cityops_warn() { printf '[cityops] warning: %s\n' "$*" >&2; }
# cityops_die LINE [LINE...]: print an error (extra lines indented) and exit 1.
cityops_die() {
  printf '[cityops] error: %s\n' "$1" >&2
  shift
  local line
  for line in "$@"; do printf '[cityops]   %s\n' "$line" >&2; done
  exit 1
}

# cityops_prefix TAG [LOGFILE]: copy stdin to stdout with "TAG " before every line, and the
# raw lines to LOGFILE when given.
cityops_prefix() {
  local tag=$1 log=${2:-/dev/null} line
  while IFS= read -r line || [[ -n $line ]]; do
    printf '%s %s\n' "$tag" "$line"
    printf '%s\n' "$line" >&3
  done 3>>"$log"
}

_cityops_state_dirs() { mkdir -p "$CITYOPS_STATE_DIR" "$CITYOPS_LOG_DIR"; }

# _cityops_timeout SECONDS CMD...: run CMD with a time limit when `timeout` exists.
_cityops_timeout() {
  local secs=$1
  shift
  if command -v timeout >/dev/null 2>&1; then timeout "$secs" "$@"; else "$@"; fi
}

_cityops_have() { command -v "$1" >/dev/null 2>&1; }

# _cityops_wait WHAT SECONDS CMD...: poll CMD every second until it succeeds or time is up.
_cityops_wait() {
  local what=$1 secs=$2
  shift 2
  local deadline=$((SECONDS + secs)) said=0
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    if ((!said)); then
      cityops_log "waiting for $what (up to ${secs}s)"
      said=1
    fi
    sleep 1
  done
}

# ---------------------------------------------------------------------------------------------
# Node, .env, dependencies

_cityops_check_node() {
  _cityops_have node || cityops_die "Node.js 20.19 or newer is required, but \`node\` is not on PATH"
  if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
    cityops_die "Node.js $(node -p 'process.versions.node') is too old: cityops needs Node.js 20.19 or newer (engines in package.json)"
  fi
  _cityops_have npm || cityops_die "npm is not on PATH (it ships with Node.js)"
}

# load_env: scripts/env.mjs reads .env with Node's own parser (creating it, and its secrets, on
# the first run) and prints `export` lines for the keys the environment does not set already.
load_env() {
  _cityops_check_node
  local exports
  exports=$(node "$CITYOPS_ROOT/scripts/env.mjs") || exit 1 # (env.mjs said why)
  eval "$exports"
}

# npm ci refuses a lock that does not match package.json; it is never rewritten behind anyone's
# back (`npm install` would), so the person who changed package.json updates it.
_cityops_lock_refused() {
  local log=$1
  grep -q 'can only install packages when your package.json and package-lock.json' "$log" || return 0
  local -a details=()
  mapfile -t details < <(grep -E '^npm error (Missing|Invalid): ' "$log" | sed 's/^npm error /  /')
  if ((${#details[@]} > 10)); then
    details=("${details[@]:0:10}" "  ... and $((${#details[@]} - 10)) more")
  fi
  cityops_die "package-lock.json is out of sync with package.json, so \`npm ci\` refuses it:" \
    "${details[@]}" \
    "To fix it: run \`npm install\` (it brings package-lock.json up to date), then commit package-lock.json." \
    "(full npm output: ${log#"$CITYOPS_ROOT"/})"
}

_cityops_need_lock() {
  [[ -f $CITYOPS_ROOT/package-lock.json ]] ||
    cityops_die "package-lock.json is missing." \
      "To fix it: run \`npm install\` (it writes package-lock.json), then commit package-lock.json."
}

# check_lock: would `npm ci` accept package-lock.json? Cheap (no download, no install scripts).
check_lock() {
  _cityops_need_lock
  _cityops_state_dirs
  local log="$CITYOPS_LOG_DIR/npm-ci-dry-run.log"
  if (cd "$CITYOPS_ROOT" && npm ci --dry-run --ignore-scripts --no-audit --no-fund) >"$log" 2>&1 </dev/null; then
    cityops_log "package-lock.json matches package.json (npm ci --dry-run)"
    return 0
  fi
  _cityops_lock_refused "$log"
  tail -n 20 "$log" >&2 || true
  cityops_die "npm ci --dry-run failed; full log: $log"
}

ensure_deps() {
  _cityops_check_node
  _cityops_need_lock
  local stamp="$CITYOPS_ROOT/node_modules/.cityops-installed" reason=""
  if [[ ! -d $CITYOPS_ROOT/node_modules ]]; then
    reason="node_modules is missing"
  elif [[ ! -f $stamp ]]; then
    reason="no record of a completed install"
  elif [[ $CITYOPS_ROOT/package-lock.json -nt $stamp ]]; then
    reason="package-lock.json changed"
  fi
  if [[ -z $reason ]]; then
    # package.json edited since the install: fine if the lock still matches it, else say so now.
    if [[ $CITYOPS_ROOT/package.json -nt $stamp ]]; then
      check_lock
      touch "$stamp"
    fi
    cityops_log "dependencies ok (node $(node -p 'process.versions.node'))"
    return 0
  fi

  _cityops_state_dirs
  local log="$CITYOPS_LOG_DIR/npm-install.log" start=$SECONDS
  cityops_log "installing dependencies ($reason): npm ci (log: ${log#"$CITYOPS_ROOT"/})"
  if ! (cd "$CITYOPS_ROOT" && npm ci --no-audit --no-fund) >"$log" 2>&1 </dev/null; then
    _cityops_lock_refused "$log"
    tail -n 40 "$log" >&2 || true
    cityops_die "npm ci failed; full log: $log"
  fi
  touch "$stamp"
  cityops_log "dependencies installed in $((SECONDS - start))s (node $(node -p 'process.versions.node'))"
}

# ---------------------------------------------------------------------------------------------
# ensure_services: PostgreSQL + PostGIS (the server of DATABASE_URL, checked as DATABASE_ADMIN_URL's
# superuser, who makes the application's role later) and Redis (REDIS_URL)

ensure_services() {
  _cityops_state_dirs
  # The list is this run's: what an earlier, killed run left there is no longer known to be ours.
  : >"$CITYOPS_STARTED_FILE"
  CITYOPS_STARTED_SERVICES=()
  _cityops_service_urls
  _cityops_pg_check
  _cityops_redis_check

  # 1. They answer: use them.
  if [[ $_PG_STATE == ok && $_REDIS_STATE == ok ]]; then
    _cityops_log_pg_ok
    cityops_log "redis ok ($_REDIS_HOST:$_REDIS_PORT)"
    return 0
  fi
  # What no path can mend stops here: a server on another host, a Redis that refuses PING, a
  # login that fails (unless root on Debian, where a cluster cityops created gets mended).
  _cityops_services_unfixable
  [[ $_PG_STATE != ok ]] || _cityops_log_pg_ok
  [[ $_REDIS_STATE != ok ]] || cityops_log "redis ok ($_REDIS_HOST:$_REDIS_PORT)"

  local -a missing=()
  [[ $_PG_STATE == ok ]] || missing+=(postgres)
  [[ $_REDIS_STATE == ok ]] || missing+=(redis)
  # 2. A Docker engine: containers for what does not answer. (A local PostgreSQL that answers
  #    without PostGIS, or refuses the login, holds the port: only path 3 can mend it.)
  if [[ $_PG_STATE == ok || $_PG_STATE == down ]] && _cityops_docker_ok; then
    _cityops_compose_up "${missing[@]}"
  # 3. Root on Debian/Ubuntu: install with apt and start.
  elif _cityops_is_root_debian; then
    _cityops_provision "${missing[@]}"
  else
    _cityops_services_missing
  fi

  if [[ $_PG_STATE != ok ]]; then
    _cityops_wait postgres "$CITYOPS_SERVICE_WAIT_SECONDS" _cityops_pg_ready ||
      cityops_die "PostgreSQL at $_PG_HOST:$_PG_PORT is not usable ($_PG_STATE ${_PG_ERROR:-})" "See $CITYOPS_SERVICES_LOG"
    _cityops_log_pg_ok started
  fi
  if [[ $_REDIS_STATE != ok ]]; then
    _cityops_wait redis "$CITYOPS_SERVICE_WAIT_SECONDS" _cityops_redis_ping ||
      cityops_die "Redis did not answer PING at $_REDIS_HOST:$_REDIS_PORT: $_REDIS_ERROR" "See $CITYOPS_SERVICES_LOG"
    cityops_log "redis ok ($_REDIS_HOST:$_REDIS_PORT, started)"
  fi
}

_cityops_services_unfixable() {
  if [[ $_PG_STATE != ok ]] && ! _cityops_is_local "$_PG_HOST"; then
    case $_PG_STATE in
      down) cityops_die "PostgreSQL at $_PG_HOST:$_PG_PORT (DATABASE_URL) does not answer." \
        "It is not on this machine, so cityops does not start it: start it, or point DATABASE_URL at a reachable server." ;;
      nopostgis) cityops_die "PostgreSQL at $_PG_HOST:$_PG_PORT has no PostGIS extension available." \
        "Install PostGIS 3 on that server (Debian: postgresql-$_PG_MAJOR-postgis-3)." ;;
      *) _cityops_pg_auth_hint ;;
    esac
  fi
  if [[ $_PG_STATE == error ]] && ! _cityops_is_root_debian; then
    _cityops_pg_auth_hint
  fi
  if [[ $_REDIS_STATE == error ]]; then
    cityops_die "Redis at $_REDIS_HOST:$_REDIS_PORT answers but PING fails: $_REDIS_ERROR" \
      "Check REDIS_URL (password, database)."
  fi
  if [[ $_REDIS_STATE != ok ]] && ! _cityops_is_local "$_REDIS_HOST"; then
    cityops_die "Redis at $_REDIS_HOST:$_REDIS_PORT (REDIS_URL) does not answer." \
      "It is not on this machine, so cityops does not start it: start it, or point REDIS_URL at a reachable server."
  fi
}

# No way left: say what does not answer and what would make it answer.
_cityops_services_missing() {
  local -a problems=()
  case $_PG_STATE in
    down) problems+=("PostgreSQL does not answer at $_PG_HOST:$_PG_PORT (DATABASE_URL).") ;;
    nopostgis) problems+=("PostgreSQL $_PG_MAJOR at $_PG_HOST:$_PG_PORT has no PostGIS.") ;;
  esac
  [[ $_REDIS_STATE == ok ]] || problems+=("Redis does not answer at $_REDIS_HOST:$_REDIS_PORT (REDIS_URL).")
  local need=""
  case $_PG_STATE in
    down) need="PostgreSQL 15+ with PostGIS 3 (Debian: postgresql-15-postgis-3)" ;;
    nopostgis) need="PostGIS 3 for PostgreSQL $_PG_MAJOR (Debian: postgresql-$_PG_MAJOR-postgis-3)" ;;
  esac
  [[ $_REDIS_STATE == ok ]] || need+="${need:+ and }Redis 7 (Debian: redis-server)"
  local docker_note="or start a Docker engine with Compose v2: cityops then runs \`docker compose up --wait\`"
  [[ $_PG_STATE != nopostgis ]] || docker_note="(Docker cannot help here: a server already holds the port)"
  cityops_die "${problems[@]}" \
    "Install and start $need," \
    "$docker_note," \
    "or run this as root on Debian/Ubuntu, where cityops installs them with apt (scripts/provision-debian.sh)."
}

# ---------------------------------------------------------------------------------------------
# ensure_mosquitto: an MQTT broker at MQTT_URL (default mqtt://127.0.0.1:1883)

ensure_mosquitto() {
  local url=${MQTT_URL:-mqtt://127.0.0.1:1883}
  _cityops_parse_url "$url" 1883 || cityops_die "MQTT_URL is not a valid URL: $url"
  local host=$_U_HOST
  _MQTT_PORT=$_U_PORT
  if _cityops_tcp_open "$host" "$_MQTT_PORT"; then
    cityops_log "mqtt ok ($host:$_MQTT_PORT)"
    return 0
  fi
  _cityops_is_local "$host" ||
    cityops_die "the MQTT broker at $host:$_MQTT_PORT (MQTT_URL) does not answer." \
      "It is not on this machine, so cityops does not start it: start it, or point MQTT_URL at a reachable broker."
  if _cityops_docker_ok; then
    _cityops_compose_up mosquitto
  elif _cityops_is_root_debian; then
    _cityops_provision mosquitto
  else
    cityops_die "no MQTT broker answers at $host:$_MQTT_PORT (MQTT_URL)." \
      "Install and start Mosquitto 2 (Debian: mosquitto), or start a Docker engine with Compose v2," \
      "or run this as root on Debian/Ubuntu, where cityops installs it with apt."
  fi
  _cityops_wait mosquitto 30 _cityops_tcp_open "$host" "$_MQTT_PORT" ||
    cityops_die "the MQTT broker did not answer on $host:$_MQTT_PORT; see $CITYOPS_SERVICES_LOG"
  cityops_log "mqtt ok ($host:$_MQTT_PORT, started)"
}

# ---------------------------------------------------------------------------------------------
# ensure_chromium: the browser tests' Chromium, and a Chinese font for their screenshots

ensure_chromium() {
  local bin=${CHROMIUM_PATH:-/usr/bin/chromium}
  if [[ -n ${CHROMIUM_PATH:-} ]]; then
    [[ -x $bin ]] || cityops_die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable"
  elif [[ ! -x $bin ]]; then
    _cityops_is_root_debian ||
      cityops_die "the browser tests need Chromium at $bin" \
        "Install it (Debian: sudo apt-get install chromium), or set CHROMIUM_PATH to a Chromium/Chrome binary."
    _cityops_provision chromium
  fi
  local version=""
  if [[ $bin == /usr/bin/chromium ]] && _cityops_have dpkg-query; then
    version=$(dpkg-query -W -f='${Version}' chromium 2>/dev/null) || true
  fi
  cityops_log "chromium ok ($bin${version:+, package $version})"
  # The wall speaks Chinese: without a CJK font the screenshots the browser tests take show boxes.
  ensure_cjk_font
}

# ensure_cjk_font: the font the API draws the map's label glyphs from (Chinese and Latin), unless
# BASEMAP_FONT names another; without it the map has no labels.
CITYOPS_DEFAULT_MAP_FONT=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
ensure_cjk_font() {
  [[ -n ${BASEMAP_FONT:-} ]] && return 0
  [[ -r $CITYOPS_DEFAULT_MAP_FONT ]] && return 0
  if _cityops_is_root_debian; then
    _cityops_provision cjk-font
  else
    cityops_warn "no $CITYOPS_DEFAULT_MAP_FONT: the map draws no labels" \
      "Install it (Debian: sudo apt-get install fonts-noto-cjk), or set BASEMAP_FONT to a .ttf/.otf/.ttc with Chinese glyphs."
  fi
}

# ensure_gdal: GDAL's command-line tools; the OGC API test reads a collection with `ogrinfo`, as a
# GIS client would.
ensure_gdal() {
  if ! _cityops_have ogrinfo; then
    _cityops_is_root_debian ||
      cityops_die "the OGC API test needs GDAL's ogrinfo" "Install it (Debian: sudo apt-get install gdal-bin)."
    _cityops_provision gdal
  fi
  cityops_log "gdal ok ($(ogrinfo --version 2>/dev/null | head -n 1))"
}

# ---------------------------------------------------------------------------------------------
# build and database

# cityops_build: the server (tsc) and the web app (vite); cityops_build_server: the server only.
cityops_build() { _cityops_npm_build build; }
cityops_build_server() { _cityops_npm_build build:server; }

# _cityops_npm_build SCRIPT: npm run SCRIPT, its output in .cityops/logs (shown when it fails).
_cityops_npm_build() {
  local script=$1
  _cityops_state_dirs
  local log="$CITYOPS_LOG_DIR/${script//:/-}.log" start=$SECONDS
  cityops_log "building (npm run $script; log: ${log#"$CITYOPS_ROOT"/})"
  if ! (cd "$CITYOPS_ROOT" && npm run "$script") >"$log" 2>&1 </dev/null; then
    tail -n 80 "$log" >&2 || true
    cityops_die "npm run $script failed (last lines above; full log: $log)"
  fi
  cityops_log "build ok ($((SECONDS - start))s)"
}

# cityops_checks SCRIPT...: the npm scripts that check types and style (typecheck, lint,
# format:check), run at the same time, each with its log in .cityops/logs; every one that fails
# shows its log's end, then the run stops.
cityops_checks() {
  _cityops_state_dirs
  local script pids=() logs=() failed=() names=("$@") start=$SECONDS i
  cityops_log "checking types and style (npm run $*, side by side)"
  for script in "$@"; do
    local log="$CITYOPS_LOG_DIR/check-${script//:/-}.log"
    (cd "$CITYOPS_ROOT" && npm run --silent "$script") >"$log" 2>&1 </dev/null &
    pids+=("$!")
    logs+=("$log")
  done
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      failed+=("${names[$i]}")
      printf "[cityops] npm run %s failed:\n" "${names[$i]}" >&2
      tail -n 60 "${logs[$i]}" >&2 || true
    fi
  done
  if ((${#failed[@]})); then
    local hint=()
    [[ " ${failed[*]} " == *" format:check "* ]] && hint=("files not formatted: run npm run format")
    cityops_die "failed: ${failed[*]} (full logs in ${CITYOPS_LOG_DIR#"$CITYOPS_ROOT"/}/check-*.log)" "${hint[@]}"
  fi
  cityops_log "types and style ok ($((SECONDS - start))s)"
}

# cityops_prepare: as DATABASE_ADMIN_URL's superuser, the application's role (DATABASE_URL's user),
# its database and extensions; as that role, the migrations; the audit trail sealed; the demo
# city loaded into an empty database (apps/worker/src/cli.ts).
cityops_prepare() {
  _cityops_state_dirs
  cityops_log "preparing the database (cli.js prepare)"
  if ! (cd "$CITYOPS_ROOT" && node dist/apps/worker/src/cli.js prepare) 2>&1 |
    (trap '' INT HUP TERM && cityops_prefix '[prepare]' "$CITYOPS_LOG_DIR/prepare.log"); then
    cityops_die "cli.js prepare failed (log: $CITYOPS_LOG_DIR/prepare.log)"
  fi
}

# ---------------------------------------------------------------------------------------------
# The ways to bring a service up (paths 2 and 3), and what a run started

_cityops_record_started() {
  CITYOPS_STARTED_SERVICES+=("$1")
  _cityops_state_dirs
  printf '%s\n' "$1" >>"$CITYOPS_STARTED_FILE"
}

# Sets _CITYOPS_COMPOSE to Compose v2 (`docker compose`, or a v2 `docker-compose`), which
# `up --wait` needs; fails when there is none.
_cityops_find_compose() {
  if docker compose version >/dev/null 2>&1; then
    _CITYOPS_COMPOSE=(docker compose)
  elif _cityops_have docker-compose && [[ $(docker-compose version --short 2>/dev/null) == 2.* ]]; then
    _CITYOPS_COMPOSE=(docker-compose)
  else
    return 1
  fi
}

_cityops_compose() {
  _cityops_find_compose || {
    echo "Docker Compose v2 (\`docker compose\`) is not installed" >&2
    return 127
  }
  # The published ports and the database user follow the URLs (docker-compose.yml reads these).
  CITYOPS_PG_PORT=${_PG_PORT:-5432} CITYOPS_PG_USER=${_PG_USER:-postgres} \
    CITYOPS_REDIS_PORT=${_REDIS_PORT:-6379} CITYOPS_MQTT_PORT=${_MQTT_PORT:-1883} \
    "${_CITYOPS_COMPOSE[@]}" -f "$CITYOPS_ROOT/docker-compose.yml" "$@"
}

# A Docker engine that answers, and Compose v2 to drive it.
_cityops_docker_ok() {
  _cityops_have docker && _cityops_timeout 15 docker info >/dev/null 2>&1 && _cityops_find_compose
}

# _cityops_compose_up SERVICE...: start the containers and wait until their healthchecks pass.
_cityops_compose_up() {
  _cityops_state_dirs
  local svc
  for svc in "$@"; do _cityops_record_started "docker:$svc"; done
  cityops_log "starting $* with docker compose up --wait (log: ${CITYOPS_SERVICES_LOG#"$CITYOPS_ROOT"/})"
  if ! _cityops_compose up --wait --wait-timeout 180 "$@" >>"$CITYOPS_SERVICES_LOG" 2>&1 </dev/null; then
    tail -n 15 "$CITYOPS_SERVICES_LOG" >&2 || true
    cityops_die "docker compose up --wait $* failed; see $CITYOPS_SERVICES_LOG and \`docker compose logs $*\`"
  fi
}

_cityops_is_root_debian() {
  [[ -f /etc/debian_version ]] && [[ $(id -u) == 0 ]] && _cityops_have apt-get
}

# _cityops_provision ITEM...: scripts/provision-debian.sh, which appends what it starts to
# .cityops/started-services; those entries become this run's (even after a Ctrl-C in between).
_cityops_provision() {
  _cityops_state_dirs
  touch "$CITYOPS_STARTED_FILE"
  _CITYOPS_PROVISION_MARK=$(wc -l <"$CITYOPS_STARTED_FILE")
  local rc=0
  bash "$CITYOPS_ROOT/scripts/provision-debian.sh" "$@" || rc=$?
  _cityops_adopt_started
  ((rc == 0)) || exit "$rc"
}

_cityops_adopt_started() {
  [[ -n ${_CITYOPS_PROVISION_MARK:-} && -f $CITYOPS_STARTED_FILE ]] || return 0
  local entry
  while IFS= read -r entry; do
    [[ -z $entry ]] || CITYOPS_STARTED_SERVICES+=("$entry")
  done < <(tail -n "+$((_CITYOPS_PROVISION_MARK + 1))" "$CITYOPS_STARTED_FILE")
  _CITYOPS_PROVISION_MARK=""
}

# cityops_stop_started_services: stop what this run started, newest first, and drop it from
# .cityops/started-services.
cityops_stop_started_services() {
  _cityops_adopt_started
  local -a entries=("${CITYOPS_STARTED_SERVICES[@]}") compose=() debian=()
  ((${#entries[@]})) || return 0
  local i
  for ((i = ${#entries[@]} - 1; i >= 0; i--)); do
    case ${entries[i]} in
      docker:*) compose+=("${entries[i]#docker:}") ;;
      *) debian+=("${entries[i]}") ;;
    esac
  done
  if ((${#compose[@]})); then
    cityops_log "stopping ${compose[*]} (docker compose stop; started by this run)"
    _cityops_compose stop "${compose[@]}" >/dev/null 2>&1 || true
  fi
  if ((${#debian[@]})); then
    bash "$CITYOPS_ROOT/scripts/provision-debian.sh" stop "${debian[@]}" || true
  fi
  if [[ -f $CITYOPS_STARTED_FILE ]]; then
    local tmp="$CITYOPS_STARTED_FILE.$$"
    grep -vxF -f <(printf '%s\n' "${entries[@]}") "$CITYOPS_STARTED_FILE" >"$tmp" || true
    mv -f "$tmp" "$CITYOPS_STARTED_FILE"
  fi
  CITYOPS_STARTED_SERVICES=()
}

# ---------------------------------------------------------------------------------------------
# Probes (also used by scripts/provision-debian.sh)

# _cityops_parse_url URL DEFAULT_PORT: sets _U_HOST (brackets removed, "localhost" when empty),
# _U_PORT, _U_USER, _U_PASS (percent-decoded).
_cityops_parse_url() {
  local out
  out=$(node -e '
    const u = new URL(process.argv[1]);
    const d = (s) => decodeURIComponent(s);
    process.stdout.write([u.hostname.replace(/^\[|\]$/g, ""), u.port, d(u.username), d(u.password)].join("\n") + "\n");
  ' "$1" 2>/dev/null) || return 1
  {
    IFS= read -r _U_HOST
    IFS= read -r _U_PORT
    IFS= read -r _U_USER
    IFS= read -r _U_PASS
  } <<<"$out"
  [[ -n $_U_HOST ]] || _U_HOST=localhost
  [[ -n $_U_PORT ]] || _U_PORT=$2
}

# Sets _PG_* from DATABASE_ADMIN_URL (the superuser the set-up logs in as: what the checks, Docker
# and provision-debian.sh need) and _REDIS_* from REDIS_URL.
_cityops_service_urls() {
  : "${DATABASE_URL:?DATABASE_URL is not set (see .env.example)}"
  : "${REDIS_URL:?REDIS_URL is not set (see .env.example)}"
  _cityops_parse_url "$DATABASE_URL" 5432 || cityops_die "DATABASE_URL is not a valid URL: $DATABASE_URL"
  _PG_ADMIN_URL=$(_cityops_derive_admin_url) || cityops_die "DATABASE_ADMIN_URL is not a valid URL: ${DATABASE_ADMIN_URL:-}"
  _cityops_parse_url "$_PG_ADMIN_URL" 5432 || cityops_die "DATABASE_ADMIN_URL is not a valid URL: $_PG_ADMIN_URL"
  _PG_HOST=$_U_HOST _PG_PORT=$_U_PORT _PG_USER=$_U_USER _PG_PASS=$_U_PASS
  _cityops_parse_url "$REDIS_URL" 6379 || cityops_die "REDIS_URL is not a valid URL: $REDIS_URL"
  _REDIS_HOST=$_U_HOST _REDIS_PORT=$_U_PORT _REDIS_PASS=$_U_PASS
}

_cityops_is_local() {
  case $1 in
    localhost | ::1 | 127.*) return 0 ;;
    *) return 1 ;;
  esac
}

# _cityops_tcp_open HOST PORT: is something listening?
_cityops_tcp_open() {
  # shellcheck disable=SC2016 # expanded by the inner bash
  _cityops_timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" >/dev/null 2>&1
}

# DATABASE_ADMIN_URL, or when it is empty the rule of libs/core/src/database/database-urls.ts
# (adminUrlFor): DATABASE_URL's server as the user postgres, no password, database postgres.
_cityops_derive_admin_url() {
  if [[ -n ${DATABASE_ADMIN_URL:-} ]]; then
    printf '%s\n' "$DATABASE_ADMIN_URL"
    return 0
  fi
  node -e '
    const u = new URL(process.argv[1]);
    u.username = "postgres"; u.password = ""; u.pathname = "/postgres";
    process.stdout.write(u.toString() + "\n");
  ' "$DATABASE_URL" 2>/dev/null
}

# The superuser's URL (set by _cityops_service_urls).
_cityops_pg_admin_url() { printf '%s\n' "${_PG_ADMIN_URL:?_cityops_service_urls first}"; }

# _cityops_pg_query URL SQL: rows on stdout, fields separated by |, errors on stderr.
_cityops_pg_query() {
  if _cityops_have psql; then
    PGCONNECT_TIMEOUT=5 psql -X -w -q -t -A -v ON_ERROR_STOP=1 -d "$1" -c "$2"
  else
    (cd "$CITYOPS_ROOT" && node -e '
      const { Client } = require("pg");
      const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 5000 });
      c.connect()
        .then(() => c.query({ text: process.argv[2], rowMode: "array" }))
        .then((r) => { for (const row of r.rows) console.log(row.join("|")); return c.end(); })
        .catch((e) => { console.error(e.message); process.exit(1); });
    ' "$1" "$2")
  fi
}

# Does the server accept connections (authentication not checked)?
_cityops_pg_answers() {
  if _cityops_have pg_isready; then
    pg_isready -q -t 3 -d "$(_cityops_pg_admin_url)" >/dev/null 2>&1
  else
    _cityops_tcp_open "$_PG_HOST" "$_PG_PORT"
  fi
}

# Sets _PG_STATE to ok | nopostgis | error (answers, but DATABASE_ADMIN_URL cannot log in) | down,
# plus _PG_MAJOR, _PG_POSTGIS, _PG_ERROR.
_cityops_pg_check() {
  _PG_MAJOR="" _PG_POSTGIS="" _PG_ERROR=""
  if ! _cityops_pg_answers; then
    _PG_STATE=down
    return 0
  fi
  local out err="$CITYOPS_STATE_DIR/.pg-check.err"
  _cityops_state_dirs
  if ! out=$(_cityops_pg_query "$(_cityops_pg_admin_url)" \
    "SELECT current_setting('server_version_num')::int / 10000, coalesce((SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'), '')" 2>"$err"); then
    _PG_STATE=error
    _PG_ERROR=$(head -c 600 "$err")
    rm -f "$err"
    return 0
  fi
  rm -f "$err"
  out=${out%%$'\n'*}
  _PG_MAJOR=${out%%|*}
  _PG_POSTGIS=${out#*|}
  if [[ -n $_PG_POSTGIS ]]; then _PG_STATE=ok; else _PG_STATE=nopostgis; fi
}

_cityops_pg_ready() {
  _cityops_pg_check
  [[ $_PG_STATE == ok ]]
}

_cityops_log_pg_ok() {
  cityops_log "postgres ok ($_PG_HOST:$_PG_PORT, PostgreSQL $_PG_MAJOR, postgis $_PG_POSTGIS available${1:+, $1})"
  if [[ -n $_PG_MAJOR ]] && ((_PG_MAJOR < 15)); then
    cityops_warn "PostgreSQL $_PG_MAJOR is older than the supported 15"
  fi
}

_cityops_pg_auth_hint() {
  cityops_die "PostgreSQL at $_PG_HOST:$_PG_PORT answers but the set-up's superuser (DATABASE_ADMIN_URL, default: user postgres) cannot log in:" \
    "$(printf '%s' "$_PG_ERROR" | head -n 2 | tr '\n' ' ')" \
    "Set DATABASE_ADMIN_URL to a superuser that can (user/password), or let that user in, e.g. for a local dev cluster a line" \
    "'host all ${_PG_USER:-postgres} 127.0.0.1/32 trust' at the top of pg_hba.conf, then reload PostgreSQL."
}

_cityops_redis_ping() {
  local out
  if _cityops_have redis-cli; then
    out=$(_cityops_timeout 5 redis-cli --no-auth-warning -u "$REDIS_URL" ping 2>&1) || true
  else
    out=$(cd "$CITYOPS_ROOT" && _cityops_timeout 8 node -e '
      const Redis = require("ioredis");
      const r = new Redis(process.argv[1], { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
      r.connect().then(() => r.ping()).then((p) => { console.log(p); r.disconnect(); })
        .catch((e) => { console.log(e.message); r.disconnect(); process.exitCode = 1; });
    ' "$REDIS_URL" 2>&1) || true
  fi
  _REDIS_ERROR=$out
  # (a password in REDIS_URL for a server without one gives an AUTH error, then PONG)
  [[ $out == PONG || $out == *$'\n'PONG ]]
}

# Sets _REDIS_STATE to ok | error (answers, PING fails) | down (and _REDIS_ERROR).
_cityops_redis_check() {
  if _cityops_redis_ping; then
    _REDIS_STATE=ok
  elif _cityops_tcp_open "$_REDIS_HOST" "$_REDIS_PORT"; then
    _REDIS_STATE=error
  else
    _REDIS_STATE=down
  fi
}
