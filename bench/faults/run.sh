#!/usr/bin/env bash
# bench/faults: the fault suite of docs/reliability.md. Each scenario runs the packaged agent and
# collector as real processes (e2e/…/*FaultIT.java, Maven profile `faults` of the e2e module),
# breaks something on purpose and prints, for its 1 s checks on loopback ports the test owns:
# expected results in the window vs stored ones (read back through GET /api/v1/checks/{id}/history),
# duplicates, the largest gap between stored results, and the recovery time. The table of every
# scenario run is printed at the end (from e2e/target/faults/results.tsv).
#
#   bench/faults/run.sh                          # every scenario, about 20 minutes
#   bench/faults/run.sh collector-kill leader-kill
#   FAULTS_OUTAGE=20 bench/faults/run.sh db-stop  # shorter outages for a quick try (not for the docs)
#   FAULTS_LEADER_KILL_OFFSET_MS=3800 bench/faults/run.sh leader-kill   # when the leader dies (default
#                                                 # 2500 ms after the port closes)
#
# Scenarios: collector-kill (1), db-stop (2), agent-kill-outage (3), agent-kill (4), spool-full (5,
# needs root for a tmpfs), overload (6, runs bench/overload/run.sh), leader-kill (7).
# Builds the apps first when their quarkus-app is missing or older than a source file. Only the
# e2e module runs tests: the other modules' unit tests are not run again.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

declare -A CLASSES=(
  [collector-kill]=CollectorKillFaultIT
  [db-stop]=DatabaseStopFaultIT
  [agent-kill-outage]=AgentKillDuringOutageFaultIT
  [agent-kill]=AgentKillFaultIT
  [spool-full]=SpoolDiskFullFaultIT
  [leader-kill]=LeaderKillFaultIT
)
ALL=(collector-kill db-stop agent-kill-outage agent-kill spool-full overload leader-kill)
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=("${ALL[@]}")

its=()
overload=no
for s in "${SCENARIOS[@]}"; do
  case "$s" in
    overload) overload=yes ;;
    *) [ -n "${CLASSES[$s]:-}" ] || { echo "unknown scenario '$s'; known: ${ALL[*]}" >&2; exit 2; }
       its+=("${CLASSES[$s]}") ;;
  esac
done

stale() { # stale MODULE: its packaged app is missing or older than a source of it, of proto or of core
  local jar="$ROOT/$1/target/quarkus-app/quarkus-run.jar"
  [ ! -f "$jar" ] || [ -n "$(find "$ROOT/$1/src/main" "$ROOT/proto/src" "$ROOT/core/src/main" "$ROOT/core/pom.xml" "$ROOT/$1/pom.xml" -newer "$jar" -type f -print -quit)" ]
}
if stale agent || stale collector; then
  echo "== building the packaged apps (./mvnw -B -o -q package -DskipTests)"
  ./mvnw -B -o -q package -DskipTests
fi

RESULTS=e2e/target/faults/results.tsv
rm -f "$RESULTS" e2e/target/faults/maven.rc
echo "== bench/faults on $(nproc) vCPU, load average $(cut -d' ' -f1-3 /proc/loadavg) before start"
status=0
if [ ${#its[@]} -gt 0 ]; then
  it=$(IFS=,; echo "${its[*]}")
  # -am builds proto/core/agent/collector in the reactor (e2e depends on them) without repackaging the
  # apps (-Dquarkus.build.skip) and without their unit tests (-Dtest matches none of them).
  # The whole Maven output goes to e2e/target/faults/maven.log; the scenarios' lines are shown as they come.
  mkdir -p e2e/target/faults
  { ./mvnw -B -o -pl e2e -am verify -Pfaults -Dit.test="$it" -Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false \
      -Dquarkus.build.skip=true -Dfaults.outage="${FAULTS_OUTAGE:-}" \
      ${FAULTS_LEADER_KILL_OFFSET_MS:+-Dfaults.leader-kill-offset-ms=$FAULTS_LEADER_KILL_OFFSET_MS}
    echo $? >e2e/target/faults/maven.rc
  } 2>&1 | tee e2e/target/faults/maven.log | grep --line-buffered -E '^\[fault\]|Tests run:|FAIL|ERROR\]|BUILD' || true
  [ "$(cat e2e/target/faults/maven.rc)" = 0 ] || status=1
fi
if [ $overload = yes ]; then
  if [ -x bench/overload/run.sh ]; then
    echo "== 6 overload: bench/overload/run.sh"
    bench/overload/run.sh || status=1
  else
    echo "== 6 overload: bench/overload/run.sh is not on this branch yet: see bench/overload (issue #14, part 3)"
  fi
fi

echo
echo "== fault suite results (e2e/target/faults/results.tsv; logs of failed runs in e2e/target/deploy-logs/)"
if [ -f "$RESULTS" ]; then
  cut -f1-8 "$RESULTS" | column -t -s $'\t'
  echo
  echo "notes:"
  tail -n +2 "$RESULTS" | awk -F'\t' '{ printf "  %s (%s, load %s): %s\n", $1, $10, $11, $9 }'
else
  echo "(no scenario wrote a result)"
fi
exit $status
