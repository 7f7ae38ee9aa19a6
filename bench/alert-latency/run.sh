#!/usr/bin/env bash
# bench/alert-latency: end to end on loopback, from a port closing to the webhook receiving FIRING,
# and from it reopening to RESOLVED. A real agent probes a TCP listener every 1 s; the collector
# (fresh embedded PostgreSQL) has one rule with `after: 2` that notifies a webhook. The listener and
# the receiver are AlertLatency.java, which times both in one process.
#
#   ./mvnw -B -o -q install -DskipTests     # once: the packaged collector and agent
#   bench/alert-latency/run.sh               # ROUNDS=5 TIMEOUT_S=30
#
# Target: after x interval + 2 s = 4 s for each. Exit 0 when every round meets it, 1 when one
# does not, 2 when the benchmark could not run. Everything listens on 127.0.0.1 only.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../lib/collector.sh"
ROUNDS=${ROUNDS:-5}
TIMEOUT_S=${TIMEOUT_S:-30}
AFTER=2
INTERVAL_S=1
TARGET_MS=$(( (AFTER * INTERVAL_S + 2) * 1000 ))
RULE=bench-latency
AGENT_JAR=$BENCH_ROOT/agent/target/quarkus-app/quarkus-run.jar

for jar in "$QUARKUS_APP/quarkus-run.jar" "$AGENT_JAR"; do
  [ -f "$jar" ] || { echo "no build ($jar): run ./mvnw -B -o -q install -DskipTests first" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/portwatch-bench-alert-latency.XXXXXX)
ENDS_PID=""
AGENT_PID=""
cleanup() {
  for pid in $AGENT_PID $ENDS_PID; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  stop_collector
  if [ -n "${KEEP:-}" ]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== bench/alert-latency on $(nproc) vCPU; uptime before: $(uptime)"
"$JAVA" "$HERE/AlertLatency.java" "$WORK" "$ROUNDS" "$TIMEOUT_S" "$RULE" >"$WORK/ends.log" 2>&1 &
ENDS_PID=$!
for _ in $(seq 1 120); do [ -s "$WORK/ports" ] && break; sleep 0.5; done
[ -s "$WORK/ports" ] || { echo "AlertLatency.java did not start:" >&2; cat "$WORK/ends.log" >&2; exit 2; }
read -r LISTEN_PORT HOOK_PORT <"$WORK/ports"
cat "$WORK/ends.log"

mkdir -p "$WORK/checks.d"
cat >"$WORK/checks.d/bench.yaml" <<YAML
checks:
  - name: bench-listener
    targets: [127.0.0.1]
    tcp: [$LISTEN_PORT]
    interval: ${INTERVAL_S}s
    timeout: 500ms
YAML
cat >"$WORK/alert-rules.yaml" <<YAML
rules:
  - name: $RULE
    match: {check: bench-listener}
    after: $AFTER
    recover_after: 1
    severity: critical
    channels: [bench]
YAML

export PORTWATCH_ALERTS_RULES_FILE=$WORK/alert-rules.yaml
export PORTWATCH_NOTIFIERS_BENCH_TYPE=webhook
export PORTWATCH_NOTIFIERS_BENCH_URL=http://127.0.0.1:$HOOK_PORT/hook
start_collector alert-latency

AGENT_HTTP_PORT=$(free_port)
QUARKUS_HTTP_PORT=$AGENT_HTTP_PORT QUARKUS_HTTP_HOST=127.0.0.1 PORTWATCH_AGENT_ID=bench-latency \
  PORTWATCH_CHECKS_DIR=$WORK/checks.d PORTWATCH_SPOOL_DIR=$WORK/spool PORTWATCH_COLLECTOR_HOST=127.0.0.1 PORTWATCH_COLLECTOR_PORT=$HTTP_PORT \
  "$JAVA" -jar "$AGENT_JAR" run >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!

# Measure from a known start: the collector holds the listener OPEN and the rule is not firing.
deadline=$((SECONDS + 120))
until curl -fsS "http://127.0.0.1:$HTTP_PORT/api/v1/checks?port=$LISTEN_PORT" 2>/dev/null | grep -Eq '"state" *: *"OPEN"'; do
  if [ $SECONDS -ge $deadline ] || ! kill -0 "$AGENT_PID" 2>/dev/null; then
    echo "the collector never saw 127.0.0.1:$LISTEN_PORT OPEN; agent log:" >&2
    tail -20 "$WORK/agent.log" >&2
    exit 2
  fi
  sleep 0.5
done
sleep 3
echo "== $ROUNDS rounds: close the listener -> FIRING, reopen -> RESOLVED (rule after: $AFTER, interval ${INTERVAL_S}s)"
touch "$WORK/go"
status=0
wait "$ENDS_PID" || status=$?
ENDS_PID=""
sed -n '/^round\|^RESULT\|^FAILED\|also received/p' "$WORK/ends.log"
echo "uptime after: $(uptime)"
if [ "$status" -ne 0 ]; then
  echo "benchmark failed; collector log tail:" >&2
  tail -30 "$BENCH_DIR/collector.log" >&2
  exit 2
fi
result=$(grep '^RESULT ' "$WORK/ends.log")
fmax=$(sed 's/.*firing_ms_max=\([0-9]*\).*/\1/' <<<"$result")
rmax=$(sed 's/.*resolved_ms_max=\([0-9]*\).*/\1/' <<<"$result")
echo "target: after x interval + 2 s = $TARGET_MS ms; worst FIRING $fmax ms, worst RESOLVED $rmax ms"
if [ "$fmax" -le "$TARGET_MS" ] && [ "$rmax" -le "$TARGET_MS" ]; then
  echo "MET"
else
  echo "MISSED"
  exit 1
fi
