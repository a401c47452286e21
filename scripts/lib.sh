# shellcheck shell=bash
# Helpers shared by scripts/start.sh and scripts/test.sh. Source this file; it only defines
# functions and CITYOPS_* variables and changes no shell options, so it works under
# `set -euo pipefail`.
#
#   load_env          .env from .env.example (secrets generated), exported; the environment wins
#   ensure_deps       npm ci when node_modules is missing or package-lock.json changed
#   ensure_services   PostgreSQL + PostGIS and Redis reachable at DATABASE_URL / REDIS_URL
#   ensure_mosquitto  an MQTT broker at MQTT_URL (default mqtt://127.0.0.1:1883)
#   ensure_chromium   /usr/bin/chromium for the browser tests
#   cityops_build     npm run build, output in .cityops/logs/build.log
#
# Services that a run starts itself are listed in .cityops/started-services (and in the array
# CITYOPS_STARTED_SERVICES); cityops_stop_started_services stops exactly those.

CITYOPS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CITYOPS_STATE_DIR="$CITYOPS_ROOT/.cityops"
CITYOPS_LOG_DIR="$CITYOPS_STATE_DIR/logs"
CITYOPS_STARTED_FILE="$CITYOPS_STATE_DIR/started-services"
CITYOPS_APT_LOG="$CITYOPS_STATE_DIR/apt.log"
CITYOPS_SERVICES_LOG="$CITYOPS_STATE_DIR/services.log"
# PostgreSQL clusters that cityops installed or created ("<version> <name>" per line); only for
# these does ensure_services adjust authentication so that DATABASE_URL can log in.
CITYOPS_PG_OURS_FILE="$CITYOPS_STATE_DIR/pg-clusters-created"
CITYOPS_SECRET_KEYS=(JWT_SECRET KIOSK_TOKEN SIMULATOR_TOKEN)
CITYOPS_STARTED_SERVICES=()
CITYOPS_SERVICE_WAIT_SECONDS="${CITYOPS_SERVICE_WAIT_SECONDS:-60}"
_CITYOPS_APT_UPDATED=0

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

# ---------------------------------------------------------------------------------------------
# load_env

_cityops_random_hex() {
  if _cityops_have openssl; then
    openssl rand -hex 32
  elif _cityops_have node; then
    node -e "console.log(require('crypto').randomBytes(32).toString('hex'))"
  else
    od -An -tx1 -N32 /dev/urandom | tr -d ' \n'
    echo
  fi
}

