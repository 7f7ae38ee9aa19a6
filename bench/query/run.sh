#!/usr/bin/env bash
# bench/query: p50/p99 of GET /api/v1/checks/{id}/uptime?window=30d (target < 10 ms) and of
# GET /api/v1/checks?limit=10000 (target < 100 ms) on a collector whose embedded PostgreSQL holds
# 30 days of 1-minute results for 2,000 check instances (86.4M rows), generated in SQL, with the
# hourly and daily rollups summed from those rows, and 10,000 check instances in all.
#
#   ./mvnw -B -o -q install -DskipTests      # once: the packaged collector
#   bench/query/run.sh                        # CHECKS=2000 DAYS=30 INSTANCES=10000 PARALLEL=2
#
# Generation is budgeted (GEN_BUDGET_S=900): a one-hour sample is timed first and, when the
# whole would not fit, CHECKS is scaled down and the run says so (SCALE=off keeps CHECKS).
# Everything runs on 127.0.0.1; the data directory is deleted on exit, unless KEEP_DATA=DIR names
# a directory to keep it in: the first run generates into DIR, later runs with the same DIR skip
# generation and measure the kept data (the collector then runs the current build on it).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../lib/collector.sh"

CHECKS=${CHECKS:-2000}
DAYS=${DAYS:-30}
INSTANCES=${INSTANCES:-10000}
PARALLEL=${PARALLEL:-2}
GEN_BUDGET_S=${GEN_BUDGET_S:-900}
SCALE=${SCALE:-auto}
# The JIT needs about 5,000 uptime requests before it stops competing with them: after 1,000, the
# C2 compiler thread still took 25-37 % of the machine during the timed requests (JFR), and the
# collector's CPU per request was 3.8-5.7 ms instead of 1.6. The JIT line of the output says how
# much of the JVM's CPU its compilers still took.
WARMUP=${WARMUP:-5000}
# And about 300 lists: after 30, C2 still used a quarter of the machine during the timed lists.
LIST_WARMUP=${LIST_WARMUP:-300}
REQUESTS=${REQUESTS:-200}
KEEP_DATA=${KEEP_DATA:-}
COLLECTOR_JAVA_OPTS=${COLLECTOR_JAVA_OPTS:-}
# Latencies of answered probes (µs), one picked per result by a hash; their histogram buckets
# come from the collector's LatencyHistogram.bucketOf.
LATENCIES=(180 180 250 250 350 350 350 500 500 700 900 1200 2500 5000 12000 40000)

cleanup() {
  # day.sql sessions still running (an interrupted run) end with the server anyway
  local jobs
  jobs=$(jobs -p)
  [ -z "$jobs" ] || kill $jobs 2>/dev/null || true
  stop_collector
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export PGTZ=UTC

require_build
echo "== bench/query on $(nproc) vCPU, load average $(cut -d' ' -f1-3 /proc/loadavg) before start"
REUSE=""
if [ -n "$KEEP_DATA" ]; then
  mkdir -p "$KEEP_DATA"
  KEEP_DATA=$(cd "$KEEP_DATA" && pwd)
  [ -f "$KEEP_DATA/bench.env" ] && REUSE=1
  BENCH_DATA_DIR=$KEEP_DATA/postgres
fi
# e.g. COLLECTOR_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/q.jfr,settings=profile"
# shellcheck disable=SC2086
start_collector query ${COLLECTOR_JAVA_OPTS:-}

"$JAVA" -cp "$COLLECTOR_CP" "$HERE/QueryBench.java" sql-buckets "${LATENCIES[@]}" >"$BENCH_DIR/buckets.sql"
mapfile -t fragments <"$BENCH_DIR/buckets.sql"
BUCKET_CASE=${fragments[0]}
HIST_ARRAY=${fragments[1]}
LATENCY_ARRAY="{$(IFS=,; echo "${LATENCIES[*]}")}"

END=$(date -u +%Y-%m-%dT%H:%M:00Z)
START=$(date -u -d "$END - $DAYS days" +%Y-%m-%dT%H:%M:00Z)

if [ -n "$REUSE" ]; then
  # shellcheck source=/dev/null
  source "$KEEP_DATA/bench.env" # CHECKS DAYS INSTANCES START END ROWS of the kept data
  echo "== reusing the data generated in $KEEP_DATA: $CHECKS check instances x $DAYS days, [$START, $END)"
elif [ "$SCALE" = auto ]; then
  # One hour of rows, inserted as day.sql does. A whole day also pays for the richer columns,
  # the index, the rollups and the attach: measured here (2 sessions, 2 shared vCPUs), 30 days
  # took 2.4 times 720 such hours; one session alone would take about 1.5 times longer.
  t0=$(now)
  pg -c "create table bench_sample (like result including defaults)" -c "insert into bench_sample (check_id,
      observed_at, state, reason, healthy, address, latency_micros)
      select c, t, 'OPEN', 'connected', true, '10.0.0.' || c % 250, ('$LATENCY_ARRAY'::bigint[])[1 + (hashint8(c) & 15)]
      from generate_series(timestamptz '$START', timestamptz '$START' + interval '59 minutes', interval '1 minute') t
      cross join generate_series(1, $CHECKS) c" -c "drop table bench_sample"
  t1=$(now)
  estimate=$(awk -v a="$t0" -v b="$t1" -v d="$DAYS" -v p="$PARALLEL" \
    'BEGIN { printf "%.0f", (b - a) * 24 * d * 2.4 * (p > 1 ? 1 : 1.5) }')
  echo "generation estimate for $CHECKS checks x $DAYS days: ${estimate}s (budget ${GEN_BUDGET_S}s)"
  if [ "$estimate" -gt "$GEN_BUDGET_S" ]; then
    scaled=$(awk -v c="$CHECKS" -v e="$estimate" -v b="$GEN_BUDGET_S" \
      'BEGIN { s = int(c * b / e / 100) * 100; print (s < 100 ? 100 : s) }')
    echo "SCALED DOWN: CHECKS $CHECKS -> $scaled to fit the generation budget on this machine"
    CHECKS=$scaled
  fi
