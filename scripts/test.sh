#!/usr/bin/env bash
# npm test [-- jest args]: the same set-up as npm start (plus Mosquitto and Chromium), the checks
# that need no service, then jest. The tests never touch the developer's database or role: the
# jest global setup makes, as DATABASE_ADMIN_URL's superuser, a role and databases of the run's
# own on DATABASE_URL's server, and drops them at the end. Services this run starts stay up
# afterwards, for the next run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

load_env
export NODE_ENV=test
# A lock that `npm ci` refuses fails here, on every machine, not just on a fresh clone.
check_lock
ensure_deps
ensure_services
# The MQTT ingest tests need a broker (MQTT_URL, or mqtt://127.0.0.1:1883 when unset).
ensure_mosquitto
ensure_chromium
# The OGC API test reads a collection with GDAL's ogrinfo.
ensure_gdal
# The browser tests need the built web app.
cityops_build
# Types (web app and tests included) and one style, checked before any test runs.
# Side by side: each is one process on one core, and in turn they took a third of a run's set-up.
# The whole lint, without `npm run lint`'s cache: a file's type-aware findings can change when only
# a file it imports changed, which a cache keyed on each file's own content does not see.
cityops_checks typecheck lint:full format:check

cityops_log "running jest --ci${*:+ $*}"
# A hung test run fails within 40 minutes instead of holding CI for its whole budget. On an idle
# 2-core machine jest takes about 13 minutes (752 s, 251 suites, three workers, browser pages in
# reduced motion); a CI machine has taken twice as long as the idle one before, which a 20-minute
# cap would kill.
exec timeout --kill-after=30 2400 npx --no -- jest --ci "$@"
