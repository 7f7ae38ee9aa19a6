#!/usr/bin/env bash
# bench/spool: what the agent's disk spool costs at 1,000 probes/s under each fsync policy
# (batch | interval | never), against the same run into a memory-only spool (the baseline), in
# one run, alternating baseline and policies. Prints per policy the time an append holds the
# probe path (p50/p99/max), the process CPU per result and its difference to the baseline, the
# bytes written, then each policy's ceiling (batches appended back to back for 5 s).
#
#   bench/spool/run.sh        RATE=1000 SECONDS_PER_RUN=20 BATCH=500 FLUSH_MS=1000 ROUNDS=2
#
# The spool writes to SPOOL_BENCH_DIR (default: a new directory under /var/tmp, a disk, not the
# tmpfs /tmp may be), deleted on exit. No network traffic at all.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
cd "$ROOT"
./portwatch build # builds the agent only when a source is newer than its jar

WORK=$(mktemp -d "${SPOOL_BENCH_DIR:-/var/tmp}/portwatch-spool-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
load=$(cut -d' ' -f1 /proc/loadavg)
echo "spool: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $(df -h --output=source,fstype "$WORK" | tail -1 | tr -s ' '), $("$JAVA" -version 2>&1 | head -1)"
if awk -v l="$load" 'BEGIN { exit !(l > 1.5) }'; then
  echo "spool: load average $load is above 1.5: the numbers below are noise, not a measurement"
fi
APP=agent/target/quarkus-app
timeout 600 "$JAVA" -Xmx256m -cp "$APP/app/*:$APP/lib/main/*:$APP/lib/boot/*" "$HERE/SpoolBench.java" "$WORK" \
  "${RATE:-1000}" "${SECONDS_PER_RUN:-20}" "${BATCH:-500}" "${FLUSH_MS:-1000}" "${ROUNDS:-2}"
echo "spool: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
