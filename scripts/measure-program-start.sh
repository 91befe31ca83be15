#!/usr/bin/env bash
# Time from process start to the program's last resource registration, under Pulumi's test engine (as the
# offline render runs it), the same way every time: the build's command, then in each round, one after the
# other so that machine load hits all alike,
#   fast     - the jar with the build's fast-start flags (java @target/jvm.options ...), as the program runs
#              once it has relaunched itself with them;
#   maven    - mvn compile exec:java@render, what a Pulumi Java project without the jar runs;
#   jar      - the jar without the flags: what a missing or stale archive falls back to;
#   relaunch - the jar started plainly, relaunching itself with the flags (io.memcachedgke.startup.FastStart) as
#              `pulumi preview` starts it; timed from the outside, as its figure only counts the second JVM.
# Prints each path's runs and median: the figure the render prints (ms from its JVM's start to the last
# registration) and the wall time of the whole command; then the classes the fast path loads, by source.
# Uses the java on PATH and the Maven wrapper's JDK: point both at one JDK (PATH and JAVA_HOME) to measure another.
# Usage: scripts/measure-program-start.sh [runs=5] [stack=dev]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
stack=${2:-dev}
jar=target/memcached-gke.jar

# On JDK 25 with two CPUs or fewer, exec:java needs the common-pool flag in Maven's own JVM (docs/performance.md).
feature=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [[ ${feature:-0} -ge 25 ]]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} -Djava.util.concurrent.ForkJoinPool.common.parallelism=2"
fi

./mvnw -B -q package -DskipTests
if [[ ! -f target/jvm.options ]]; then
  echo "target/jvm.options is missing: the build trained no archive (see target/startup-training/)" >&2
  exit 1
fi

figure() { sed -n 's/.*last resource registered \([0-9]*\) ms.*/\1/p'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

paths=(fast maven jar relaunch)
declare -A figures walls
# One command a path; prints the render's output.
run_path() {
  case $1 in
    fast) java @target/jvm.options -cp "$jar" io.memcachedgke.render.Render "$stack" ;;
    maven) ./mvnw -B -q compile exec:java@render -Dstack="$stack" ;;
    jar) java -cp "$jar" io.memcachedgke.render.Render "$stack" ;;
    relaunch) java -cp "$jar" io.memcachedgke.startup.FastStart io.memcachedgke.render.Render "$stack" ;;
  esac
}
for _ in $(seq "$runs"); do
  for path in "${paths[@]}"; do
    start=$(now_ms)
    value=$(run_path "$path" | figure)
    walls[$path]+=" $(($(now_ms) - start))"
    figures[$path]+=" ${value:?no figure from the $path path}"
  done
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "stack $stack, $runs runs of each path alternated; $(java -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java.vm.version = //p' | sed 's/^/JDK /'), $(nproc) CPUs"
echo "ms from process start to the last resource registered (wall ms of the whole command):"
for path in "${paths[@]}"; do
  # shellcheck disable=SC2086 # the lists are space-separated numbers
  printf '%-9s %s -> median %s   (wall:%s -> median %s)\n' "$path:" "${figures[$path]# }" "$(median ${figures[$path]})" \
    "${walls[$path]}" "$(median ${walls[$path]})"
done
# shellcheck disable=SC2086
echo "fast path vs maven path (medians): $(median ${figures[maven]}) / $(median ${figures[fast]}) = $(awk \
  "BEGIN {printf \"%.1f\", $(median ${figures[maven]}) / $(median ${figures[fast]})}")x"
# shellcheck disable=SC2086
echo "relaunch cost (wall, medians): $(($(median ${walls[relaunch]}) - $(median ${walls[fast]}))) ms"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
java @target/jvm.options -Xlog:class+load:file="$log" -cp "$jar" io.memcachedgke.render.Render "$stack" > /dev/null
echo "classes loaded by the fast path: $(wc -l < "$log") ($(grep -c 'source: shared objects file' "$log" || true) from" \
  "the archives, $(grep -c 'memcached-gke.jar' "$log" || true) from the jar, the rest generated at run time)"
java -Xlog:class+load:file="$log" -cp "$jar" io.memcachedgke.render.Render "$stack" > /dev/null
echo "classes loaded without the archive: $(wc -l < "$log") ($(grep -c 'memcached-gke.jar' "$log" || true) from the jar)"