fi
if [ -z "$REUSE" ]; then
  ROWS=$((CHECKS * DAYS * 1440))
  echo "== generating $ROWS results: $CHECKS check instances x $DAYS days x 1 per minute, [$START, $END);" \
    "$INSTANCES check instances in all; $PARALLEL psql sessions"
  gen_start=$(now)
  pg -v checks="$CHECKS" -v instances="$INSTANCES" -v start="$START" -v end="$END" -f "$HERE/setup.sql"

  gen_day() { # YYYY-MM-DD
    local day=$1 lo hi t0
    lo=$(date -u -d "$day" +%s)
    hi=$((lo + 86400))
    [ "$lo" -lt "$(date -u -d "$START" +%s)" ] && lo=$(date -u -d "$START" +%s)
    [ "$hi" -gt "$(date -u -d "$END" +%s)" ] && hi=$(date -u -d "$END" +%s)
    t0=$(now)
    pg -v part="result_p$(date -u -d "$day" +%Y%m%d)" -v day="$day 00:00:00+00" \
      -v next="$(date -u -d "$day + 1 day" +%F) 00:00:00+00" -v lo="$(date -u -d "@$lo" +%FT%TZ)" \
      -v hi="$(date -u -d "@$hi" +%FT%TZ)" -v latencies="$LATENCY_ARRAY" -v bucket_case="$BUCKET_CASE" \
      -v hist_array="$HIST_ARRAY" -f "$HERE/day.sql"
    echo "  $day: $(((hi - lo) / 60 * CHECKS)) rows + rollups in $(awk -v a="$t0" -v b="$(now)" \
      'BEGIN { printf "%.0f", b - a }')s"
  }

  day=$(date -u -d "$START" +%F)
  last=$(date -u -d "$END - 1 minute" +%F)
  running=0
  while [[ "$day" < "$last" || "$day" == "$last" ]]; do
    gen_day "$day" &
    running=$((running + 1))
    if [ "$running" -ge "$PARALLEL" ]; then
      wait -n
      running=$((running - 1))
    fi
    day=$(date -u -d "$day + 1 day" +%F)
  done
  while [ "$running" -gt 0 ]; do
    wait -n
    running=$((running - 1))
  done
  pg -v start="$START" -v end="$END" -f "$HERE/finish.sql"
  pg -c "checkpoint"
  gen_s=$(awk -v a="$gen_start" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')
  echo "generated in ${gen_s}s"
  if [ -n "$KEEP_DATA" ]; then
    printf 'CHECKS=%s\nDAYS=%s\nINSTANCES=%s\nSTART=%s\nEND=%s\nROWS=%s\n' "$CHECKS" "$DAYS" "$INSTANCES" \
      "$START" "$END" "$ROWS" >"$KEEP_DATA/bench.env"
  fi
fi

# What the requests run on: raw results may have aged out of retention since a kept data set was made.
pg -At -F' ' -c "select 'database:', (select count(*) from result) || ' results,',
    (select count(*) from rollup_hourly) || ' hourly and', (select count(*) from rollup_daily) || ' daily rollups,',
    (select count(*) from incident) || ' incidents,', (select count(*) from check_instance) || ' check instances;',
    pg_size_pretty(pg_database_size(current_database())) || ' on disk'" | tee "$BENCH_DIR/size.txt"
echo "== measuring over loopback HTTP (sequential requests), uptime: $(uptime)"
"$JAVA" $QUIET_SLF4J -cp "$COLLECTOR_CP" "$HERE/QueryBench.java" measure --port "$HTTP_PORT" --pg-port "$PG_PORT" \
  --checks "$CHECKS" --instances "$INSTANCES" --warmup "$WARMUP" --list-warmup "$LIST_WARMUP" --requests "$REQUESTS" \
  --collector-pid "$COLLECTOR_PID" --postgres-pid "$(head -1 "${BENCH_DATA_DIR:-$BENCH_DIR/postgres}/postmaster.pid")" \
  2> >(grep -v '^SLF4J' >&2)
echo "uptime after measuring: $(uptime)"
echo "$(cat "$BENCH_DIR/size.txt")"
echo "data: $CHECKS check instances x $DAYS days of 1-minute results ($ROWS rows)$( [ "$CHECKS" -ne 2000 ] || [ "$DAYS" -ne 30 ] && echo \
  ", less than the full 2000 x 30 days")"
