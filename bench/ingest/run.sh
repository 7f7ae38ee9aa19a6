#!/usr/bin/env bash
# bench/ingest: end-to-end committed rows/s of simulated agents streaming results over gRPC into
# the collector (embedded PostgreSQL, fresh data directory), against the baseline of `psql \copy`
# of the same rows into the same `result` table, in the same run. Target: ≥ 0.5 of COPY.
#
#   ./mvnw -B -o -q install -DskipTests     # once: the packaged collector
#   bench/ingest/run.sh                      # ROWS=4000000 AGENTS=8 BATCH=500 WINDOW=32 LIMIT_S=120 WARMUP_S=60
#
# WINDOW caps the batches a simulated agent has in flight. The real agent has no cap of its own:
# it sends every unacked batch while its stream is ready (HTTP/2 flow control), and the collector
# reads at most portwatch.ingest.stream-window (16) of them ahead of what it has stored. A window
# of 4, used before 2026-12-02, kept the collector from ever storing more than 4 batches together.
#
# Everything runs on 127.0.0.1; the data directory is deleted on exit.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../lib/collector.sh"

ROWS=${ROWS:-4000000}
AGENTS=${AGENTS:-8}
INSTANCES=${INSTANCES:-1000}
BATCH=${BATCH:-500}
WINDOW=${WINDOW:-32}
LIMIT_S=${LIMIT_S:-120}
WARMUP_S=${WARMUP_S:-60}
TARGET=0.5

