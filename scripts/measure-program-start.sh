#!/usr/bin/env bash
# Wall time from process start to the program's last resource registration, under Pulumi's test
# engine (as the offline render runs it), started from the prebuilt jar (what Pulumi.yaml's
# runtime.options.binary runs) and through Maven (what a Pulumi Java project without it runs).
# Usage: scripts/measure-program-start.sh [runs=5] [stack=dev]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
stack=${2:-dev}
./mvnw -B -q package -DskipTests
jar=() maven=()
for i in $(seq "$runs"); do
  # Alternate the two so that machine load hits both alike.
  jar+=("$(java -cp target/memcached-gke.jar memcachedgke.render.Render "$stack" | sed -n 's/.*last resource registered \([0-9]*\) ms.*/\1/p')")
  maven+=("$(./mvnw -B -q compile exec:java@render -Dstack="$stack" | sed -n 's/.*last resource registered \([0-9]*\) ms.*/\1/p')")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "stack $stack, $runs runs each, ms from process start to the last resource registered"
echo "jar:   ${jar[*]} -> median $(median "${jar[@]}")"
echo "maven: ${maven[*]} -> median $(median "${maven[@]}")"
