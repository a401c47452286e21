#!/usr/bin/env bash
# Debian/Ubuntu as root: install with apt and start what cityops needs on this machine. The set-up
# (scripts/lib.sh) runs it when a service does not answer and there is no Docker engine; a person
# can run it too, with the URLs of .env (or of the environment, which wins):
#
#   sudo scripts/provision-debian.sh [postgres] [redis] [mosquitto] [chromium] [cjk-font] [gdal]
#   sudo scripts/provision-debian.sh stop ENTRY...     (entries of .cityops/started-services)
#
#   postgres   PostgreSQL + PostGIS at DATABASE_URL's port: installs postgresql and
#              postgresql-<major>-postgis-3, creates a cluster on that port when there is none,
#              starts it; on a cluster it created itself (.cityops/pg-clusters-created) it also
#              lets the set-up's superuser (DATABASE_ADMIN_URL, default postgres) log in. Other
#              clusters' authentication is never changed. (The application's own role, DATABASE_URL's
#              user, is made later by `cli.js prepare`, with its password.)
#   redis      redis-server on REDIS_URL's port, keeping nothing on disk
#   mosquitto  Mosquitto on MQTT_URL's port (default 1883)
#   chromium   /usr/bin/chromium for the browser tests; cjk-font: fonts-noto-cjk for their screenshots
#   gdal       gdal-bin (ogrinfo, ogr2ogr): the OGC API test reads our collections with it
#
# A service that already answers is left alone. What this starts is appended to
# .cityops/started-services (`stop` stops such entries); apt's output goes to .cityops/apt.log.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

APT_LOG="$CITYOPS_STATE_DIR/apt.log"
# PostgreSQL clusters cityops installed or created ("<version> <name>" per line): only for these
# does it change authentication so that DATABASE_ADMIN_URL can log in.
PG_OURS_FILE="$CITYOPS_STATE_DIR/pg-clusters-created"

# ---------------------------------------------------------------------------------------------
# apt

apt_install() {
  _cityops_state_dirs
  # One `apt-get update` per run of npm start / npm test, however often this script is called.
  local stamp="$CITYOPS_STATE_DIR/apt-updated"
  if [[ ! -f $stamp || $(<"$stamp") != "$CITYOPS_RUN_ID" ]]; then
    cityops_log "apt-get update (log: ${APT_LOG#"$CITYOPS_ROOT"/})"
    if ! apt-get -o DPkg::Lock::Timeout=120 update >>"$APT_LOG" 2>&1 </dev/null; then
      tail -n 15 "$APT_LOG" >&2 || true
      cityops_die "apt-get update failed; full log: $APT_LOG"
    fi
    printf '%s\n' "$CITYOPS_RUN_ID" >"$stamp"
  fi
  cityops_log "installing $* with apt-get (log: ${APT_LOG#"$CITYOPS_ROOT"/})"
  if ! DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 install -y "$@" \
    >>"$APT_LOG" 2>&1 </dev/null; then
    tail -n 15 "$APT_LOG" >&2 || true
    cityops_die "apt-get install $* failed; full log: $APT_LOG"
  fi
}

# ---------------------------------------------------------------------------------------------
# postgres

as_postgres() {
  if _cityops_have runuser; then
    runuser -u postgres -- "$@"
  else
    su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
  fi
}

pg_is_ours() {
  [[ -f $PG_OURS_FILE ]] && grep -qx "$1 $2" "$PG_OURS_FILE"
}

pg_mark_ours() {
  pg_is_ours "$1" "$2" && return 0
  printf '%s %s\n' "$1" "$2" >>"$PG_OURS_FILE"
}

