#!/usr/bin/env bash
# bench/schedule: the packaged agent with 10,000 check instances at a 10 s interval against
# loopback targets (127.0.0.1-127.0.0.4, ports this benchmark holds), streaming to a real
# collector with a throw-away embedded PostgreSQL. Measures the agent process over DURATION
# seconds after WARMUP seconds: CPU % of one core, RSS, schedule lateness p50/p99, skipped runs.
#
#   bench/schedule/run.sh                         DURATION=300 (5 minutes), WARMUP=30
#   DURATION=60 bench/schedule/run.sh             a quick run
#   AGENT_JAVA_OPTS="" bench/schedule/run.sh      the JVM's defaults instead of the agent's shipped options
#   KEEP=1 bench/schedule/run.sh                  keep the logs, check files and database afterwards
#
# Targets (issue 16): p99 < 20 ms, <= 12 % of a core, RSS <= 80 MiB, 0 skipped. Exit 0 when all are met,
# 1 when one is missed, 2 when the benchmark could not run or the load average at the start was above 1.5.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DURATION=${DURATION:-300}
WARMUP=${WARMUP:-30}
# The agent runs as an operator starts it: `portwatch agent run`, with the launcher's JVM options
# (agent/src/main/jvm/agent.jvmoptions) and MALLOC_ARENA_MAX. AGENT_JAVA_OPTS, when set, becomes
# PORTWATCH_AGENT_JAVA_OPTS, which replaces those options (AGENT_JAVA_OPTS="": the JVM's defaults).
if [ -n "${AGENT_JAVA_OPTS+set}" ]; then export PORTWATCH_AGENT_JAVA_OPTS=$AGENT_JAVA_OPTS; fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
cd "$ROOT"

./portwatch build # builds only when a source is newer than the jars

WORK=$(mktemp -d /tmp/portwatch-bench-schedule.XXXXXX)
chmod 755 "$WORK" # the embedded PostgreSQL runs as nobody when started by root
# KEEP=1 keeps the work dir (agent.log, collector.log, the check files, the database).
if [ "${KEEP:-0}" = 1 ]; then echo "schedule: work dir $WORK is kept"; else trap 'rm -rf "$WORK"' EXIT; fi

echo "schedule: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $("$JAVA" -version 2>&1 | head -1)"
"${JAVA%java}javac" -d "$WORK/classes" "$HERE"/*.java
status=0
"$JAVA" -Xmx128m -cp "$WORK/classes" ScheduleBench "$ROOT" "$WORK" "$DURATION" "$WARMUP" "$(getconf CLK_TCK)" || status=$?
if [ "$status" -ge 2 ]; then
  echo "schedule: setup failed; last lines of the logs:" >&2
  tail -n 5 "$WORK/agent.log" "$WORK/collector.log" 2>/dev/null >&2 || true
fi
exit "$status"
