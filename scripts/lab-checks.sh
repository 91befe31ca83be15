#!/usr/bin/env bash
# Every check of the lab (GSP116, "Deploying Memcached on Kubernetes Engine"), against a deployed stack:
#   1. the pods: every memcached shard, a proxy on every node, the sample app
#   2. the Service is headless (cluster IP None) and lists one endpoint per shard on 11211
#   3. telnet-style set/get on every shard by its DNS name (the lab's telnet session)
#   4. set/get through the proxy on the node: the node's IP on the host port (hostPort), or the node-local
#      Service (nodeLocalService); and the lab's way, a proxy pod's IP on the proxy port
#   5. NODE_NAME in the sample app is the node it runs on
#   6. the lab's Python snippets: service discovery with a hashing client (in a toolbox pod), and the app's
#      client on its own node's proxy (in a sample-app pod)
# The conversations run in the cluster, in a pod with the sample app's python image (e2e/mctool.py, the
# standard library only), which the script creates and deletes. With mutual TLS (the stack's tlsClientSecret
# output names a Secret), that pod mounts the Secret and the conversations with the shards (3 and the service
# discovery of 6) go over TLS with its client certificate (scripts/lib/e2e-lib.sh, mct_shard); the proxies'
# (4 and 6) stay plain text, as applications talk to them.
#
# Usage: scripts/lab-checks.sh STACK        (reads the stack's outputs with `pulumi stack output --json`)
# Needs: pulumi, kubectl, python3. Prints "lab: ok: ..." per check; on failure one "lab: FAIL: ..." line, exit 1.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
E2E_NAME=lab
# shellcheck source=lib/e2e-lib.sh
. "$here/lib/e2e-lib.sh"

