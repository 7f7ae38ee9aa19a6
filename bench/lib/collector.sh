# Shared by bench/ingest and bench/query (sourced, not run): starts the packaged collector on a
# fresh embedded PostgreSQL in a temporary directory, on a free loopback port, and removes
# everything again on exit. BENCH_DATA_DIR, when set, is the PostgreSQL data directory to use
# instead (kept on exit: bench/query's KEEP_DATA).
#
# After start_collector: COLLECTOR_PID, HTTP_PORT, PG_PORT, BENCH_DIR, and pg() runs psql on the
# embedded server. The caller sets `trap stop_collector EXIT` first.

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
QUARKUS_APP=$BENCH_ROOT/collector/target/quarkus-app
# The collector's own jars: gRPC, protobuf, the generated stubs, pgjdbc and LatencyHistogram.
COLLECTOR_CP="$QUARKUS_APP/app/*:$QUARKUS_APP/lib/main/*"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
# The collector's jars carry a JBoss SLF4J binding that needs the JBoss log manager: use none
# (and filter SLF4J's own notes from stderr: `2> >(grep -v '^SLF4J' >&2)`).
QUIET_SLF4J=-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider
COLLECTOR_PID=""
BENCH_DIR=""
# The collector runs with its shipped JVM options, as ./portwatch and the image run it; the
# caller's options (start_collector NAME OPTIONS...) come after them and add to or override them.
# COLLECTOR_JVM_OPTIONS=none runs the JVM's own defaults instead of the file.
COLLECTOR_JVM_OPTIONS=${COLLECTOR_JVM_OPTIONS:-$BENCH_ROOT/collector/src/main/jvm/collector.jvmoptions}

require_build() {
  if [ ! -f "$QUARKUS_APP/quarkus-run.jar" ]; then
    echo "no collector build: run ./mvnw -B -o -q install -DskipTests first" >&2
    exit 1
  fi
  command -v psql >/dev/null || { echo "psql is needed (apt-get install postgresql-client)" >&2; exit 1; }
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg() {
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"
}

# start_collector NAME [JVM options...]
start_collector() {
  local name=$1 jvm=()
  shift
  [ "$COLLECTOR_JVM_OPTIONS" = none ] || jvm=("@$COLLECTOR_JVM_OPTIONS")
  BENCH_DIR=$(mktemp -d "/tmp/portwatch-bench-$name.XXXXXX")
  HTTP_PORT=$(free_port)
  # Plaintext on loopback, without credentials: the benchmarks measure ingest and queries, and the
  # load tools' streams and curl reads carry no token or key. Authentication costs once per stream
  # and per request, and bench/faults (the e2e fault suite) runs with TLS and credentials on.
  PORTWATCH_SECURITY_ANONYMOUS_READ=true PORTWATCH_INGEST_ALLOW_ANONYMOUS=true \
  PORTWATCH_DATA_DIR=${BENCH_DATA_DIR:-$BENCH_DIR/postgres} QUARKUS_HTTP_PORT=$HTTP_PORT QUARKUS_HTTP_HOST=127.0.0.1 \
    "$JAVA" "${jvm[@]}" "$@" -jar "$QUARKUS_APP/quarkus-run.jar" >"$BENCH_DIR/collector.log" 2>&1 &
  COLLECTOR_PID=$!
  local deadline=$((SECONDS + 180))
  until curl -fsS -o /dev/null "http://127.0.0.1:$HTTP_PORT/q/health/ready" 2>/dev/null; do
    if ! kill -0 "$COLLECTOR_PID" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      echo "collector did not become ready; its log:" >&2
      tail -50 "$BENCH_DIR/collector.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  PG_PORT=$(sed -n 's/.*embedded PostgreSQL on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$BENCH_DIR/collector.log" | head -1)
  if [ -z "$PG_PORT" ]; then
    echo "no 'embedded PostgreSQL on 127.0.0.1:PORT' line in the collector log" >&2
    exit 1
  fi
  echo "collector pid $COLLECTOR_PID on http://127.0.0.1:$HTTP_PORT, embedded PostgreSQL on 127.0.0.1:$PG_PORT," \
    "data in $BENCH_DIR"
}

stop_collector() {
  local pidfile=${BENCH_DIR:+${BENCH_DATA_DIR:-$BENCH_DIR/postgres}/postmaster.pid} postmaster=""
  if [ -n "$pidfile" ] && [ -f "$pidfile" ]; then
    postmaster=$(head -1 "$pidfile")
  fi
  if [ -n "$COLLECTOR_PID" ] && kill -0 "$COLLECTOR_PID" 2>/dev/null; then
    kill -TERM "$COLLECTOR_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$COLLECTOR_PID" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$COLLECTOR_PID" 2>/dev/null || true
    wait "$COLLECTOR_PID" 2>/dev/null || true
  fi
  # The collector's shutdown hook stops PostgreSQL; if it could not, stop that one server.
  if [ -n "$postmaster" ] && kill -0 "$postmaster" 2>/dev/null; then
    kill -TERM "$postmaster" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$postmaster" 2>/dev/null || break
      sleep 0.5
    done
  fi
  if [ -n "$BENCH_DIR" ] && [ -d "$BENCH_DIR" ]; then
    if [ -n "${KEEP_LOG:-}" ]; then
      cp "$BENCH_DIR/collector.log" "$KEEP_LOG" 2>/dev/null || true
    fi
    rm -rf "$BENCH_DIR"
  fi
}

# CPU seconds (user + system) used so far by a process, plus its reaped children.
cpu_seconds() {
  local pid=$1
  [ -r "/proc/$pid/stat" ] || { echo 0; return; }
  stat_seconds "/proc/$pid/stat" 4
}

# stat_seconds FILE N: the first N of utime, stime, cutime, cstime in a /proc stat file (fields 14
# to 17; after the ")" that closes the command name they are the 12th to 15th), in seconds.
stat_seconds() {
  sed 's/^.*) //' "$1" 2>/dev/null | awk -v hz="$(getconf CLK_TCK)" -v n="$2" \
    '{ s = 0; for (i = 12; i < 12 + n; i++) s += $i; print s / hz }'
}

# CPU seconds of a JVM's JIT compiler threads (C1 and C2): while they are busy, the JVM is still
# warming up, and they compete with the work measured for the cores.
jit_cpu_seconds() {
  local pid=$1 task total=0
  for task in /proc/"$pid"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in
      C1\ Compiler*|C2\ Compiler*)
        # A thread's own utime and stime (its cutime and cstime are the whole process's).
        total=$(awk -v a="$total" -v b="$(stat_seconds "$task/stat" 2)" 'BEGIN { print a + b }') ;;
    esac
  done
  echo "$total"
}

# CPU seconds of the embedded PostgreSQL: the postmaster, its live children and the reaped ones.
postgres_cpu_seconds() {
  local postmaster total child
  postmaster=$(head -1 "$BENCH_DIR/postgres/postmaster.pid")
  total=$(cpu_seconds "$postmaster")
  for child in $(pgrep -P "$postmaster" || true); do
    total=$(awk -v a="$total" -v b="$(cpu_seconds "$child")" 'BEGIN { print a + b }')
  done
  echo "$total"
}

# Busy and total jiffies of the whole machine (all CPUs), to show what else was running.
machine_jiffies() {
  awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6 }' /proc/stat
}

now() {
  date +%s.%N
}
