#!/usr/bin/env bash
# bench/overload: the reconnect storm at a fixed collector heap. AGENTS simulated agents connect at
# once, each holding PENDING batches of BATCH results (what it spooled while the collector was
# away), and send them as the real agent does: as fast as HTTP/2 flow control lets them, with no
# window of their own. That offers the collector far more than 10x what it can store in the time
# given. For each heap in HEAPS it prints: the heap's maximum and its peak use (sampled from
# /q/metrics every second, and the largest heap after a GC from the GC log), whether the
# collector survived (no OutOfMemoryError in its log, still answering /q/health), the results
# acked to the agents against those stored in PostgreSQL (every acked batch must be stored; every
# stored batch's results exactly once: duplicates by (check, observed time)), and the load
# average at the start.
#
#   ./mvnw -B -o -q package -DskipTests -pl collector -am   # once: the packaged collector
#   bench/overload/run.sh     # HEAPS="600m 192m" AGENTS=256 INSTANCES=100 PENDING=2000 BATCH=500 LIMIT_S=60 WINDOW=8
#
# WINDOW: batches each simulated agent has waiting for an ack, as the agent's
# portwatch.collector.max-in-flight-batches (8); WINDOW=0 sends as agents before 2026-12-07 did,
# limited only by HTTP/2 flow control.
#
# LIMIT_S bounds the sending (an agent stops there and keeps the rest pending, as a spool would);
# the acks of what was sent are then awaited for up to DRAIN_S. Everything runs on 127.0.0.1.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../lib/collector.sh"

HEAPS=${HEAPS:-600m 192m}
AGENTS=${AGENTS:-256}
INSTANCES=${INSTANCES:-100}
PENDING=${PENDING:-2000}
BATCH=${BATCH:-500}
WINDOW=${WINDOW:-8}
LIMIT_S=${LIMIT_S:-60}
DRAIN_S=${DRAIN_S:-120}
ROWS=$((AGENTS * PENDING * BATCH))
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

SAMPLER_PID=""
CLASSES=""
cleanup() {
  if [ -n "$SAMPLER_PID" ]; then
    kill "$SAMPLER_PID" 2>/dev/null || true
    wait "$SAMPLER_PID" 2>/dev/null || true
    SAMPLER_PID=""
  fi
  stop_collector
}
GCLOG=/tmp/portwatch-overload-gc.$$.log
trap 'cleanup; rm -f "$GCLOG"; [ -z "$CLASSES" ] || rm -rf "$CLASSES"' EXIT
trap 'exit 130' INT TERM

require_build
CLASSES=$(mktemp -d /tmp/portwatch-overload-classes.XXXXXX)
"${JAVA_HOME:+$JAVA_HOME/bin/}javac" -nowarn -cp "$COLLECTOR_CP" -d "$CLASSES" "$HERE/../ingest/IngestLoad.java" "$HERE/StormLoad.java"

# Heap in use (all G1 regions, garbage included), in bytes, as the collector reports it.
heap_used() {
  curl -fsS -m 2 "http://127.0.0.1:$HTTP_PORT/q/metrics" 2>/dev/null | grep '^jvm_memory_used_bytes{area="heap"' \
    | awk '{ s += $NF } END { if (s > 0) printf "%d\n", s }'
}
# Every second the heap in use; every LIVE_EVERY seconds a full collection (jcmd GC.run), whose
# result in the GC log is the live heap at that moment: what the collector really holds.
LIVE_EVERY=${LIVE_EVERY:-15}
sample_heap() {
  local n=0
  while kill -0 "$COLLECTOR_PID" 2>/dev/null; do
    heap_used >>"$BENCH_DIR/heap.txt" || true
    n=$((n + 1))
    if [ $((n % LIVE_EVERY)) = 0 ]; then
      jcmd "$COLLECTOR_PID" GC.run >/dev/null 2>&1 || true
    fi
    sleep 1
  done
}

