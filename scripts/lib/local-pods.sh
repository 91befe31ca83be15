#!/usr/bin/env bash
# What answers behind the cache's pods on the Docker-free control plane (scripts/local-cluster.sh), where kwok's
# pods run no container: a real memcached process per shard, a proxy stand-in per node (e2e/fakes/mcrouter-standin.py:
# mcrouter is in no registry here; it routes each key by mcrouter's ch3, as the plain config's PoolRoute does), and
# kwok's exec mapping (its Exec and ClusterExec objects) so `kubectl exec` into any pod of the namespace runs a local
# process with the pod's environment and the cluster's names mapped to those processes (e2e/mctool.py's
# MCTOOL_ADDRESS_MAP and MCTOOL_RESOLVE: there is no DNS server here).
#
#   scripts/lib/local-pods.sh start <cluster dir> <stack outputs json>   start the shards and the proxies, map exec
#   scripts/lib/local-pods.sh shard <cluster dir> <stack outputs json> <i>   start shard i's memcached again
#   scripts/lib/local-pods.sh map <cluster dir> <stack outputs json>     (re)apply the exec mapping only
#   scripts/lib/local-pods.sh proxy <cluster dir> <stack outputs json> <name> <port> <digest> <node>
#                                                 one more proxy stand-in (a stale one, reporting <digest>)
#   scripts/lib/local-pods.sh follow <cluster dir> <stack outputs json>  after a change of shards (a resize): start the
#                                                 shards missing, end the surplus, restart the proxies on the new list
#   scripts/lib/local-pods.sh stop <cluster dir> [<name>...]           end the processes it started (or those named)
#
# The processes are started with `scripts/local-cluster.sh start`, named memcached-<i> and mcrouter-<node>, so
# `scripts/local-cluster.sh down` ends them with the control plane. Ports (loopback, inside the namespace):
# LOCAL_PODS_SHARD_PORT + i (21211) and LOCAL_PODS_PROXY_PORT + n (25000) for the n-th node by name.
# LOCAL_PODS_ADDRESS_OVERRIDES="address=127.0.0.1:port,..." replaces entries of the mapping (a test's stale proxy).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shard_port=${LOCAL_PODS_SHARD_PORT:-21211}
proxy_port=${LOCAL_PODS_PROXY_PORT:-25000}

usage() { echo "usage: scripts/lib/local-pods.sh start|map|follow <cluster dir> <outputs.json> | shard <cluster dir> <outputs.json> <i> | stop <cluster dir> [<name>...]" >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd=$1 dir=$2

# Ends, by PID and start time (as local-cluster.sh down does), the processes this script started, or those named.
stop() {
  local name pid st
  while read -r name pid st; do
    case "$name" in memcached-* | mcrouter-*) ;; *) continue ;; esac
    if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
    if [ "$(awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$pid/stat" 2>/dev/null || true)" = "$st" ]; then
      kill -TERM "$pid" 2>/dev/null || true
      # Gone before its port is taken again (follow restarts the proxies on the same ports).
      for _ in $(seq 50); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
    fi
  done < "$dir/pids"
}
if [ "$cmd" = stop ]; then
  shift 2
  stop "$@"
  exit 0
fi
[ $# -ge 3 ] || usage
outputs=$3
cluster() { "$repo/scripts/local-cluster.sh" run "$dir" -- "$@"; }
output() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print("\n".join(v) if isinstance(v, list) else v)' "$outputs" "$1"; }

namespace=$(output namespace)
digest=$(output mcrouterConfigDigest)
mapfile -t servers < <(output memcachedServers)
count=${#servers[@]}

# Listening on <port> inside the namespace, within 20 s.
await_port() {
  local port=$1 deadline=$((SECONDS + 20))
  until cluster python3 -c 'import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(("127.0.0.1", int(sys.argv[1]))))' "$port"; do
    [ $SECONDS -lt $deadline ] || { echo "local-pods.sh: nothing listens on 127.0.0.1:$port after 20 s" >&2; exit 1; }
    sleep 0.2
  done
}

# A proxy stand-in named mcrouter-<name>, on <port>, reporting <digest> for <node>, routing over every shard.
start_proxy() {
  local name=$1 port=$2 proxy_digest=$3 node=$4 ports=() i
  for ((i = 0; i < count; i++)); do ports+=($((shard_port + i))); done
  "$repo/scripts/local-cluster.sh" start "$dir" "mcrouter-$name" -- python3 "$repo/e2e/fakes/mcrouter-standin.py" \
    "$port" "$proxy_digest" "$node" "${ports[@]}"
  await_port "$port"
}

start_shard() {
  local i=$1
  "$repo/scripts/local-cluster.sh" start "$dir" "memcached-$i" -- memcached -l 127.0.0.1 -p $((shard_port + i)) -U 0 -u nobody -m 16
  await_port $((shard_port + i))
}

nodes() { cluster kubectl get nodes -o 'jsonpath={range .items[*]}{.metadata.name}{"\n"}{end}' | sort; }

# kwok's Exec objects: every pod of the namespace runs `kubectl exec` commands here, with the names mapped.
map() {
  local pods nodes_json file="$dir/local-pods-exec.yaml"
  pods=$(cluster kubectl get pods -n "$namespace" -o json)
  nodes_json=$(nodes | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read().split()))')
  python3 -c "$MAPPING" "$outputs" "$shard_port" "$proxy_port" "$nodes_json" "${LOCAL_PODS_ADDRESS_OVERRIDES:-}" \
    "$repo/e2e/fakes/pod-bin" <<<"$pods" >"$file"
  cluster kubectl apply -f "$file" >/dev/null
}

# The exec mapping from the stack's outputs, the pods (stdin) and the nodes: one ClusterExec for every pod of the
# namespace, an Exec per sample-app pod with the environment its Deployment gives it.
MAPPING=$(cat <<'PY'
import json, sys
outputs = json.load(open(sys.argv[1]))
shard_port, proxy_port, nodes = int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4])
overrides, pod_bin = sys.argv[5], sys.argv[6]
pods = json.load(sys.stdin)["items"]
ns, servers = outputs["namespace"], outputs["memcachedServers"]
statefulset = servers[0].split(".")[0].rsplit("-", 1)[0]
port = int(outputs["mcrouterPort"])
addresses, shard_ips = {}, []
by_name = {p["metadata"]["name"]: p for p in pods}
for i, server in enumerate(servers):
    local = "127.0.0.1:%d" % (shard_port + i)
    addresses[server] = local
    pod = by_name.get("%s-%d" % (statefulset, i))
    if pod and pod.get("status", {}).get("podIP"):
        addresses["%s:11211" % pod["status"]["podIP"]] = local
        shard_ips.append(pod["status"]["podIP"])
