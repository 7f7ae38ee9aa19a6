#!/usr/bin/env bash
# bench/probe-rate: connects per second of the agent's ProbeEngine against a C epoll prober
# (cprobe.c, built here with gcc) and scan time against nmap -sT, on the same loopback targets,
# 128 in flight, in one run. Traffic goes to 127.0.0.1 only, to ports this benchmark holds.
#
#   bench/probe-rate/run.sh                      N=50000 connects per run, ROUNDS=3, SCAN_PORTS=1000
#   N=20000 ROUNDS=1 bench/probe-rate/run.sh     quicker
#   JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 bench/probe-rate/run.sh   the NIO connect path (Java 17)
#
# Java: $JAVA_HOME when set, else Temurin 25 when installed (/usr/lib/jvm/temurin-25-jdk-amd64), else
# java on the PATH. On Linux with Java >= 22 the engine makes plain connects through FFM (connect
# path ffm-epoll), elsewhere through NIO; the run prints which java and which path ran.
#
# Targets: >= 0.8 of the C prober's rate (open and closed; medians of ROUNDS rounds that alternate
# C and the engine), and a scan faster than nmap -sT. Exit 0 when both are met, 1 when not, 2 on a
# setup problem or when the load average at the start was above 1.5 (the numbers are printed, not judged).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
N=${N:-50000}
ROUNDS=${ROUNDS:-3}
SCAN_PORTS=${SCAN_PORTS:-1000}
TEMURIN25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
if [ -z "${JAVA_HOME:-}" ] && [ -x "$TEMURIN25" ]; then
  JAVA=$TEMURIN25
else
  JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
fi
cd "$ROOT"

./portwatch build # builds the agent only when a source is newer than its jar

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
gcc -O2 -Wall -Wextra -o "$WORK/cprobe" "$HERE/cprobe.c"

if ! command -v nmap > /dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "probe-rate: installing nmap (apt-get) for the comparison"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q nmap > "$WORK/apt.log" 2>&1 \
      || { apt-get update -q > /dev/null 2>&1 && apt-get install -y -q nmap > "$WORK/apt.log" 2>&1; } \
      || echo "probe-rate: nmap could not be installed; the nmap comparison is skipped"
  else
    echo "probe-rate: nmap not installed (and not root); the nmap comparison is skipped"
  fi
fi

echo "probe-rate: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), java $JAVA: $("$JAVA" -version 2>&1 | head -1)"
APP=agent/target/quarkus-app
# The engine needs no Quarkus: its packaged classes and their libraries are enough.
# timeout: the whole benchmark stays under 3 minutes even if something hangs.
# --enable-native-access: what the agent's jvmoptions give it (Java 17 accepts and ignores it).
timeout 170 "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$APP/app/*:$APP/lib/main/*:$APP/lib/boot/*" \
  "$HERE/ProbeRateBench.java" "$WORK/cprobe" "$N" "$ROUNDS" "$SCAN_PORTS"