storm() {
  local heap=$1
  echo "== overload at -Xmx$heap: $AGENTS agents x $INSTANCES instances, each holding $PENDING batches of $BATCH results" \
    "($ROWS in all), sending for ${LIMIT_S}s; load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
  # shellcheck disable=SC2086 # options, split on purpose
  start_collector overload "-Xmx$heap" "-Xlog:gc:file=$GCLOG" ${COLLECTOR_JAVA_OPTS:-}
  local gclog=$GCLOG
  sample_heap &
  SAMPLER_PID=$!
  # shellcheck disable=SC2086 # options, split on purpose
  "$JAVA" ${LOAD_JAVA_OPTS:--Xmx1g -XX:TieredStopAtLevel=1} $QUIET_SLF4J -cp "$CLASSES:$COLLECTOR_CP" StormLoad \
    --port "$HTTP_PORT" --agents "$AGENTS" --instances "$INSTANCES" --batch "$BATCH" --rows "$ROWS" \
    --seconds "$LIMIT_S" --drain-seconds "$DRAIN_S" --acked "$BENCH_DIR/acked.txt" --window "$WINDOW" \
    2> >(grep -v '^SLF4J' | head -20 >&2) | tee "$BENCH_DIR/load.txt" | grep -v '^ACKED'
  local survived=yes
  if grep -q OutOfMemoryError "$BENCH_DIR/collector.log" || ! curl -fsS -m 5 -o /dev/null \
      "http://127.0.0.1:$HTTP_PORT/q/health/live"; then
    survived=NO
  fi
  kill "$SAMPLER_PID" 2>/dev/null || true
  wait "$SAMPLER_PID" 2>/dev/null || true
  SAMPLER_PID=""
  local peak live forced
  peak=$(sort -n "$BENCH_DIR/heap.txt" | tail -1)
  # "Pause Full (Diagnostic Command) 456M->119M(600M)": the live heap when jcmd GC.run asked.
  live=$(sed -n 's/.*Pause Full (Diagnostic Command).*->\([0-9]*\)M(.*/\1/p' "$gclog" | sort -n | tail -1)
  forced=$(grep -c 'Pause Full (Diagnostic Command)' "$gclog" || true)
  echo "heap: max $heap, peak used $(awk -v b="${peak:-0}" 'BEGIN { printf "%.0f MiB", b / 1048576 }') (garbage included," \
    "sampled every 1 s), peak live ${live:-?} MiB (after $forced full GCs forced every ${LIVE_EVERY}s), full GCs of its own" \
    "$(grep 'Pause Full' "$gclog" | grep -vc 'Diagnostic Command' || true); survived: $survived"
  rm -f "$gclog"

  # What the agents were told is stored, against what is.
  pg -c "create table acked (agent_id text primary key, seq bigint, results bigint)"
  awk '$1 == "ACKED" { print $2 "\t" $3 "\t" $4 }' "$BENCH_DIR/acked.txt" >"$BENCH_DIR/acked.tsv"
  pg -c "\\copy acked from '$BENCH_DIR/acked.tsv'"
  pg -At -F' ' -c "
    with ledger as (select b.agent_id, b.seq, b.result_count from ingested_batch b where b.agent_id like 'storm-%'),
    stored as (select count(*) as n, count(distinct (check_id, observed_at)) as distinct_n from result
        where check_id in (select id from check_instance where agent_id like 'storm-%'))
    select 'acked results', (select coalesce(sum(results), 0) from acked),
      '| acked batches missing from the ledger',
      (select count(*) from acked a cross join lateral generate_series(1, a.seq) s(seq)
        where not exists (select 1 from ledger l where l.agent_id = a.agent_id and l.seq = s.seq)),
      '| stored batches', (select count(*) from ledger), '| results in them', (select coalesce(sum(result_count), 0) from ledger),
      '| results stored', (select n from stored), '| duplicates by (check, observed time)',
      (select n - distinct_n from stored)" | sed 's/^/  /'
  # Nothing acked lost, every stored batch's results there once (the ledger counts them).
  pg -At -c "select case when (select count(*) from acked a cross join lateral generate_series(1, a.seq) s(seq)
        where not exists (select 1 from ingested_batch b where b.agent_id = a.agent_id and b.seq = s.seq)) = 0
      and (select coalesce(sum(result_count), 0) from ingested_batch where agent_id like 'storm-%')
        = (select count(*) from result where check_id in (select id from check_instance where agent_id like 'storm-%'))
      and (select count(*) - count(distinct (check_id, observed_at)) from result
        where check_id in (select id from check_instance where agent_id like 'storm-%')) = 0
    then '  verdict: every acked batch stored, every stored result exactly once'
    else '  verdict: FAILED (see the counts above)' end"
  pg -c "drop table acked"
  stop_collector
}

for heap in $HEAPS; do
  storm "$heap"
done