proxy_prefix = outputs["mcrouterServiceHost"].split(".")[0]
for pod in pods:
    name = pod["metadata"]["name"]
    if name.startswith(proxy_prefix + "-") and pod.get("status", {}).get("podIP") and pod["spec"].get("nodeName") in nodes:
        addresses["%s:%d" % (pod["status"]["podIP"], port)] = "127.0.0.1:%d" % (proxy_port + nodes.index(pod["spec"]["nodeName"]))
# The node-local Service reaches the proxy on the client's node; every proxy routes alike.
addresses["%s:%d" % (outputs["mcrouterServiceHost"], port)] = "127.0.0.1:%d" % proxy_port
for entry in filter(None, overrides.split(",")):
    key, value = entry.split("=", 1)
    addresses[key] = value
common = [
    {"name": "MCTOOL_ADDRESS_MAP", "value": ",".join("%s=%s" % kv for kv in addresses.items())},
    {"name": "MCTOOL_RESOLVE", "value": "%s.%s.svc.cluster.local=%s" % (statefulset, ns, ",".join(shard_ips))},
    {"name": "HOME", "value": "/tmp"},
    {"name": "PATH", "value": pod_bin + ":/usr/bin:/bin"},
]
def doc(kind, name, namespace, envs):
    meta = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    spec = {"execs": [{"local": {"workDir": "/tmp", "envs": envs}}]}
    if kind == "ClusterExec":
        spec["selector"] = {"matchNamespaces": [ns]}
    return json.dumps({"apiVersion": "kwok.x-k8s.io/v1alpha1", "kind": kind, "metadata": meta, "spec": spec})
docs = [doc("ClusterExec", "memcached-gke-" + ns, None, common)]
# The sample app's pods: the environment the Deployment gives them (NODE_NAME from spec.nodeName).
for pod in pods:
    if pod["metadata"].get("labels", {}).get("app") == "sample-application-py":
        envs = common + [{"name": "NODE_NAME", "value": pod["spec"].get("nodeName", "")},
                         {"name": "MCROUTER_HOST", "value": outputs["mcrouterServiceHost"]},
                         {"name": "MCROUTER_PORT", "value": str(port)}]
        docs.append(doc("Exec", pod["metadata"]["name"], ns, envs))
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": [json.loads(d) for d in docs]}))
PY
)

# A proxy stand-in per node, on consecutive ports from $proxy_port; n: how many.
start_proxies() {
  n=0
  while read -r node; do
    start_proxy "$node" $((proxy_port + n)) "$digest" "$node"
    n=$((n + 1))
  done < <(nodes)
}

case "$cmd" in
  start)
    [ $# -eq 3 ] || usage
    for ((i = 0; i < count; i++)); do start_shard "$i"; done
    start_proxies
    map
    echo "local-pods.sh: $count memcached processes on 127.0.0.1:$shard_port+, $n proxy stand-ins on 127.0.0.1:$proxy_port+, kubectl exec mapped in namespace $namespace" >&2
    ;;
  follow)
    [ $# -eq 3 ] || usage
    running() { awk -v n="$1" '$1 == n { found = 1 } END { exit !found }' "$dir/pids"; }
    mapfile -t old_proxies < <(awk '$1 ~ /^mcrouter-/ { print $1 }' "$dir/pids")
    [ ${#old_proxies[@]} -eq 0 ] || stop "${old_proxies[@]}"
    mapfile -t surplus < <(awk -v c="$count" '$1 ~ /^memcached-/ { i = substr($1, 11) + 0; if (i >= c) print $1 }' "$dir/pids")
    [ ${#surplus[@]} -eq 0 ] || stop "${surplus[@]}"
    # The pids file keeps only what runs: the ended processes' lines go, so a later start may take their names.
    awk -v gone=" ${old_proxies[*]} ${surplus[*]} " 'index(gone, " " $1 " ") == 0' "$dir/pids" > "$dir/pids.new" && mv "$dir/pids.new" "$dir/pids"
    for ((i = 0; i < count; i++)); do running "memcached-$i" || start_shard "$i"; done
    start_proxies
    map
    echo "local-pods.sh: now $count memcached processes and $n proxy stand-ins routing over them" >&2
    ;;
  shard) [ $# -eq 4 ] || usage; start_shard "$4" ;;
  proxy) [ $# -eq 7 ] || usage; start_proxy "$4" "$5" "$6" "$7" ;;
  map) [ $# -eq 3 ] || usage; map ;;
  *) usage ;;
esac