# Highest PostgreSQL major version whose server binaries are installed (Debian layout).
pg_installed_version() {
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
pg_cluster_on_port() {
  _cityops_have pg_lsclusters || return 0
  pg_lsclusters -h 2>/dev/null | awk -v p="$1" '$3 == p { print $1, $2, $4; exit }'
}

# Let the user of DATABASE_ADMIN_URL log in over TCP to a local cluster cityops created: create the
# role (superuser: `prepare` creates the application's role and the postgis extension with it) and either set the URL's password
# (only on a role without one) or, for a password-less URL, trust that user from 127.0.0.1 and
# ::1 in pg_hba.conf.
pg_fix_auth() {
  local ver=$1 name=$2 port=$3 user=${_PG_USER:-postgres} pass=$_PG_PASS
  local quser="\"${user//\"/\"\"}\"" lit_user="'${user//\'/\'\'}'" lit_pass="'${pass//\'/\'\'}'"
  local -a psql_su=(psql -X -q -t -A -v ON_ERROR_STOP=1 -p "$port" -d postgres)
  local exists
  exists=$(as_postgres "${psql_su[@]}" -c "SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = $lit_user" 2>>"$CITYOPS_SERVICES_LOG") || return 1
  if [[ -z $exists ]]; then
    cityops_log "postgres: creating role $user on cluster $ver/$name"
    as_postgres "${psql_su[@]}" -c "CREATE ROLE $quser LOGIN SUPERUSER" >>"$CITYOPS_SERVICES_LOG" 2>&1 || return 1
    exists=f
  fi
  if [[ -n $pass ]]; then
    [[ $exists == f ]] || return 1
    cityops_log "postgres: setting the password of role $user from DATABASE_ADMIN_URL (cluster $ver/$name)"
    as_postgres "${psql_su[@]}" -c "ALTER ROLE $quser WITH LOGIN PASSWORD $lit_pass" >>"$CITYOPS_SERVICES_LOG" 2>&1 || return 1
  else
    local hba
    hba=$(as_postgres "${psql_su[@]}" -c 'SHOW hba_file' 2>>"$CITYOPS_SERVICES_LOG") || return 1
    [[ -f $hba ]] || return 1
    if ! grep -q '# added by cityops' "$hba"; then
      cityops_log "postgres: trusting local TCP logins of $user in $hba (cluster created by cityops)"
      local tmp="$hba.cityops.$$"
      {
        printf '# added by cityops (scripts/provision-debian.sh): password-less local access for DATABASE_ADMIN_URL\n'
        printf 'host all %s 127.0.0.1/32 trust\nhost all %s ::1/128 trust\n' "$quser" "$quser"
        cat "$hba"
      } >"$tmp" && cat "$tmp" >"$hba" && rm -f "$tmp"
    fi
    as_postgres "${psql_su[@]}" -c 'SELECT pg_reload_conf()' >>"$CITYOPS_SERVICES_LOG" 2>&1 || return 1
    # The reload is asynchronous: wait until the new rules let the URL in.
    _cityops_wait "PostgreSQL to reload pg_hba.conf" 10 pg_logs_in || true
  fi
}

pg_logs_in() {
  _cityops_pg_check
  [[ $_PG_STATE == ok || $_PG_STATE == nopostgis ]]
}

# Start (creating it first if there is none) the local cluster for port $1. Sets PG_CLUSTER and
# PG_START_METHOD (already | pg_ctlcluster | service).
pg_local_start() {
  local port=$1 ver name status line
  line=$(pg_cluster_on_port "$port")
  if [[ -n $line ]]; then
    read -r ver name status <<<"$line"
  else
    ver=$(pg_installed_version)
    [[ -n $ver ]] || cityops_die "no PostgreSQL server is installed"
    _cityops_have pg_createcluster || cityops_die "pg_createcluster (postgresql-common) is missing"
    name=main
    [[ ! -d /etc/postgresql/$ver/main ]] || name=cityops
    cityops_log "creating PostgreSQL cluster $ver/$name on port $port"
    # Marked first, so that a cluster whose creation a Ctrl-C cut short is still known as ours.
    pg_mark_ours "$ver" "$name"
    if ! pg_createcluster "$ver" "$name" -p "$port" >>"$CITYOPS_SERVICES_LOG" 2>&1 </dev/null; then
      cityops_die "pg_createcluster $ver $name failed; see $CITYOPS_SERVICES_LOG"
    fi
    status=down
  fi
  PG_CLUSTER="$ver:$name"
  PG_START_METHOD=""
  if [[ $status == online* ]]; then
    PG_START_METHOD=already
    return 0
  fi
  cityops_log "starting PostgreSQL $ver/$name (port $port)"
  # Listed before the start, which takes seconds: a Ctrl-C meanwhile leaves the server running
  # (pg_ctl detaches it), and the run's clean-up then stops it.
  _cityops_record_started "postgres:$PG_CLUSTER"
  if pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start >>"$CITYOPS_SERVICES_LOG" 2>&1 </dev/null; then
    PG_START_METHOD=pg_ctlcluster
  elif _cityops_have service && service postgresql start >>"$CITYOPS_SERVICES_LOG" 2>&1 </dev/null; then
    _cityops_record_started "postgres-service:$PG_CLUSTER"
    PG_START_METHOD=service
  else
    tail -n 15 "$CITYOPS_SERVICES_LOG" >&2 || true
    cityops_die "could not start PostgreSQL $ver/$name; see $CITYOPS_SERVICES_LOG and /var/log/postgresql/"
  fi
}

provision_postgres() {
  _cityops_pg_check
  [[ $_PG_STATE != ok ]] || return 0
  _cityops_is_local "$_PG_HOST" || cityops_die "DATABASE_URL points at $_PG_HOST, not this machine: nothing to provision here"
  local installed_now=0 ver name line
  PG_CLUSTER="" PG_START_METHOD=""

  if [[ $_PG_STATE == down ]]; then
    if [[ -z $(pg_installed_version) ]]; then
      apt_install postgresql
      installed_now=1
      # The package creates (and may start) a cluster: it is ours.
      line=$(pg_cluster_on_port "$_PG_PORT")
      if [[ -n $line ]]; then
        read -r ver name _ <<<"$line"
        pg_mark_ours "$ver" "$name"
      fi
    fi
    pg_local_start "$_PG_PORT"
    # Installing the package started it: its init system did, so it is stopped the same way.
    if [[ $PG_START_METHOD == already ]] && ((installed_now)); then
      if [[ -d /run/systemd/system ]]; then
        _cityops_record_started "postgres-service:$PG_CLUSTER"
      else
        _cityops_record_started "postgres:$PG_CLUSTER"
      fi
    fi
    _cityops_wait postgres "$CITYOPS_SERVICE_WAIT_SECONDS" _cityops_pg_answers ||
      cityops_die "PostgreSQL did not accept connections at $_PG_HOST:$_PG_PORT within ${CITYOPS_SERVICE_WAIT_SECONDS}s" \
        "See $CITYOPS_SERVICES_LOG and /var/log/postgresql/"
    _cityops_pg_check
  else
    line=$(pg_cluster_on_port "$_PG_PORT")
    [[ -z $line ]] || PG_CLUSTER="$(awk '{print $1 ":" $2}' <<<"$line")"
  fi

  if [[ $_PG_STATE == error && -n $PG_CLUSTER ]]; then
    ver=${PG_CLUSTER%%:*} name=${PG_CLUSTER#*:}
    if [[ $_PG_ERROR =~ (authentication|password|pg_hba|does not exist) ]] && pg_is_ours "$ver" "$name"; then
      if pg_fix_auth "$ver" "$name" "$_PG_PORT"; then
        _cityops_pg_check
      else
        cityops_warn "could not set up the login of DATABASE_ADMIN_URL on cluster $ver/$name (see $CITYOPS_SERVICES_LOG)"
      fi
    fi
  fi
  [[ $_PG_STATE != error ]] || _cityops_pg_auth_hint

  if [[ $_PG_STATE == nopostgis ]]; then
    local major=${_PG_MAJOR:-${PG_CLUSTER%%:*}}
    [[ -n $major ]] || major=$(pg_installed_version)
    local pkg="postgresql-$major-postgis-3"
    if [[ -f /usr/share/postgresql/$major/extension/postgis.control ]]; then
      cityops_die "PostGIS files exist for PostgreSQL $major but the server does not list postgis" \
        "Check that the server at $_PG_HOST:$_PG_PORT is PostgreSQL $major from /usr/lib/postgresql/$major."
    fi
    apt_install "$pkg"
    _cityops_pg_check
    [[ $_PG_STATE == ok ]] || cityops_die "PostGIS is still not available after installing $pkg ($_PG_STATE ${_PG_ERROR:-})"
  fi
  [[ $_PG_STATE == ok ]] || cityops_die "PostgreSQL is not usable at $_PG_HOST:$_PG_PORT ($_PG_STATE ${_PG_ERROR:-})"
}

# ---------------------------------------------------------------------------------------------
# redis

provision_redis() {
  _cityops_redis_ping && return 0
  _cityops_is_local "$_REDIS_HOST" || cityops_die "REDIS_URL points at $_REDIS_HOST, not this machine: nothing to provision here"
  _cityops_have redis-server || apt_install redis-server
  # (installing the package may have started it already)
  _cityops_redis_ping && return 0
  local port=$_REDIS_PORT dir=/var/lib/redis logdir=/var/log/redis major
  mkdir -p "$dir" "$logdir" 2>/dev/null || true
  [[ -w $dir ]] || dir="$CITYOPS_STATE_DIR/redis"
  [[ -w $logdir ]] || logdir="$CITYOPS_LOG_DIR"
  mkdir -p "$dir" "$logdir"
  major=$(redis-server --version 2>/dev/null | sed -n 's/.* v=\([0-9]*\)\..*/\1/p')
  local -a args=(--daemonize yes --bind 127.0.0.1)
  if [[ -n $major ]] && ((major >= 7)); then args+=(-::1); fi
  # Nothing on disk: for development, queues and short-lived state need not survive a restart.
  args+=(--port "$port" --save "" --appendonly no --dir "$dir" --logfile "$logdir/ci.log")
  [[ -z $_REDIS_PASS ]] || args+=(--requirepass "$_REDIS_PASS")
  cityops_log "starting Redis (port $port)"
  if redis-server "${args[@]}" >>"$CITYOPS_SERVICES_LOG" 2>&1 </dev/null; then
    _cityops_record_started redis
  elif _cityops_have service && service redis-server start >>"$CITYOPS_SERVICES_LOG" 2>&1 </dev/null; then
    _cityops_record_started redis-service
  else
    tail -n 15 "$CITYOPS_SERVICES_LOG" >&2 || true
    cityops_die "could not start Redis; see $CITYOPS_SERVICES_LOG and $logdir/ci.log"
  fi
  _cityops_wait redis "$CITYOPS_SERVICE_WAIT_SECONDS" _cityops_redis_ping ||
    cityops_die "Redis did not answer PING at $_REDIS_HOST:$_REDIS_PORT within ${CITYOPS_SERVICE_WAIT_SECONDS}s: $_REDIS_ERROR" \
      "See $CITYOPS_SERVICES_LOG and $logdir/ci.log"
}

# ---------------------------------------------------------------------------------------------
# mosquitto

mosquitto_pid() {
  local conf=$1 port=$2 pidfile=""
  [[ -n $conf && -f $conf ]] && pidfile=$(awk '$1 == "pid_file" { print $2; exit }' "$conf")
  if [[ -n $pidfile && -s $pidfile ]]; then
    cat "$pidfile"
  elif _cityops_have ss; then
    ss -Hltnp "sport = :$port" 2>/dev/null | sed -n 's/.*"mosquitto",pid=\([0-9]*\).*/\1/p' | head -n 1
  fi
}

provision_mosquitto() {
  _cityops_parse_url "${MQTT_URL:-mqtt://127.0.0.1:1883}" 1883 || cityops_die "MQTT_URL is not a valid URL: $MQTT_URL"
  local host=$_U_HOST port=$_U_PORT
  _cityops_tcp_open "$host" "$port" && return 0
  _cityops_is_local "$host" || cityops_die "MQTT_URL points at $host, not this machine: nothing to provision here"
  _cityops_have mosquitto || apt_install mosquitto
  # (installing the package may have started it already)
  _cityops_tcp_open "$host" "$port" && return 0
  # The packaged config writes its pid file under /run and its log under /var/log, then drops to
  # user mosquitto; it listens on 1883. On another port, Mosquitto's built-in defaults
  # (anonymous, loopback only) do.
  local conf=/etc/mosquitto/mosquitto.conf
  local -a args=(-d)
  if [[ -f $conf && $port == 1883 ]]; then
    args+=(-c "$conf")
    local pidfile
    pidfile=$(awk '$1 == "pid_file" { print $2; exit }' "$conf")
    if [[ -n $pidfile ]]; then
      mkdir -p "$(dirname "$pidfile")"
      if id mosquitto >/dev/null 2>&1; then chown mosquitto "$(dirname "$pidfile")" || true; fi
    fi
  else
    conf=""
    args+=(-p "$port")
  fi
  cityops_log "starting Mosquitto (port $port)"
  mosquitto "${args[@]}" >>"$CITYOPS_SERVICES_LOG" 2>&1 </dev/null ||
    cityops_die "could not start mosquitto; see $CITYOPS_SERVICES_LOG"
  _cityops_wait mosquitto 30 _cityops_tcp_open "$host" "$port" ||
    cityops_die "Mosquitto did not answer on $host:$port within 30 s; see $CITYOPS_SERVICES_LOG"
  local pid
  pid=$(mosquitto_pid "$conf" "$port")
  [[ -z $pid ]] || _cityops_record_started "mosquitto:$pid"
}

# ---------------------------------------------------------------------------------------------
# browser tests

provision_chromium() {
  [[ -x /usr/bin/chromium ]] && return 0
  apt_install chromium
  [[ -x /usr/bin/chromium ]] ||
    cityops_die "the chromium package did not install /usr/bin/chromium (on Ubuntu it is a snap; install Chromium some other way and set CHROMIUM_PATH)"
}

provision_cjk_font() {
  [[ -n $(fc-list :lang=zh family 2>/dev/null | head -n 1) ]] && return 0
  apt_install fonts-noto-cjk
}

provision_gdal() {
  _cityops_have ogrinfo && return 0
  apt_install gdal-bin
  _cityops_have ogrinfo || cityops_die "the gdal-bin package did not install ogrinfo"
}

# ---------------------------------------------------------------------------------------------
# stop: what an earlier call started (entries of .cityops/started-services)

stop_entries() {
  local entry rest ver name
  for entry; do
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
        ver=${rest%%:*} name=${rest#*:}
        cityops_log "stopping PostgreSQL $ver/$name (started by this run)"
        if [[ $entry == postgres:* ]]; then
          pg_ctlcluster --skip-systemctl-redirect --mode fast "$ver" "$name" stop >/dev/null 2>&1 || true
        else
          pg_ctlcluster --mode fast "$ver" "$name" stop >/dev/null 2>&1 || true
        fi
        ;;
      mosquitto:*)
        cityops_log "stopping Mosquitto (started by this run)"
        kill "${entry#mosquitto:}" 2>/dev/null || true
        ;;
      *) cityops_warn "provision-debian.sh stop: unknown entry '$entry'" ;;
    esac
  done
}

# ---------------------------------------------------------------------------------------------

main() {
  (($#)) || cityops_die "usage: scripts/provision-debian.sh [postgres] [redis] [mosquitto] [chromium] [cjk-font] [gdal] | stop ENTRY..."
  if [[ $1 == stop ]]; then
    shift
    stop_entries "$@"
    return 0
  fi
  local item
  for item; do
    case $item in
      postgres | redis | mosquitto | chromium | cjk-font | gdal) ;;
      *) cityops_die "provision-debian.sh: unknown item '$item' (postgres, redis, mosquitto, chromium, cjk-font, gdal, stop)" ;;
    esac
  done
  _cityops_is_root_debian || cityops_die "scripts/provision-debian.sh installs with apt-get: run it as root on Debian or Ubuntu"
  _cityops_state_dirs
  # Run by hand, it reads the URLs from .env like npm start does.
  [[ -n ${DATABASE_URL:-} && -n ${REDIS_URL:-} ]] || load_env
  _cityops_service_urls
  for item; do
    case $item in
      postgres) provision_postgres ;;
      redis) provision_redis ;;
      mosquitto) provision_mosquitto ;;
      chromium) provision_chromium ;;
      cjk-font) provision_cjk_font ;;
      gdal) provision_gdal ;;
    esac
  done
}

main "$@"
