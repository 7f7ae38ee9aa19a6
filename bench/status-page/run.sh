#!/usr/bin/env bash
# bench/status-page: the status page's first paint with 10,000 check instances (target < 1 s):
# the packaged collector on its embedded PostgreSQL, seeded in SQL with INSTANCES check instances
# over AGENTS agents, 90 days of daily rollups each and an incident every 9 days; then the page's
# server time (sequential GET /) and Chromium's first-contentful-paint and DOMContentLoaded
# (Performance API), each against the page with a filter that matches nothing (its fixed cost).
# A benchmark, not a test: run it on a quiet machine.
#
#   ./mvnw -B -o -q -pl collector -am package -DskipTests   # once: the packaged collector
#   bench/status-page/run.sh                                 # INSTANCES=10000 AGENTS=10
#
# Needs psql, chromium and chromedriver (Debian: postgresql-client chromium chromium-driver); the
# browser is driven by Selenium from the local Maven repository (the collector's test classpath),
# with the system chromedriver: nothing is downloaded. SCREENSHOT=FILE saves a PNG of the page.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../lib/collector.sh"

INSTANCES=${INSTANCES:-10000}
AGENTS=${AGENTS:-10}
WARMUP=${WARMUP:-200}
REQUESTS=${REQUESTS:-50}
LOADS=${LOADS:-10}
MAX_LOAD=${MAX_LOAD:-1.5}

load=$(cut -d' ' -f1 /proc/loadavg)
echo "== bench/status-page on $(nproc) vCPU, load average $(cut -d' ' -f1-3 /proc/loadavg) before start"
if awk -v l="$load" -v m="$MAX_LOAD" 'BEGIN { exit !(l > m) }'; then
  echo "load average $load is above $MAX_LOAD: the machine is busy, a first paint measured now says nothing." >&2
  echo "Run again when it is quiet (or MAX_LOAD=... to measure anyway, and do not judge the number)." >&2
  exit 2
fi
command -v chromedriver >/dev/null || [ -x /usr/bin/chromedriver ] || { echo "chromedriver is needed (apt-get install chromium chromium-driver)" >&2; exit 1; }

trap stop_collector EXIT
trap 'exit 130' INT TERM
export PGTZ=UTC
require_build

# Selenium and its dependencies, as the collector's tests resolve them (offline once downloaded).
SELENIUM_CP_FILE=$(mktemp /tmp/portwatch-bench-selenium-cp.XXXXXX)
(cd "$BENCH_ROOT" && ./mvnw -B -q -o -pl collector dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$SELENIUM_CP_FILE" >/dev/null)
SELENIUM_CP=$(cat "$SELENIUM_CP_FILE")
rm -f "$SELENIUM_CP_FILE"

start_collector status-page
t0=$(now)
pg -v instances="$INSTANCES" -v agents="$AGENTS" -f "$HERE/setup.sql"
echo "seeded in $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')s: $(pg -At -F' ' -c "select
    (select count(*) from check_instance) || ' check instances,', (select count(*) from rollup_daily) || ' daily rollups,',
    (select count(*) from incident) || ' incidents'")"

echo "== measuring over loopback, uptime: $(uptime)"
"$JAVA" $QUIET_SLF4J ${SCREENSHOT:+-Dscreenshot="$SCREENSHOT"} -cp "$SELENIUM_CP" "$HERE/StatusPageBench.java" \
  "http://127.0.0.1:$HTTP_PORT" "$WARMUP" "$REQUESTS" "$LOADS" 2> >(grep -v '^SLF4J' >&2)
echo "uptime after measuring: $(uptime)"