[ $# -eq 1 ] || { echo "usage: scripts/lab-checks.sh STACK" >&2; exit 2; }
cd "$E2E_ROOT"
trap e2e_cleanup EXIT
e2e_init "$1"
count=${#SERVERS[@]}
say "stack $STACK: namespace $NS, $count shards, proxy port $MC_PORT, exposure $EXPOSURE"

# 1. The pods.
ready=$(k get statefulset "$MEMCACHED" -o 'jsonpath={.status.readyReplicas}') || die "no StatefulSet $MEMCACHED in namespace $NS"
[ "${ready:-0}" -ge "$count" ] || die "StatefulSet $MEMCACHED has ${ready:-0} ready pods, the stack declares $count"
proxies=$(k get daemonset "$MCROUTER" -o 'jsonpath={.status.desiredNumberScheduled} {.status.numberReady}') \
  || die "no DaemonSet $MCROUTER in namespace $NS"
read -r desired proxies_ready <<<"$proxies"
if [ "${desired:-0}" -eq 0 ] || [ "${proxies_ready:-0}" -lt "$desired" ]; then
  die "DaemonSet $MCROUTER has ${proxies_ready:-0} of ${desired:-0} proxies ready (one per node)"
fi
app=$(k get deployment sample-application-py -o 'jsonpath={.spec.replicas} {.status.readyReplicas}') \
  || die "no Deployment sample-application-py in namespace $NS (sampleApp.enabled)"
read -r app_want app_ready <<<"$app"
[ "${app_ready:-0}" -ge "${app_want:-1}" ] || die "Deployment sample-application-py has ${app_ready:-0} of ${app_want:-?} pods ready"
say "ok: pods: $ready memcached, $proxies_ready mcrouter (one per node), $app_ready sample-application-py"

# 2. The headless Service and its endpoints.
cluster_ip=$(k get service "$MEMCACHED" -o 'jsonpath={.spec.clusterIP}') || die "no Service $MEMCACHED in namespace $NS"
[ "$cluster_ip" = None ] || die "Service $MEMCACHED has cluster IP '$cluster_ip' (expected None: headless)"
mapfile -t endpoints < <(k get endpoints "$MEMCACHED" -o 'jsonpath={range .subsets[*].addresses[*]}{.ip}{"\n"}{end}' | grep .)
[ "${#endpoints[@]}" -eq "$count" ] || die "Service $MEMCACHED has ${#endpoints[@]} endpoints (${endpoints[*]:-none}), expected $count"
ports=$(k get endpoints "$MEMCACHED" -o 'jsonpath={.subsets[*].ports[*].port}')
[ "$ports" = 11211 ] || die "Service $MEMCACHED endpoints listen on '$ports' (expected 11211)"
say "ok: Service $MEMCACHED is headless (clusterIP None) with $count endpoints on 11211: ${endpoints[*]}"

toolbox_up lab
node=$(k get pod "$TOOLBOX" -o 'jsonpath={.spec.nodeName}')

# 3. The lab's telnet session, on every shard by its DNS name (over TLS, its certificate checked for that name).
i=0
for server in "${SERVERS[@]}"; do
  out=$(mct_shard setget "${server%:*}" "${server##*:}" "lab-mykey-$i" hello) \
    || die "telnet-style set/get on shard $server: $(printf '%s\n' "$out" | grep -m1 FAIL || echo no reply)"
  i=$((i + 1))
done
say "ok: set/get on every shard by its DNS name (${SERVERS[*]})${TLS_SECRET:+ over mutual TLS}"

# 4. Through the proxy on the node, as the stack exposes it, then the lab's way (a proxy pod's IP).
if [ "$EXPOSURE" = hostPort ]; then
  node_ip=$(k get pod "$TOOLBOX" -o 'jsonpath={.status.hostIP}')
  via="$node_ip:$MC_PORT (the host port on node $node)"
  out=$(mct setget "$node_ip" "$MC_PORT" anotherkey "Mcrouter is fun") || die "set/get through $via: $(printf '%s\n' "$out" | grep -m1 FAIL || echo no reply)"
else
  via="$MC_SERVICE_HOST:$MC_PORT (the node-local Service, from node $node)"
  out=$(mct setget "$MC_SERVICE_HOST" "$MC_PORT" anotherkey "Mcrouter is fun") || die "set/get through $via: $(printf '%s\n' "$out" | grep -m1 FAIL || echo no reply)"
fi
say "ok: set/get anotherkey through $via"
pod_ip=$(k get pods -l "app=$MCROUTER" -o 'jsonpath={.items[0].status.podIP}')
[ -n "$pod_ip" ] || die "no mcrouter pod with an IP (label app=$MCROUTER)"
out=$(mct get "$pod_ip" "$MC_PORT" anotherkey "Mcrouter is fun") || die "get anotherkey through the mcrouter pod $pod_ip:$MC_PORT: $(printf '%s\n' "$out" | grep -m1 FAIL || echo no reply)"
say "ok: get anotherkey through the mcrouter pod $pod_ip:$MC_PORT (MCROUTER_POD_IP, the lab's way)"

# 5. NODE_NAME in the sample app.
app_pod=$(k get pods -l app=sample-application-py -o 'jsonpath={.items[0].metadata.name}')
[ -n "$app_pod" ] || die "no sample-application-py pod"
app_node=$(k get pod "$app_pod" -o 'jsonpath={.spec.nodeName}')
# shellcheck disable=SC2016 # $NODE_NAME is the pod's, expanded in the pod
env_node=$(k exec "$app_pod" -c python -- sh -c 'echo "$NODE_NAME"') || die "kubectl exec into $app_pod failed"
[ -n "$env_node" ] || env_node="(empty)"
[ "$env_node" = "$app_node" ] || die "NODE_NAME in $app_pod is '$env_node' but the pod runs on node '$app_node'"
say "ok: NODE_NAME in $app_pod is its node, $app_node"

# 6. The lab's Python snippets.
out=$(mct_shard lab-python "$SERVICE_HOST" 11211 "$count") || die "Python service discovery: $(printf '%s\n' "$out" | grep -m1 FAIL || echo no output)"
say "ok: Python: $(printf '%s\n' "$out" | tail -n 1 | sed 's/^OK: //')"
out=$(k exec -i "$app_pod" -c python -- python - app-check "$EXPOSURE" "$MC_PORT" anotherkey "Mcrouter is fun" <"$E2E_ROOT/e2e/mctool.py") \
  || die "Python in the sample app $app_pod: $(printf '%s\n' "$out" | grep -m1 FAIL || echo no output)"
say "ok: Python in $app_pod: $(printf '%s\n' "$out" | tail -n 1 | sed 's/^OK: //')"
say "OK: every check of the lab passed against stack $STACK"