SAMPLER_PID=""
cleanup() {
  if [ -n "$SAMPLER_PID" ]; then
    kill "$SAMPLER_PID" 2>/dev/null || true
    wait "$SAMPLER_PID" 2>/dev/null || true
  fi
  stop_collector
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require_build
echo "== bench/ingest on $(nproc) vCPU, load average $(cut -d' ' -f1-3 /proc/loadavg) before start"
# COLLECTOR_JAVA_OPTS: extra JVM options for the collector, e.g. a JFR recording to profile it.
start_collector ingest ${COLLECTOR_JAVA_OPTS:-}

# What the database is doing, twice a second: a cheap profile of where ingest time goes. One psql
# session repeats the query (\watch); a new psql per sample cost 2-3 % of the machine.
sample_activity() {
  exec psql -X -q -At -F' ' -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres >>"$BENCH_DIR/activity.txt" 2>/dev/null <<'SQL'
select coalesce(wait_event_type, 'CPU'), coalesce(wait_event, '-'),
    regexp_replace(left(query, 48), '\s+', ' ', 'g') from pg_stat_activity
    where state = 'active' and backend_type = 'client backend' and pid <> pg_backend_pid()
\watch 0.5
SQL
}

# load PREFIX SECONDS OUT: one run of simulated agents PREFIX-agent-1..AGENTS. The simulated
# agents stand for other hosts but share these 2 vCPU with the collector: their JVM compiles with
# C1 only (-XX:TieredStopAtLevel=1), as its C2 compiler thread took ~3 CPU-s of each timed part.
# LOAD_JAVA_OPTS replaces those options.
LOAD_JAVA_OPTS=${LOAD_JAVA_OPTS:--Xmx1g -XX:TieredStopAtLevel=1}
load() {
  # shellcheck disable=SC2086 # options, split on purpose
  "$JAVA" $LOAD_JAVA_OPTS $QUIET_SLF4J -cp "$COLLECTOR_CP" "$(dirname "${BASH_SOURCE[0]}")/IngestLoad.java" --port "$HTTP_PORT" \
    --rows "$ROWS" --agents "$AGENTS" --instances "$INSTANCES" --batch "$BATCH" --window "$WINDOW" \
    --seconds "$2" --prefix "$1" 2> >(grep -v '^SLF4J' >&2) | tee "$3"
}

# The rollup folder adds committed rows to the rollups after commit, and the alert engine
# evaluates them after commit too: a run is over when the backlog is empty and the engine has
# nothing queued (reads are exact before that, but the work is not done).
alert_queued() {
  curl -fsS "http://127.0.0.1:$HTTP_PORT/q/metrics" | awk '$1 == "portwatch_alert_queued" { printf "%d", $2 }'
}
drain_backlog() {
  local deadline=$((SECONDS + 120))
  until [ "$(pg -At -c "select count(*) from rollup_backlog")" = 0 ] && [ "$(alert_queued)" = 0 ]; do
    if [ $SECONDS -ge $deadline ]; then
      echo "the rollup backlog or the alert queue did not drain within 120 s" >&2
      exit 1
    fi
    sleep 0.1
  done
}

# A JVM compiles its hot paths in its first tens of seconds (C2 took ~16 CPU-s of a 40-s run):
# warm the collector up with other agents first, as a running collector is; not timed. The
# warm-up sends as many rows as the timed part (or stops at WARMUP_S), so that it also leaves as
# much WAL behind: PostgreSQL recycles those segments after the checkpoint below, as it does for
# the COPY baseline later, instead of creating and zero-filling new ones during the timed part
# only. Its raw results are then removed, so the timed part, like the baseline, starts on an
# empty result table (its rollups, check rows and alert state stay, as in a running collector).
if [ "$WARMUP_S" -gt 0 ]; then
  echo "== warm-up (not timed): the same load from agents warm-agent-N, $ROWS rows or ${WARMUP_S}s"
  load warm "$WARMUP_S" "$BENCH_DIR/warmup.txt" | grep '^RESULT' | sed 's/^/  warm-up /'
  drain_backlog
  pg -c "truncate result"
fi

pg -c "checkpoint"
read -r busy0 total0 <<<"$(machine_jiffies)"
jvm0=$(cpu_seconds "$COLLECTOR_PID")
jit0=$(jit_cpu_seconds "$COLLECTOR_PID")
pg0=$(postgres_cpu_seconds)
commits() { pg -At -c "select xact_commit from pg_stat_database where datname = current_database()"; }
commits0=$(commits)
sample_activity &
SAMPLER_PID=$!

echo "== gRPC: $AGENTS agents x $INSTANCES instances, batches of $BATCH, <= $WINDOW unacked per stream, $ROWS rows," \
  "limit ${LIMIT_S}s"
load bench "$LIMIT_S" "$BENCH_DIR/load.txt"
t_acked=$(now)
drain_backlog
drain_s=$(awk -v a="$t_acked" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
kill "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""
read -r busy1 total1 <<<"$(machine_jiffies)"
jvm1=$(cpu_seconds "$COLLECTOR_PID")
jit1=$(jit_cpu_seconds "$COLLECTOR_PID")
pg1=$(postgres_cpu_seconds)
commits1=$(commits)

result=$(grep '^RESULT ' "$BENCH_DIR/load.txt")
grpc_rows=$(sed 's/.*rows=\([0-9]*\).*/\1/' <<<"$result")
grpc_s=$(sed 's/.*seconds=\([0-9.]*\).*/\1/' <<<"$result")
BENCH_CHECKS="select id from check_instance where agent_id like 'bench-agent-%'"
stored=$(pg -At -c "select count(*) from result where check_id in ($BENCH_CHECKS)")
if [ "$stored" != "$grpc_rows" ]; then
  echo "MISMATCH: $grpc_rows rows acked but $stored in the result table" >&2
  exit 1
fi
read -r hourly daily <<<"$(pg -At -F' ' -c "select
    (select coalesce(sum(samples), 0) from rollup_hourly where check_id in ($BENCH_CHECKS)),
    (select coalesce(sum(samples), 0) from rollup_daily where check_id in ($BENCH_CHECKS))")"
if [ "$hourly" != "$grpc_rows" ] || [ "$daily" != "$grpc_rows" ]; then
  echo "MISMATCH: $grpc_rows rows acked but the rollups hold $hourly (hourly) and $daily (daily) samples" >&2
  exit 1
fi
acked_rate=$(awk -v r="$grpc_rows" -v s="$grpc_s" 'BEGIN { printf "%.0f", r / s }')
# The rate judged: rows over the time until the last ack plus the time the backlog and the alert
# queue took to drain after it (which also counts the load generator's exit: slightly pessimistic).
grpc_rate=$(awk -v r="$grpc_rows" -v s="$grpc_s" -v d="$drain_s" 'BEGIN { printf "%.0f", r / (s + d) }')
echo "gRPC: $grpc_rows rows acked and counted in result (select count(*)) in ${grpc_s}s = $acked_rate rows/s;" \
  "rollups held all of them (sum of samples, hourly and daily) and the alert engine had nothing queued" \
  "${drain_s}s after the last ack: $grpc_rate rows/s"
pg -At -F' ' -c "select 'tables after gRPC:', (select count(*) from rollup_hourly) || ' hourly rollups,',
    (select count(*) from rollup_daily) || ' daily rollups,', (select count(*) from incident) || ' incidents,',
    (select count(*) from ingested_batch where agent_id like 'bench-%') || ' batches in the ledger, stored by',
    -- Batches stored together in one transaction share their received_at.
    (select count(distinct (agent_id, received_at)) from ingested_batch where agent_id like 'bench-%')
      || ' transactions, partitions:',
    (select string_agg(distinct tableoid::regclass::text, ' ') from result)"
# Every transaction of the timed part (ingest, alert evaluation, folds, reads; as counted by the
# statistics, which a backend reports within about a second).
echo "PostgreSQL committed $((commits1 - commits0)) transactions in the timed part (pg_stat_database.xact_commit)"

echo "== where the gRPC time went (CPU seconds during the run; 2 vCPU = 2 s per second of wall time)"
awk -v s="$grpc_s" -v r="$grpc_rows" -v j0="$jvm0" -v j1="$jvm1" -v p0="$pg0" -v p1="$pg1" -v c0="$jit0" -v c1="$jit1" \
    -v b0="$busy0" -v b1="$busy1" -v t0="$total0" -v t1="$total1" -v n="$(nproc)" 'BEGIN {
  machine = (b1 - b0) / (t1 - t0) * n * s
  rest = machine - (j1 - j0) - (p1 - p0)
  # PostgreSQL counts exited backends as a whole when reaped: the split is approximate.
  printf "  collector JVM %.1f s (its JIT compiler threads %.1f s), PostgreSQL %.1f s, everything else (load generator," \
    " other jobs) ~%.1f s; machine busy %.0f%%\n", j1 - j0, c1 - c0, p1 - p0, (rest > 0 ? rest : 0), (b1 - b0) / (t1 - t0) * 100
  printf "  per row: PostgreSQL %.1f µs, collector JVM %.1f µs (of which JIT %.1f µs)\n", (p1 - p0) / r * 1e6, (j1 - j0) / r * 1e6,
    (c1 - c0) / r * 1e6
}'
echo "  active PostgreSQL sessions sampled every 0.5 s (wait event, statement), most frequent first:"
grep -v '^$' "$BENCH_DIR/activity.txt" | sort | uniq -c | sort -rn | head -12 | sed 's/^/    /'

echo "== baseline: psql \\copy of the same $grpc_rows rows into the same (emptied) result table"
pg -c "\\copy (select id, check_id, observed_at, state, reason, healthy, address, latency_micros, detail
  from result where check_id in ($BENCH_CHECKS) order by id) to '$BENCH_DIR/rows.tsv'"
