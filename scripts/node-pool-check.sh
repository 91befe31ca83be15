#!/usr/bin/env bash
# After a change of a node setting GKE cannot change in place (the machine type, say), checks what the program
# promises (docs/operations.md, "Node settings that need a new node pool"): every shard runs on a node of the new
# pool (the label memcached-gke/node-pool the StatefulSet selects), no node of another pool of the stack is left
# (the old pool went last), the roll is over, and the shards moved one at a time: each pod became Ready at least
# the StatefulSet's minReadySeconds (the warm-up) after the one before it in the roll (from the highest ordinal).
#
# Usage: scripts/node-pool-check.sh <kubeconfig> <namespace> [<name prefix>]     (prefix: mycache)
# Needs kubectl and python3. Ends with one line: OK, or FAIL and the first problem.
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: scripts/node-pool-check.sh <kubeconfig> <namespace> [<name prefix>]" >&2
  exit 2
fi
export KUBECONFIG=$1
namespace=$2 prefix=${3:-mycache}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
kubectl get statefulset "$prefix-memcached" -n "$namespace" -o json > "$work/sts.json"
kubectl get pods -n "$namespace" -l "app=$prefix-memcached" -o json > "$work/pods.json"
kubectl get nodes -o json > "$work/nodes.json"
python3 - "$work" <<'PY'
import datetime, json, os, sys
work = sys.argv[1]
load = lambda f: json.load(open(os.path.join(work, f)))
sts, pods, nodes = load("sts.json"), load("pods.json")["items"], load("nodes.json")["items"]
LABEL = "memcached-gke/node-pool"
def fail(msg):
    print("node-pool-check: FAIL: " + msg)
    sys.exit(1)
def ready_at(pod):
    for c in pod.get("status", {}).get("conditions", []):
        if c["type"] == "Ready" and c["status"] == "True":
            return datetime.datetime.fromisoformat(c["lastTransitionTime"].replace("Z", "+00:00"))
    return None
pool = sts["spec"]["template"]["spec"].get("nodeSelector", {}).get(LABEL)
if not pool:
    fail("the StatefulSet %s selects no node pool (%s)" % (sts["metadata"]["name"], LABEL))
replicas, status = sts["spec"]["replicas"], sts.get("status", {})
if status.get("updatedReplicas") != replicas or status.get("readyReplicas") != replicas \
        or status.get("currentRevision") != status.get("updateRevision"):
    fail("the roll is not over: %s of %s pods updated, %s ready" % (status.get("updatedReplicas"), replicas, status.get("readyReplicas")))
node_pool = {n["metadata"]["name"]: n["metadata"].get("labels", {}).get(LABEL) for n in nodes}
others = sorted({p for p in node_pool.values() if p and p != pool})
if others:
    fail("nodes of another pool are left (%s %s): the old pool was not deleted" % (LABEL, ", ".join(others)))
min_ready = sts["spec"].get("minReadySeconds", 0)
live = sorted((p for p in pods if not p["metadata"].get("deletionTimestamp")),
              key=lambda p: -int(p["metadata"]["name"].rsplit("-", 1)[1]))
previous = None
for pod in live:
    name, node = pod["metadata"]["name"], pod["spec"].get("nodeName")
    if node_pool.get(node) != pool:
        fail("%s runs on node %s, not on a node of pool %s" % (name, node, pool))
    ready = ready_at(pod)
    if ready is None:
        fail("%s is not Ready" % name)
    created = datetime.datetime.fromisoformat(pod["metadata"]["creationTimestamp"].replace("Z", "+00:00"))
    if previous is not None and (created - previous[1]).total_seconds() < min_ready - 1:
        fail("%s started %.0f s after %s was Ready, less than the warm-up (minReadySeconds %d)"
             % (name, (created - previous[1]).total_seconds(), previous[0], min_ready))
    previous = (name, ready)
print("node-pool-check: OK: %d shards on pool %s, moved one at a time (at least %d s apart); no other pool is left"
      % (len(live), pool, min_ready))
PY