# _cityops_unquote RAW: sets _CITYOPS_VALUE to the value of a .env assignment's right-hand side
# (quotes removed, or for unquoted values surrounding blanks and a " # comment" removed).
_cityops_unquote() {
  local v=$1
  v="${v#"${v%%[![:space:]]*}"}"
  if [[ $v =~ ^\"(.*)\"[[:space:]]*$ ]] || [[ $v =~ ^\'(.*)\'[[:space:]]*$ ]]; then
    v=${BASH_REMATCH[1]}
  else
    v="${v%%[[:space:]]#*}"
    v="${v%"${v##*[![:space:]]}"}"
  fi
  _CITYOPS_VALUE=$v
}

_CITYOPS_ENV_LINE_RE='^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$'

# _cityops_fill_secrets FILE: give every empty or missing secret of FILE a random value, in
# place (same inode, so permissions stay). Sets _CITYOPS_FILLED to the keys it filled.
_cityops_fill_secrets() {
  local file=$1 line key i found
  local -a lines=()
  _CITYOPS_FILLED=()
  while IFS= read -r line || [[ -n $line ]]; do lines+=("${line%$'\r'}"); done <"$file"
  for key in "${CITYOPS_SECRET_KEYS[@]}"; do
    found=0
    for i in "${!lines[@]}"; do
      [[ ${lines[$i]} =~ $_CITYOPS_ENV_LINE_RE ]] || continue
      [[ ${BASH_REMATCH[2]} == "$key" ]] || continue
      found=1
      _cityops_unquote "${BASH_REMATCH[3]}"
      if [[ -z $_CITYOPS_VALUE ]]; then
        lines[i]="$key=$(_cityops_random_hex)"
        _CITYOPS_FILLED+=("$key")
      fi
    done
    if ((!found)); then
      lines+=("$key=$(_cityops_random_hex)")
      _CITYOPS_FILLED+=("$key")
    fi
  done
  if ((${#_CITYOPS_FILLED[@]})); then
    local tmp="$file.tmp.$$"
    printf '%s\n' "${lines[@]}" >"$tmp"
    cat "$tmp" >"$file"
    rm -f "$tmp"
  fi
}

# load_env: create or complete .env, then export its variables (already-set ones win).
load_env() {
  local env_file="$CITYOPS_ROOT/.env" example="$CITYOPS_ROOT/.env.example" created=0
  if [[ ! -f $env_file ]]; then
    [[ -f $example ]] || cityops_die "neither .env nor .env.example exists in $CITYOPS_ROOT"
    (umask 077 && cp "$example" "$env_file")
    created=1
  fi
  _cityops_fill_secrets "$env_file"
  if ((created)); then
    cityops_log ".env created from .env.example (generated ${_CITYOPS_FILLED[*]:-no secrets})"
  elif ((${#_CITYOPS_FILLED[@]})); then
    cityops_log ".env: generated ${_CITYOPS_FILLED[*]}"
  fi

  # Keys already in the environment keep their value; among the file's own lines the last wins.
  local line key preset=" " overridden=()
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ $_CITYOPS_ENV_LINE_RE ]] || continue
    key=${BASH_REMATCH[2]}
    if [[ -n ${!key+x} && $preset != *" $key "* ]]; then
      preset+="$key "
      overridden+=("$key")
    fi
  done <"$env_file"
  local in_env=" "
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    [[ $line =~ $_CITYOPS_ENV_LINE_RE ]] || continue
    key=${BASH_REMATCH[2]}
    in_env+="$key "
    [[ $preset != *" $key "* ]] || continue
    _cityops_unquote "${BASH_REMATCH[3]}"
    export "$key=$_CITYOPS_VALUE"
  done <"$env_file"
  # Variables added to .env.example after this .env was created get their example default.
  local defaulted=()
  if [[ -f $example ]]; then
    while IFS= read -r line || [[ -n $line ]]; do
      line=${line%$'\r'}
      [[ $line =~ $_CITYOPS_ENV_LINE_RE ]] || continue
      key=${BASH_REMATCH[2]}
      [[ $in_env != *" $key "* && -z ${!key+x} ]] || continue
      _cityops_unquote "${BASH_REMATCH[3]}"
      export "$key=$_CITYOPS_VALUE"
      defaulted+=("$key")
    done <"$example"
  fi
  if ((${#defaulted[@]})); then
    cityops_log ".env lacks ${defaulted[*]}: using the defaults of .env.example (copy them into .env to change them)"
  fi
  if ((${#overridden[@]})); then
    cityops_log "env loaded from .env (kept from the environment: ${overridden[*]})"
  else
    cityops_log "env loaded from .env"
  fi
}

# ---------------------------------------------------------------------------------------------
# ensure_deps

ensure_deps() {
  _cityops_have node || cityops_die "Node.js 20.19 or newer is required, but \`node\` is not on PATH"
  local version
  version=$(node -p 'process.versions.node')
  if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
    cityops_die "Node.js $version is too old: cityops needs Node.js 20.19 or newer (engines in package.json)"
  fi
  _cityops_have npm || cityops_die "npm is not on PATH (it ships with Node.js)"

  local modules="$CITYOPS_ROOT/node_modules" lock="$CITYOPS_ROOT/package-lock.json"
  local stamp="$CITYOPS_ROOT/node_modules/.cityops-installed" reason=""
  if [[ ! -d $modules ]]; then
    reason="node_modules is missing"
  elif [[ ! -f $stamp ]]; then
    reason="no record of a completed install"
  elif [[ -f $lock && $lock -nt $stamp ]]; then
    reason="package-lock.json changed"
  elif [[ ! -f $lock && $CITYOPS_ROOT/package.json -nt $stamp ]]; then
    reason="package.json changed"
  fi
  if [[ -z $reason ]]; then
    cityops_log "dependencies ok (node $version)"
    return 0
  fi

  local -a cmd=(npm ci --no-audit --no-fund)
  [[ -f $lock ]] || cmd=(npm install --no-audit --no-fund)
  _cityops_state_dirs
  local log="$CITYOPS_LOG_DIR/npm-install.log" start=$SECONDS
  cityops_log "installing dependencies ($reason): ${cmd[*]}"
  if ! (cd "$CITYOPS_ROOT" && "${cmd[@]}") >"$log" 2>&1 </dev/null; then
    # `npm ci` refuses a lockfile that lacks entries, which happens e.g. when it was written
    # against a registry mirror without some platform-specific optional packages; `npm install`
    # keeps the locked versions and skips optional packages it cannot fetch.
    if [[ ${cmd[1]} == ci ]] && grep -q 'can only install packages when your package.json and package-lock.json' "$log"; then
      cityops_warn "npm ci refused package-lock.json as out of sync with package.json (details: $log); falling back to npm install"
      cmd=(npm install --no-audit --no-fund)
      if ! (cd "$CITYOPS_ROOT" && "${cmd[@]}") >>"$log" 2>&1 </dev/null; then
        tail -n 40 "$log" >&2 || true
        cityops_die "${cmd[*]} failed; full log: $log"
      fi
    else
      tail -n 40 "$log" >&2 || true
      cityops_die "${cmd[*]} failed; full log: $log"
    fi
  fi
  touch "$stamp"
  cityops_log "dependencies installed in $((SECONDS - start))s (node $version)"
}

# ---------------------------------------------------------------------------------------------
# URLs and probes

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

_cityops_is_root_debian() {
  [[ -f /etc/debian_version ]] && [[ $(id -u) == 0 ]] && _cityops_have apt-get
}

_cityops_docker_ok() {
  _cityops_have docker && _cityops_timeout 15 docker info >/dev/null 2>&1
}

# _cityops_compose ARGS...: docker compose (or docker-compose) on our compose file.
_cityops_compose() {
  if docker compose version >/dev/null 2>&1; then
    docker compose -f "$CITYOPS_ROOT/docker-compose.yml" "$@"
  elif _cityops_have docker-compose; then
    docker-compose -f "$CITYOPS_ROOT/docker-compose.yml" "$@"
  else
    echo "neither \`docker compose\` nor \`docker-compose\` is installed" >&2
    return 127
  fi
}

_cityops_record_started() {
  CITYOPS_STARTED_SERVICES+=("$1")
  _cityops_state_dirs
  printf '%s\n' "$1" >>"$CITYOPS_STARTED_FILE"
}

# _cityops_wait WHAT SECONDS CMD...: poll CMD every second until it succeeds.
_cityops_wait() {
  local what=$1 secs=$2
  shift 2
  local deadline=$((SECONDS + secs)) said=0
  until "$@"; do
    if ((SECONDS >= deadline)); then
      return 1
    fi
    if ((!said)); then
      cityops_log "waiting for $what (up to ${secs}s)"
      said=1
    fi
    sleep 1
  done
  return 0
}

# --- PostgreSQL

# DATABASE_URL with the database replaced by `postgres` (that database always exists).
_cityops_pg_admin_url() {
  local url=$DATABASE_URL
  if [[ $url =~ ^([A-Za-z][A-Za-z0-9+.-]*://[^/?#]*)(/[^?#]*)?(\?[^#]*)?(#.*)?$ ]]; then
    printf '%s/postgres%s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[3]}"
  else
    printf '%s\n' "$url"
  fi
}

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
    pg_isready -q -t 3 -d "$DATABASE_URL" >/dev/null 2>&1
  else
    _cityops_tcp_open "$_PG_HOST" "$_PG_PORT"
  fi
}

# Sets _PG_STATE to ok | nopostgis | error | down, plus _PG_MAJOR, _PG_POSTGIS, _PG_ERROR.
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

_cityops_pg_answers_and_logs_in() {
  _cityops_pg_check
  [[ $_PG_STATE == ok || $_PG_STATE == nopostgis ]]
}

# Highest PostgreSQL major version whose server binaries are installed (Debian layout).
_cityops_pg_installed_version() {
  local d best=""
  for d in /usr/lib/postgresql/*/bin/postgres; do
    [[ -x $d ]] || continue
    d=${d#/usr/lib/postgresql/}
    d=${d%%/*}
    [[ $d =~ ^[0-9]+$ ]] || continue
    if [[ -z $best ]] || ((d > best)); then best=$d; fi
  done
  printf '%s\n' "$best"
}

# "<version> <name> <status>" of the Debian cluster configured for port $1, if any.
_cityops_pg_cluster_on_port() {
  _cityops_have pg_lsclusters || return 0
  pg_lsclusters -h 2>/dev/null | awk -v p="$1" '$3 == p { print $1, $2, $4; exit }'
}

_cityops_pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

_cityops_apt_install() {
  _cityops_state_dirs
  if ((!_CITYOPS_APT_UPDATED)); then
    cityops_log "apt-get update (log: ${CITYOPS_APT_LOG#"$CITYOPS_ROOT"/})"
    if ! apt-get -o DPkg::Lock::Timeout=120 update >>"$CITYOPS_APT_LOG" 2>&1 </dev/null; then
      tail -n 15 "$CITYOPS_APT_LOG" >&2 || true
      cityops_die "apt-get update failed; full log: $CITYOPS_APT_LOG"
    fi
    _CITYOPS_APT_UPDATED=1
  fi
  cityops_log "installing $* with apt-get (log: ${CITYOPS_APT_LOG#"$CITYOPS_ROOT"/})"
  if ! DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 install -y "$@" \
    >>"$CITYOPS_APT_LOG" 2>&1 </dev/null; then
    tail -n 15 "$CITYOPS_APT_LOG" >&2 || true
    cityops_die "apt-get install $* failed; full log: $CITYOPS_APT_LOG"
  fi
}

_cityops_as_postgres() {
  if _cityops_have runuser; then
    runuser -u postgres -- "$@"
  else
    su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
  fi
}

_cityops_pg_is_ours() {
  [[ -f $CITYOPS_PG_OURS_FILE ]] && grep -qx "$1 $2" "$CITYOPS_PG_OURS_FILE"
}

_cityops_pg_mark_ours() {
  _cityops_pg_is_ours "$1" "$2" && return 0
  _cityops_state_dirs
  printf '%s %s\n' "$1" "$2" >>"$CITYOPS_PG_OURS_FILE"
}

# Make the user of DATABASE_URL able to log in over TCP to a local cluster cityops created:
# create the role (superuser: `prepare` creates the postgis extension) and either set the URL's
# password (only on a role without one) or, for a password-less URL, trust that user from
# 127.0.0.1 and ::1 in pg_hba.conf.
_cityops_pg_fix_auth() {
  local ver=$1 name=$2 port=$3 user=${_PG_USER:-postgres} pass=$_PG_PASS
  local quser="\"${user//\"/\"\"}\"" lit_user="'${user//\'/\'\'}'" lit_pass="'${pass//\'/\'\'}'"
  local -a psql_su=(psql -X -q -t -A -v ON_ERROR_STOP=1 -p "$port" -d postgres)
  local exists
  exists=$(_cityops_as_postgres "${psql_su[@]}" -c "SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = $lit_user" 2>>"$CITYOPS_SERVICES_LOG") || return 1
  if [[ -z $exists ]]; then
    cityops_log "postgres: creating role $user on cluster $ver/$name"
    _cityops_as_postgres "${psql_su[@]}" -c "CREATE ROLE $quser LOGIN SUPERUSER" >>"$CITYOPS_SERVICES_LOG" 2>&1 || return 1
    exists=f
  fi
  if [[ -n $pass ]]; then
    [[ $exists == f ]] || return 1
    cityops_log "postgres: setting the password of role $user from DATABASE_URL (cluster $ver/$name)"
    _cityops_as_postgres "${psql_su[@]}" -c "ALTER ROLE $quser WITH LOGIN PASSWORD $lit_pass" >>"$CITYOPS_SERVICES_LOG" 2>&1 || return 1
  else
    local hba
    hba=$(_cityops_as_postgres "${psql_su[@]}" -c 'SHOW hba_file' 2>>"$CITYOPS_SERVICES_LOG") || return 1
    [[ -f $hba ]] || return 1
    if ! grep -q '# added by cityops' "$hba"; then
      cityops_log "postgres: trusting local TCP logins of $user in $hba (cluster created by cityops)"
      local tmp="$hba.cityops.$$"
      {
        printf '# added by cityops (scripts/lib.sh): password-less local access for DATABASE_URL\n'
        printf 'host all %s 127.0.0.1/32 trust\nhost all %s ::1/128 trust\n' "$quser" "$quser"
        cat "$hba"
      } >"$tmp" && cat "$tmp" >"$hba" && rm -f "$tmp"
    fi
    _cityops_as_postgres "${psql_su[@]}" -c 'SELECT pg_reload_conf()' >>"$CITYOPS_SERVICES_LOG" 2>&1 || return 1
    sleep 1
  fi
}

# Start (creating it first if there is none) the local cluster for port $1. Sets _PG_CLUSTER.
_cityops_pg_local_start() {
  local port=$1 ver name status line
  line=$(_cityops_pg_cluster_on_port "$port")
  if [[ -n $line ]]; then
    read -r ver name status <<<"$line"
  else
    ver=$(_cityops_pg_installed_version)
    [[ -n $ver ]] || cityops_die "no PostgreSQL server is installed"
    _cityops_have pg_createcluster || cityops_die "pg_createcluster (postgresql-common) is missing"
    name=main
    [[ ! -d /etc/postgresql/$ver/main ]] || name=cityops
    cityops_log "creating PostgreSQL cluster $ver/$name on port $port"
    if ! pg_createcluster "$ver" "$name" -p "$port" >>"$CITYOPS_SERVICES_LOG" 2>&1 </dev/null; then
      cityops_die "pg_createcluster $ver $name failed; see $CITYOPS_SERVICES_LOG"
    fi
    _cityops_pg_mark_ours "$ver" "$name"
    status=down
  fi
  _PG_CLUSTER="$ver:$name"
  _PG_START_METHOD=""
  if [[ $status == online* ]]; then
    _PG_START_METHOD=already
    return 0
  fi
  cityops_log "starting PostgreSQL $ver/$name (port $port)"
  if pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start >>"$CITYOPS_SERVICES_LOG" 2>&1 </dev/null; then
    _PG_START_METHOD=pg_ctlcluster
  elif _cityops_have service && service postgresql start >>"$CITYOPS_SERVICES_LOG" 2>&1 </dev/null; then
    _PG_START_METHOD=service
  else
    tail -n 15 "$CITYOPS_SERVICES_LOG" >&2 || true
    cityops_die "could not start PostgreSQL $ver/$name; see $CITYOPS_SERVICES_LOG and /var/log/postgresql/"
  fi
}

# --- Redis

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

# Sets _REDIS_STATE to ok | error | down (and _REDIS_ERROR).
_cityops_redis_check() {
  if _cityops_redis_ping; then
    _REDIS_STATE=ok
  elif _cityops_tcp_open "$_REDIS_HOST" "$_REDIS_PORT"; then
    _REDIS_STATE=error
  else
    _REDIS_STATE=down
  fi
}

_cityops_redis_local_start() {
  local port=$1 dir=/var/lib/redis logdir=/var/log/redis major
  mkdir -p "$dir" "$logdir" 2>/dev/null || true
  [[ -w $dir ]] || dir="$CITYOPS_STATE_DIR/redis"
  [[ -w $logdir ]] || logdir="$CITYOPS_LOG_DIR"
  mkdir -p "$dir" "$logdir"
  major=$(redis-server --version 2>/dev/null | sed -n 's/.* v=\([0-9]*\)\..*/\1/p')
  local -a args=(--daemonize yes --bind 127.0.0.1)
  if [[ -n $major ]] && ((major >= 7)); then args+=(-::1); fi
  args+=(--port "$port" --save "" --appendonly no --dir "$dir" --logfile "$logdir/ci.log")
  [[ -z $_REDIS_PASS ]] || args+=(--requirepass "$_REDIS_PASS")
  cityops_log "starting Redis (port $port)"
  if redis-server "${args[@]}" >>"$CITYOPS_SERVICES_LOG" 2>&1 </dev/null; then
    _REDIS_START_METHOD=direct
  elif _cityops_have service && service redis-server start >>"$CITYOPS_SERVICES_LOG" 2>&1 </dev/null; then
    _REDIS_START_METHOD=service
  else
    tail -n 15 "$CITYOPS_SERVICES_LOG" >&2 || true
    cityops_die "could not start Redis; see $CITYOPS_SERVICES_LOG and $logdir/ci.log"
  fi
}

# ---------------------------------------------------------------------------------------------
# ensure_services

_CITYOPS_SERVICES_HINT="PostgreSQL 15+ with PostGIS 3 (Debian: postgresql-15-postgis-3) and Redis 7 (redis-server), or a Docker engine for \`docker compose up -d\`"

_cityops_log_pg_ok() {
  cityops_log "postgres ok ($_PG_HOST:$_PG_PORT, PostgreSQL $_PG_MAJOR, postgis $_PG_POSTGIS available)"
  if [[ -n $_PG_MAJOR ]] && ((_PG_MAJOR < 15)); then
    cityops_warn "PostgreSQL $_PG_MAJOR is older than the supported 15"
  fi
}

_cityops_pg_auth_hint() {
  cityops_die "PostgreSQL at $_PG_HOST:$_PG_PORT answers but DATABASE_URL cannot log in:" \
    "$(printf '%s' "$_PG_ERROR" | head -n 2 | tr '\n' ' ')" \
    "Fix DATABASE_URL (user/password), or let that user in, e.g. for a local dev cluster a line" \
    "'host all ${_PG_USER:-postgres} 127.0.0.1/32 trust' at the top of pg_hba.conf, then reload PostgreSQL."
}

ensure_services() {
  _cityops_have node || cityops_die "node is required (run ensure_deps first)"
  _cityops_state_dirs
  : >"$CITYOPS_STARTED_FILE"
  CITYOPS_STARTED_SERVICES=()
  : "${DATABASE_URL:?DATABASE_URL is not set (see .env.example)}"
  : "${REDIS_URL:?REDIS_URL is not set (see .env.example)}"

  _cityops_parse_url "$DATABASE_URL" 5432 || cityops_die "DATABASE_URL is not a valid URL: $DATABASE_URL"
  _PG_HOST=$_U_HOST _PG_PORT=$_U_PORT _PG_USER=$_U_USER _PG_PASS=$_U_PASS
  _cityops_parse_url "$REDIS_URL" 6379 || cityops_die "REDIS_URL is not a valid URL: $REDIS_URL"
  _REDIS_HOST=$_U_HOST _REDIS_PORT=$_U_PORT _REDIS_PASS=$_U_PASS

  _cityops_pg_check
  _cityops_redis_check

  # 1. Everything answers.
  if [[ $_PG_STATE == ok && $_REDIS_STATE == ok ]]; then
    _cityops_log_pg_ok
    cityops_log "redis ok ($_REDIS_HOST:$_REDIS_PORT)"
    return 0
  fi

  # What cannot be helped by starting anything.
  if [[ $_PG_STATE != ok ]] && ! _cityops_is_local "$_PG_HOST"; then
    case $_PG_STATE in
      down) cityops_die "PostgreSQL at $_PG_HOST:$_PG_PORT (DATABASE_URL) does not answer." \
        "It is not local, so cityops does not start it: start it, or point DATABASE_URL at a reachable server." ;;
      nopostgis) cityops_die "PostgreSQL at $_PG_HOST:$_PG_PORT has no PostGIS extension available." \
        "Install PostGIS 3 on that server (Debian: postgresql-$_PG_MAJOR-postgis-3)." ;;
      *) _cityops_pg_auth_hint ;;
    esac
  fi
  if [[ $_REDIS_STATE == error ]]; then
    cityops_die "Redis at $_REDIS_HOST:$_REDIS_PORT answers but PING fails: $_REDIS_ERROR" \
      "Check REDIS_URL (password, database)."
  fi
  if [[ $_REDIS_STATE != ok ]] && ! _cityops_is_local "$_REDIS_HOST"; then
    cityops_die "Redis at $_REDIS_HOST:$_REDIS_PORT (REDIS_URL) does not answer." \
      "It is not local, so cityops does not start it: start it, or point REDIS_URL at a reachable server."
  fi
  [[ $_PG_STATE == ok ]] && _cityops_log_pg_ok
  [[ $_REDIS_STATE == ok ]] && cityops_log "redis ok ($_REDIS_HOST:$_REDIS_PORT)"

  # 2. Docker engine: start the containers for what is down (a running server without PostGIS
  #    or with a login problem would keep the port busy, so those go to step 3 or fail).
  if [[ $_PG_STATE == down || $_PG_STATE == ok ]] && _cityops_docker_ok; then
    local -a wanted=()
    [[ $_PG_STATE == ok ]] || wanted+=(postgres)
    [[ $_REDIS_STATE == ok ]] || wanted+=(redis)
    cityops_log "starting ${wanted[*]} with docker compose (log: ${CITYOPS_SERVICES_LOG#"$CITYOPS_ROOT"/})"
    if ! _cityops_compose up -d "${wanted[@]}" >>"$CITYOPS_SERVICES_LOG" 2>&1 </dev/null; then
      tail -n 15 "$CITYOPS_SERVICES_LOG" >&2 || true
      cityops_die "docker compose up -d ${wanted[*]} failed; see $CITYOPS_SERVICES_LOG"
    fi
    local svc
    for svc in "${wanted[@]}"; do _cityops_record_started "docker:$svc"; done
    if [[ $_PG_STATE != ok ]]; then
      _cityops_wait postgres 120 _cityops_pg_ready ||
        cityops_die "the postgres container did not become ready within 120 s ($_PG_STATE: ${_PG_ERROR:-no answer})" \
          "See: docker compose logs postgres"
      _cityops_log_pg_ok
    fi
    if [[ $_REDIS_STATE != ok ]]; then
      _cityops_wait redis 60 _cityops_redis_ping ||
        cityops_die "the redis container did not answer PING within 60 s. See: docker compose logs redis"
      cityops_log "redis ok ($_REDIS_HOST:$_REDIS_PORT, docker)"
    fi
    return 0
  fi

  # 3. Root on Debian/Ubuntu: install what is missing with apt, start what is stopped.
  if ! _cityops_is_root_debian; then
    local -a problems=()
    case $_PG_STATE in
      down) problems+=("PostgreSQL does not answer at $_PG_HOST:$_PG_PORT (DATABASE_URL)") ;;
      nopostgis) problems+=("PostgreSQL $_PG_MAJOR at $_PG_HOST:$_PG_PORT has no PostGIS (Debian: postgresql-$_PG_MAJOR-postgis-3)") ;;
      error) _cityops_pg_auth_hint ;;
    esac
    [[ $_REDIS_STATE == ok ]] || problems+=("Redis does not answer at $_REDIS_HOST:$_REDIS_PORT (REDIS_URL)")
    local need
    if [[ $_PG_STATE == down && $_REDIS_STATE != ok ]]; then
      need=$_CITYOPS_SERVICES_HINT
    elif [[ $_PG_STATE == down ]]; then
      need="PostgreSQL 15+ with PostGIS 3 (Debian: postgresql-15-postgis-3), or a Docker engine for \`docker compose up -d\`"
    elif [[ $_PG_STATE == nopostgis ]]; then
      need="PostGIS 3 for PostgreSQL $_PG_MAJOR (Debian: postgresql-$_PG_MAJOR-postgis-3)"
      [[ $_REDIS_STATE == ok ]] || need+=" and Redis 7 (redis-server)"
    else
      need="Redis 7 (redis-server), or a Docker engine for \`docker compose up -d\`"
    fi
    cityops_die "${problems[@]}" \
      "Install and start $need." \
      "(cityops installs and starts them itself only when run as root on Debian/Ubuntu.)"
  fi

  if [[ $_PG_STATE != ok ]]; then
    _cityops_ensure_local_postgres
  fi
  if [[ $_REDIS_STATE != ok ]]; then
    _REDIS_START_METHOD=package
    _cityops_have redis-server || _cityops_apt_install redis-server
    # (installing the package may have started it already)
    _cityops_redis_ping || _cityops_redis_local_start "$_REDIS_PORT"
    if [[ $_REDIS_START_METHOD == direct ]]; then
      _cityops_record_started redis
    else
      _cityops_record_started redis-service
    fi
    _cityops_wait redis "$CITYOPS_SERVICE_WAIT_SECONDS" _cityops_redis_ping ||
      cityops_die "Redis did not answer PING at $_REDIS_HOST:$_REDIS_PORT within ${CITYOPS_SERVICE_WAIT_SECONDS}s: $_REDIS_ERROR" \
        "See $CITYOPS_SERVICES_LOG and /var/log/redis/ci.log"
    cityops_log "redis ok ($_REDIS_HOST:$_REDIS_PORT, started)"
  fi
}

# Local PostgreSQL on a root Debian machine: install server and PostGIS, start the cluster,
# let DATABASE_URL log in (clusters cityops created only).
_cityops_ensure_local_postgres() {
  local was_down=0 installed_now=0 ver name
  [[ $_PG_STATE == down ]] && was_down=1
  _PG_CLUSTER="" _PG_START_METHOD=""

  if [[ $_PG_STATE == down ]]; then
    if [[ -z $(_cityops_pg_installed_version) ]]; then
      _cityops_apt_install postgresql
      installed_now=1
      # The package creates (and may start) a cluster; remember it as ours.
      local line
      line=$(_cityops_pg_cluster_on_port "$_PG_PORT")
      if [[ -n $line ]]; then
        read -r ver name _ <<<"$line"
        _cityops_pg_mark_ours "$ver" "$name"
      fi
    fi
    _cityops_pg_local_start "$_PG_PORT"
    # Record it now, so that a failure below still stops what we started. (When installing the
    # package already started it, its init system did: stop it the same way.)
    if [[ $_PG_START_METHOD == already ]] && ((installed_now)); then
      if [[ -d /run/systemd/system ]]; then _PG_START_METHOD=service; else _PG_START_METHOD=pg_ctlcluster; fi
    fi
    case $_PG_START_METHOD in
      pg_ctlcluster) _cityops_record_started "postgres:$_PG_CLUSTER" ;;
      service) _cityops_record_started "postgres-service:$_PG_CLUSTER" ;;
    esac
    _cityops_wait postgres "$CITYOPS_SERVICE_WAIT_SECONDS" _cityops_pg_answers ||
      cityops_die "PostgreSQL did not accept connections at $_PG_HOST:$_PG_PORT within ${CITYOPS_SERVICE_WAIT_SECONDS}s" \
        "See $CITYOPS_SERVICES_LOG and /var/log/postgresql/"
    _cityops_pg_check
  else
    local line
    line=$(_cityops_pg_cluster_on_port "$_PG_PORT")
    [[ -z $line ]] || _PG_CLUSTER="$(awk '{print $1 ":" $2}' <<<"$line")"
  fi

  if [[ $_PG_STATE == error && -n $_PG_CLUSTER ]]; then
    ver=${_PG_CLUSTER%%:*} name=${_PG_CLUSTER#*:}
    if [[ $_PG_ERROR =~ (authentication|password|pg_hba|does not exist) ]] && _cityops_pg_is_ours "$ver" "$name"; then
      if _cityops_pg_fix_auth "$ver" "$name" "$_PG_PORT"; then
        _cityops_pg_check
      else
        cityops_warn "could not set up the login of DATABASE_URL on cluster $ver/$name (see $CITYOPS_SERVICES_LOG)"
      fi
    fi
  fi
  [[ $_PG_STATE != error ]] || _cityops_pg_auth_hint

  if [[ $_PG_STATE == nopostgis ]]; then
    local major=${_PG_MAJOR:-${_PG_CLUSTER%%:*}}
    [[ -n $major ]] || major=$(_cityops_pg_installed_version)
    local pkg="postgresql-$major-postgis-3"
    if [[ -f /usr/share/postgresql/$major/extension/postgis.control ]]; then
      cityops_die "PostGIS files exist for PostgreSQL $major but the server does not list postgis" \
        "Check that the server at $_PG_HOST:$_PG_PORT is PostgreSQL $major from /usr/lib/postgresql/$major."
    fi
    _cityops_apt_install "$pkg"
    _cityops_pg_check
    [[ $_PG_STATE == ok ]] || cityops_die "PostGIS is still not available after installing $pkg ($_PG_STATE ${_PG_ERROR:-})"
  fi
  [[ $_PG_STATE == ok ]] || cityops_die "PostgreSQL is not usable at $_PG_HOST:$_PG_PORT ($_PG_STATE ${_PG_ERROR:-})"
  if ((was_down)); then
    cityops_log "postgres ok ($_PG_HOST:$_PG_PORT, PostgreSQL $_PG_MAJOR, cluster ${_PG_CLUSTER/:/\/} started, postgis $_PG_POSTGIS available)"
  else
    _cityops_log_pg_ok
  fi
}

# cityops_stop_started_services [ENTRY...]: stop what this run started (default: the entries
# of CITYOPS_STARTED_SERVICES), newest first, and drop them from .cityops/started-services.
cityops_stop_started_services() {
  local -a entries=()
  if (($#)); then entries=("$@"); else entries=("${CITYOPS_STARTED_SERVICES[@]}"); fi
  ((${#entries[@]})) || return 0
  local -a compose=()
  local i entry ver rest
  for ((i = ${#entries[@]} - 1; i >= 0; i--)); do
    entry=${entries[i]}
    case $entry in
      redis)
        cityops_log "stopping Redis (started by this run)"
        _cityops_timeout 10 redis-cli --no-auth-warning -u "$REDIS_URL" shutdown nosave >/dev/null 2>&1 || true
        ;;
      redis-service)
        cityops_log "stopping Redis (started by this run)"
        service redis-server stop >/dev/null 2>&1 || true
        ;;
      postgres:* | postgres-service:*)
        rest=${entry#*:}
        ver=${rest%%:*}
        cityops_log "stopping PostgreSQL $ver/${rest#*:} (started by this run)"
        if [[ $entry == postgres:* ]]; then
          pg_ctlcluster --skip-systemctl-redirect --mode fast "$ver" "${rest#*:}" stop >/dev/null 2>&1 || true
        else
          pg_ctlcluster --mode fast "$ver" "${rest#*:}" stop >/dev/null 2>&1 || true
        fi
        ;;
      mosquitto:*)
        cityops_log "stopping Mosquitto (started by this run)"
        kill "${entry#mosquitto:}" 2>/dev/null || true
        ;;
      docker:*) compose+=("${entry#docker:}") ;;
    esac
  done
  if ((${#compose[@]})); then
    cityops_log "stopping ${compose[*]} (docker compose stop)"
    _cityops_compose stop "${compose[@]}" >/dev/null 2>&1 || true
  fi
  if [[ -f $CITYOPS_STARTED_FILE ]]; then
    local tmp="$CITYOPS_STARTED_FILE.$$"
    grep -vxF -f <(printf '%s\n' "${entries[@]}") "$CITYOPS_STARTED_FILE" >"$tmp" || true
    mv -f "$tmp" "$CITYOPS_STARTED_FILE"
  fi
}

# ---------------------------------------------------------------------------------------------
# ensure_mosquitto (MQTT broker at MQTT_URL, default mqtt://127.0.0.1:1883)

_cityops_mosquitto_pid() {
  local conf=$1 pidfile=""
  [[ -f $conf ]] && pidfile=$(awk '$1 == "pid_file" { print $2; exit }' "$conf")
  if [[ -n $pidfile && -s $pidfile ]]; then
    cat "$pidfile"
  elif _cityops_have ss; then
    ss -Hltnp "sport = :$2" 2>/dev/null | sed -n 's/.*"mosquitto",pid=\([0-9]*\).*/\1/p' | head -n 1
  fi
}

ensure_mosquitto() {
  local url=${MQTT_URL:-mqtt://127.0.0.1:1883}
  _cityops_parse_url "$url" 1883 || cityops_die "MQTT_URL is not a valid URL: $url"
  local host=$_U_HOST port=$_U_PORT
  if _cityops_tcp_open "$host" "$port"; then
    cityops_log "mqtt ok ($host:$port)"
    return 0
  fi
  _cityops_is_local "$host" ||
    cityops_die "the MQTT broker at $host:$port (MQTT_URL) does not answer; it is not local, so cityops does not start it"
  _cityops_state_dirs

  if ! _cityops_have mosquitto; then
    if _cityops_is_root_debian; then
      _cityops_apt_install mosquitto
    elif _cityops_docker_ok; then
      cityops_log "starting mosquitto with docker compose"
      _cityops_compose up -d mosquitto >>"$CITYOPS_SERVICES_LOG" 2>&1 </dev/null ||
        cityops_die "docker compose up -d mosquitto failed; see $CITYOPS_SERVICES_LOG"
      _cityops_record_started docker:mosquitto
      _cityops_wait mosquitto 60 _cityops_tcp_open "$host" "$port" ||
        cityops_die "the mosquitto container did not answer on $host:$port within 60 s"
      cityops_log "mqtt ok ($host:$port, docker)"
      return 0
    else
      cityops_die "no MQTT broker answers at $host:$port: install Mosquitto 2 (Debian: mosquitto) or a Docker engine"
    fi
  fi
  # Installing the package may have started it. The packaged config is used only as root: it
  # writes its pid file under /run and its log under /var/log, then drops to user mosquitto.
  # Anyone else gets Mosquitto's built-in defaults (anonymous, loopback only) on the port.
  local conf=/etc/mosquitto/mosquitto.conf use_conf=0
  [[ -f $conf && $port == 1883 && $(id -u) == 0 ]] && use_conf=1
  if ! _cityops_tcp_open "$host" "$port"; then
    local -a args=(-d)
    if ((use_conf)); then
      args+=(-c "$conf")
      local pidfile
      pidfile=$(awk '$1 == "pid_file" { print $2; exit }' "$conf")
      if [[ -n $pidfile ]]; then
        mkdir -p "$(dirname "$pidfile")" 2>/dev/null || true
        if id mosquitto >/dev/null 2>&1; then chown mosquitto "$(dirname "$pidfile")" 2>/dev/null || true; fi
      fi
    else
      args+=(-p "$port")
    fi
    cityops_log "starting Mosquitto (port $port)"
    mosquitto "${args[@]}" >>"$CITYOPS_SERVICES_LOG" 2>&1 </dev/null ||
      cityops_die "could not start mosquitto; see $CITYOPS_SERVICES_LOG"
    _cityops_wait mosquitto 30 _cityops_tcp_open "$host" "$port" ||
      cityops_die "Mosquitto did not answer on $host:$port within 30 s; see $CITYOPS_SERVICES_LOG"
  fi
  local pid
  if ((use_conf)); then
    pid=$(_cityops_mosquitto_pid "$conf" "$port")
  else
    pid=$(_cityops_mosquitto_pid "" "$port")
  fi
  [[ -n $pid ]] && _cityops_record_started "mosquitto:$pid"
  cityops_log "mqtt ok ($host:$port, started)"
}

# ---------------------------------------------------------------------------------------------
# ensure_chromium

ensure_chromium() {
  local bin=/usr/bin/chromium
  if [[ -n ${CHROMIUM_PATH:-} ]]; then
    [[ -x $CHROMIUM_PATH ]] || cityops_die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable"
    bin=$CHROMIUM_PATH
  elif [[ ! -x $bin ]]; then
    if _cityops_is_root_debian; then
      _cityops_apt_install chromium
      [[ -x $bin ]] || cityops_die "the chromium package did not install $bin (on Ubuntu it is a snap; install Chromium some other way and set CHROMIUM_PATH)"
    else
      cityops_die "the browser tests need Chromium at $bin" \
        "Install it (Debian: sudo apt-get install chromium), or set CHROMIUM_PATH to a Chromium/Chrome binary."
    fi
  fi
  local version=""
  if [[ $bin == /usr/bin/chromium ]] && _cityops_have dpkg-query; then
    version=$(dpkg-query -W -f='${Version}' chromium 2>/dev/null) || true
  fi
  cityops_log "chromium ok ($bin${version:+, package $version})"
  # The wall speaks Chinese: without a CJK font the screenshots the browser tests take show boxes.
  if _cityops_have fc-list && [[ -z $(fc-list :lang=zh family 2>/dev/null | head -n 1) ]]; then
    if _cityops_is_root_debian; then
      _cityops_apt_install fonts-noto-cjk
    else
      cityops_warn "no Chinese font found: screenshots will show boxes (Debian: sudo apt-get install fonts-noto-cjk)"
    fi
  fi
}

# ---------------------------------------------------------------------------------------------
# cityops_build: npm run build (tsc for the server, vite for the web app)

cityops_build() {
  _cityops_state_dirs
  local log="$CITYOPS_LOG_DIR/build.log" start=$SECONDS
  cityops_log "building (npm run build; log: ${log#"$CITYOPS_ROOT"/})"
  if ! (cd "$CITYOPS_ROOT" && npm run build) >"$log" 2>&1 </dev/null; then
    tail -n 80 "$log" >&2 || true
    cityops_die "npm run build failed (last lines above; full log: $log)"
  fi
  cityops_log "build ok ($((SECONDS - start))s)"
}