pg -c "truncate result" -c "checkpoint"
read -r busy0 total0 <<<"$(machine_jiffies)"
pg0=$(postgres_cpu_seconds)
t0=$(now)
# The COPY's own backend reads its CPU time from /proc/self/stat right after the COPY, in the same
# session (counting the exited backend through the postmaster missed it).
backend_stat=$(pg -At <<SQL
\\copy result (id, check_id, observed_at, state, reason, healthy, address, latency_micros, detail) from '$BENCH_DIR/rows.tsv'
select pg_read_file('/proc/self/stat');
SQL
)
t1=$(now)
backend_s=$(tail -1 <<<"$backend_stat" | sed 's/^.*) //' | awk -v hz="$(getconf CLK_TCK)" '{ print ($12 + $13) / hz }')
read -r busy1 total1 <<<"$(machine_jiffies)"
pg1=$(postgres_cpu_seconds)
copied=$(pg -At -c "select count(*) from result")
copy_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
copy_rate=$(awk -v r="$copied" -v s="$copy_s" 'BEGIN { printf "%.0f", r / s }')
echo "COPY: $copied rows in ${copy_s}s = $copy_rate rows/s (machine busy $(awk -v b0="$busy0" -v b1="$busy1" -v t0="$total0" -v t1="$total1" \
  'BEGIN { printf "%.0f", (b1 - b0) / (t1 - t0) * 100 }')%, its PostgreSQL backend $(awk -v b="$backend_s" -v r="$copied" \
  'BEGIN { printf "%.1f CPU-s = %.1f µs per row", b, b / r * 1e6 }'), all PostgreSQL processes counted through the postmaster $(awk -v a="$pg0" -v b="$pg1" -v r="$copied" \
  'BEGIN { printf "%.1f CPU-s", b - a }'))"
rm -f "$BENCH_DIR/rows.tsv"

echo "== result"
awk -v g="$grpc_rate" -v c="$copy_rate" -v t="$TARGET" 'BEGIN {
  r = g / c
  printf "baseline psql \\copy: %d rows/s\n", c
  printf "collector gRPC ingest: %d rows/s (results, current state and incidents at commit; hourly/daily rollups folded by the end)\n", g
  printf "ratio: %.2f of COPY (target >= %.1f): %s\n", r, t, (r >= t ? "MET" : "MISSED")
}'
