#!/usr/bin/env bash
# Runs an mcrouter image exactly as a stack's DaemonSet runs it, and proves it serves: the gate before
# .github/workflows/mcrouter-image.yml pushes a build.
#
# Usage: scripts/mcrouter-image-check.sh <image> <render dir>     (render: ./mvnw -B -q compile exec:java@render -Dstack=<s>)
#
# Needs docker and python3. Every argument of the mcrouter container comes from the render
# (scripts/lib/mcrouter_as_deployed.py): its command and flags, the config file mounted read-only where the ConfigMap
# is mounted, tmpfs for the emptyDirs, the pod's user, a read-only root filesystem, no capabilities. The pool's shards
# are memcached containers of the stack's own memcached image on 127.0.0.1 (host network). Then, with e2e/mctool.py:
# a set and a get through mcrouter's port, and `get __mcrouter__.config_md5_digest` equal to the MD5 of the mounted
# config.json, with the node name the DaemonSet passes in --config-params. Ends with one line: OK, or FAIL and why.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: scripts/mcrouter-image-check.sh <image> <render dir>" >&2; exit 2; }
image=$1 render=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
work=$(mktemp -d)
node=mcrouter-image-check
containers=()
cleanup() {
  if [ ${#containers[@]} -gt 0 ]; then
    docker logs "${containers[-1]}" 2>&1 | tail -n 20 >&2 || true
    docker rm -f "${containers[@]}" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "mcrouter-image-check: FAIL: $*"; exit 1; }

# The render's facts: how many shards the pool has, the memcached image, mcrouter's port.
read -r shards memcached_image port < <(python3 - "$render/resources.json" <<'PY'
import json, sys
resources = json.load(open(sys.argv[1]))
def inputs(kind):
    return [r["inputs"] for r in resources if r["type"].startswith("kubernetes:") and r["inputs"].get("kind") == kind]
sts = [s for s in inputs("StatefulSet") if any(c["name"] == "memcached" for c in s["spec"]["template"]["spec"]["containers"])][0]
ds = [d for d in inputs("DaemonSet") if any(c["name"] == "mcrouter" for c in d["spec"]["template"]["spec"]["containers"])][0]
mcrouter = next(c for c in ds["spec"]["template"]["spec"]["containers"] if c["name"] == "mcrouter")
port = next(a.split("=", 1)[1] for a in mcrouter["args"] if a.startswith("--port="))
memcached = next(c for c in sts["spec"]["template"]["spec"]["containers"] if c["name"] == "memcached")
print(sts["spec"]["replicas"], memcached["image"], port)
PY
)

servers=()
for ((i = 0; i < shards; i++)); do
  p=$((21211 + i))
  containers+=("$(docker run -d --network host --user 11211:11211 --read-only --cap-drop ALL "$memcached_image" \
    memcached -l 127.0.0.1 -p "$p" -U 0 -m 16)")
  servers+=("127.0.0.1:$p")
done
mapfile -t run < <(python3 "$here/lib/mcrouter_as_deployed.py" "$render" "$image" "$work/config" "$node" "${servers[@]}")
[ ${#run[@]} -gt 0 ] || fail "the render gives no mcrouter container"
echo "mcrouter-image-check: docker run --network host ${run[*]}"
containers+=("$(docker run -d --network host "${run[@]}")")

digest=$(md5sum "$work/config/config.json" | cut -d' ' -f1)
# Proxies take a moment to start and connect: mctool.py waits up to 60 s for the digest.
python3 "$repo/e2e/mctool.py" proxies "$port" "$digest" 60 "127.0.0.1=$node" \
  || fail "mcrouter did not report config digest $digest and node $node on port $port"
python3 "$repo/e2e/mctool.py" setget 127.0.0.1 "$port" mcrouter-image-check "built $(date -u +%FT%TZ)" \
  || fail "a set and a get through mcrouter on port $port did not return the value"
echo "mcrouter-image-check: OK: $image runs as the render's DaemonSet runs it (port $port, $shards shards, digest $digest)"
