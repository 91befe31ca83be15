#!/usr/bin/env bash
# A Kubernetes control plane with no Docker, for the real-engine suite and for trying the program by hand: etcd,
# kube-apiserver, kube-controller-manager, kube-scheduler and kwok (fake kubelets for a few fake nodes), each a
# process, in a network namespace of its own whose only interface is loopback: whatever address a component
# picks, no packet can leave the machine.
#
#   scripts/local-cluster.sh up [<dir>]              start it in <dir> (a new temp dir if omitted); last line:
#                                                   export KUBECONFIG=<dir>/kubeconfig
#   scripts/local-cluster.sh run <dir> -- <cmd...>   run <cmd> where the control plane is reachable (inside its
#                                                   network namespace, KUBECONFIG and the engines on PATH); its
#                                                   exit code is the command's
#   scripts/local-cluster.sh start <dir> <name> -- <cmd...>
#                                                   start <cmd> detached inside the namespace (what answers behind a
#                                                   pod: a memcached, a proxy's stand-in), its output in
#                                                   <dir>/logs/<name>.log; `down` ends it with the rest
#   scripts/local-cluster.sh down <dir>              end exactly the processes `up` and `start` started (by PID and
#                                                   start time) and remove <dir>
#
# Needs root (a network namespace), the engines (scripts/engines.sh, or MEMCACHED_GKE_ENGINES), openssl, iproute2
# and util-linux (unshare, nsenter). Tunables: LOCAL_CLUSTER_NODES (4), LOCAL_CLUSTER_TIMEOUT (90 s),
# LOCAL_CLUSTER_EXEC_PATH (directories put first on the PATH of the commands kwok runs for `kubectl exec`).
# `kubectl exec` into a pod runs a local process, inside the namespace, as kwok's Exec and ClusterExec objects say
# (their CRDs are installed; kwok --enable-crds).
# cert-manager's CustomResourceDefinitions (Certificate, CertificateRequest, Issuer, ClusterIssuer, from the engines'
# cert-manager-crds/) are installed too, server-side (no 150 kB last-applied copy of each Issuer schema), and `up`
# waits until they are Established: the API server then checks the program's cert-manager
# objects against cert-manager's own schema. No cert-manager controller runs: nothing issues a Certificate.
# Addresses (docs/engines.md): everything listens on 127.0.0.1 inside the namespace; Services get 10.96.0.0/16 and
# pods 10.244.0.0/16 (kwok's --cidr), ranges Kubernetes accepts in Services and EndpointSlices (it refuses
# loopback there) and that route nowhere from the namespace. The API server advertises 127.0.0.1 and so keeps no
# endpoints for the `kubernetes` Service (--endpoint-reconciler-type=none, kubernetes/kubernetes#121942).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

fail() { echo "local-cluster.sh: $*" >&2; exit 1; }
usage() { echo "usage: scripts/local-cluster.sh up [<dir>] | run <dir> -- <command...> | start <dir> <name> -- <command...> | down <dir>" >&2; exit 2; }

# Ports inside the namespace: private to it, so two clusters never collide.
ETCD_PORT=2379 ETCD_PEER_PORT=2380 APISERVER_PORT=6443 CM_PORT=10257 SCHED_PORT=10259 KWOK_PORT=10247
nodes=${LOCAL_CLUSTER_NODES:-4}
timeout=${LOCAL_CLUSTER_TIMEOUT:-90}

# A process's start time (field 22 of /proc/<pid>/stat): with the PID, it names one process for good.
start_time() { awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null || true; }

netns_pid() {
  local pid
  pid=$(awk '$1 == "netns" { print $2 }' "$1/pids" 2>/dev/null) || true
  { [ -n "$pid" ] && [ -e "/proc/$pid/ns/net" ]; } || fail "$1 holds no running control plane (scripts/local-cluster.sh up $1)"
  echo "$pid"
}

in_netns() { nsenter --net="/proc/$netns/ns/net" -- "$@"; }

engines_dir() {
  if [ -f "$1/engines" ]; then cat "$1/engines"; else "$here/engines.sh" | tail -n 1; fi
}

# Starts a component in the namespace, detached, its output in <dir>/logs/<name>.log; records its PID.
start() {
  local name=$1
  shift
  setsid nsenter --net="/proc/$netns/ns/net" -- "$@" >"$dir/logs/$name.log" 2>&1 < /dev/null &
  local pid=$!
  echo "$name $pid $(start_time "$pid")" >> "$dir/pids"
}

wait_for() {
  local what=$1 deadline=$((SECONDS + timeout))
  shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { tail -n 20 "$dir"/logs/*.log >&2 || true; fail "$what: not ready after ${timeout} s (logs: $dir/logs)"; }
    sleep 0.5
  done
}

pki() {
  local p=$dir/pki
  mkdir -p "$p"
  (
    cd "$p"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj "/CN=memcached-gke-local-ca" 2>/dev/null
    # One admin certificate, as kwokctl's binary runtime does: the API server's and kwok's serving certificate,
    # every component's client identity (system:masters), and the service-account signing key.
    openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj "/O=system:masters/CN=kubernetes-admin" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth,clientAuth\n' > admin.ext
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt -days 2 -extfile admin.ext 2>/dev/null
    openssl rsa -in admin.key -pubout -out sa.pub 2>/dev/null
  ) || fail "openssl could not write the certificates in $p"
  cat > "$dir/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority: $p/ca.crt
users:
- name: admin
  user:
    client-certificate: $p/admin.crt
    client-key: $p/admin.key
contexts:
- name: local
  context: {cluster: local, user: admin}
current-context: local
EOF
}

node_manifest() {
  local i
  for i in $(seq 0 $((nodes - 1))); do
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/hostname: kwok-node-$i
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    topology.kubernetes.io/zone: local-$((i % 2))
    type: kwok
status:
  allocatable: {cpu: "4", memory: 16Gi, pods: "110", ephemeral-storage: 100Gi}
  capacity: {cpu: "4", memory: 16Gi, pods: "110", ephemeral-storage: 100Gi}
EOF
  done
}

up() {
  [ "$(id -u)" = 0 ] || fail "needs root (a network namespace of its own)"
  if [ -n "${1:-}" ]; then
    dir=$1
    [ ! -e "$dir" ] || [ -z "$(ls -A "$dir")" ] || fail "$dir is not empty"
    mkdir -p "$dir"
  else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/memcached-gke-cluster.XXXXXX")
  fi
  dir=$(cd "$dir" && pwd)
  local started=$SECONDS engines
  engines=$(engines_dir "$dir") || fail "the engines could not be built (scripts/engines.sh)"
  echo "$engines" > "$dir/engines"
  mkdir -p "$dir/logs" "$dir/etcd"
  : > "$dir/pids"

  # The namespace lives as long as its holder; loopback is its only interface, brought up.
  setsid unshare --net -- sh -c 'ip link set lo up && exec sleep infinity' </dev/null >/dev/null 2>&1 &
  netns=$!
  echo "netns $netns $(start_time "$netns")" >> "$dir/pids"
  wait_for "network namespace" sh -c "nsenter --net=/proc/$netns/ns/net -- ip -o link show lo | grep -q UP"

  pki
  local p=$dir/pki
  start etcd "$engines/etcd" --name=node0 --data-dir="$dir/etcd" \
    --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="node0=http://127.0.0.1:$ETCD_PEER_PORT" \
    --auto-compaction-retention=1 --quota-backend-bytes=2147483648 --unsafe-no-fsync=true
  # Admission as a cluster has it (the default plugins: ServiceAccount, Pod Security, LimitRanger, ...), and RBAC.
  start kube-apiserver "$engines/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address=127.0.0.1 --secure-port="$APISERVER_PORT" --advertise-address=127.0.0.1 \
    --endpoint-reconciler-type=none \
    --service-cluster-ip-range=10.96.0.0/16 \
    --authorization-mode=Node,RBAC --allow-privileged=true \
    --tls-cert-file="$p/admin.crt" --tls-private-key-file="$p/admin.key" --client-ca-file="$p/ca.crt" \
    --kubelet-client-certificate="$p/admin.crt" --kubelet-client-key="$p/admin.key" \
    --kubelet-certificate-authority="$p/ca.crt" --kubelet-preferred-address-types=InternalIP \
    --service-account-key-file="$p/sa.pub" --service-account-signing-key-file="$p/admin.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --proxy-client-cert-file="$p/admin.crt" --proxy-client-key-file="$p/admin.key" \
    --requestheader-client-ca-file="$p/ca.crt" --requestheader-allowed-names=kubernetes-admin \
    --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra-
  wait_for "kube-apiserver" in_netns "$engines/kubectl" --kubeconfig="$dir/kubeconfig" get --raw /readyz
  start kube-controller-manager "$engines/kube-controller-manager" --kubeconfig="$dir/kubeconfig" \
    --authentication-kubeconfig="$dir/kubeconfig" --authorization-kubeconfig="$dir/kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$CM_PORT" --leader-elect=false \
    --root-ca-file="$p/ca.crt" --service-account-private-key-file="$p/admin.key" --use-service-account-credentials \
    --cluster-signing-cert-file="$p/ca.crt" --cluster-signing-key-file="$p/ca.key" \
    --kube-api-qps=500 --kube-api-burst=1000
  start kube-scheduler "$engines/kube-scheduler" --kubeconfig="$dir/kubeconfig" \
    --authentication-kubeconfig="$dir/kubeconfig" --authorization-kubeconfig="$dir/kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$SCHED_PORT" --leader-elect=false --kube-api-qps=500 --kube-api-burst=1000
  awk 'FNR == 1 && NR > 1 { print "---" } { print }' "$engines"/kwok-stages/*.yaml > "$dir/kwok.yaml"
  in_netns "$engines/kubectl" --kubeconfig="$dir/kubeconfig" apply -f "$engines/kwok-crds/" >> "$dir/logs/crds.log" 2>&1 ||
    fail "kwok's CustomResourceDefinitions could not be created (log: $dir/logs/crds.log)"
  wait_for "kwok's CustomResourceDefinitions" in_netns "$engines/kubectl" --kubeconfig="$dir/kubeconfig" wait \
    --for=condition=Established crd --all --timeout=1s
  in_netns "$engines/kubectl" --kubeconfig="$dir/kubeconfig" apply --server-side --field-manager=local-cluster \
    -f "$engines/cert-manager-crds/" >> "$dir/logs/crds.log" 2>&1 ||
    fail "cert-manager's CustomResourceDefinitions could not be created (log: $dir/logs/crds.log)"
  wait_for "cert-manager's CustomResourceDefinitions" in_netns "$engines/kubectl" --kubeconfig="$dir/kubeconfig" wait \
    --for=condition=Established crd/certificates.cert-manager.io crd/certificaterequests.cert-manager.io \
    crd/issuers.cert-manager.io crd/clusterissuers.cert-manager.io --timeout=1s
  # kwok's own server (exec, logs, port forwarding) on the nodes' InternalIP and kubelet port.
  start kwok env PATH="${LOCAL_CLUSTER_EXEC_PATH:+$LOCAL_CLUSTER_EXEC_PATH:}$PATH" \
    "$engines/kwok" --kubeconfig="$dir/kubeconfig" --config="$dir/kwok.yaml" \
    --enable-crds=Exec,ClusterExec,PortForward,ClusterPortForward \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --cidr=10.244.0.0/16 --node-ip=127.0.0.1 --node-port="$KWOK_PORT" --server-address="127.0.0.1:$KWOK_PORT" \
    --tls-cert-file="$p/admin.crt" --tls-private-key-file="$p/admin.key" --node-lease-duration-seconds=40
  node_manifest | in_netns "$engines/kubectl" --kubeconfig="$dir/kubeconfig" apply -f - >> "$dir/logs/nodes.log" 2>&1 ||
    fail "the nodes could not be created (log: $dir/logs/nodes.log)"
  wait_for "nodes Ready" in_netns "$engines/kubectl" --kubeconfig="$dir/kubeconfig" wait --for=condition=Ready node --all --timeout=1s
  # Pods need their namespace's ServiceAccount, which the controller manager creates.
  wait_for "default ServiceAccount" in_netns "$engines/kubectl" --kubeconfig="$dir/kubeconfig" get serviceaccount default -n default
  echo "local-cluster.sh: $nodes nodes Ready in $((SECONDS - started)) s ($dir)" >&2
  echo "export KUBECONFIG=$dir/kubeconfig"
}

run() {
  dir=$(cd "${1:?}" 2>/dev/null && pwd) || fail "no directory ${1:-}"
  shift
  [ "${1:-}" = "--" ] || usage
  shift
  [ $# -gt 0 ] || usage
  netns=$(netns_pid "$dir")
  local engines
  engines=$(cat "$dir/engines")
  KUBECONFIG="$dir/kubeconfig" PATH="$engines:$PATH" exec nsenter --net="/proc/$netns/ns/net" -- "$@"
}

# A process of the caller's (a pod's stand-in), detached in the namespace, ended by `down` like a component.
start_detached() {
  dir=$(cd "${1:?}" 2>/dev/null && pwd) || fail "no directory ${1:-}"
  local name=${2:?}
  shift 2
  [ "${1:-}" = "--" ] || usage
  shift
  [ $# -gt 0 ] || usage
  netns=$(netns_pid "$dir")
  PATH="$(cat "$dir/engines"):$PATH" KUBECONFIG="$dir/kubeconfig" start "$name" "$@"
}

down() {
  dir=$(cd "${1:?}" 2>/dev/null && pwd) || fail "no directory ${1:-}"
  [ -f "$dir/pids" ] || fail "$dir was not made by scripts/local-cluster.sh up"
  local name pid st alive=()
  # The components first, newest first; the namespace's holder last.
  while read -r name pid st; do
    if [ -z "$pid" ] || [ "$(start_time "$pid")" != "$st" ]; then continue; fi
    kill -TERM "$pid" 2>/dev/null || true
    alive+=("$pid:$st")
  done < <(tac "$dir/pids")
  local deadline=$((SECONDS + 15)) entry
  for entry in "${alive[@]}"; do
    pid=${entry%%:*} st=${entry#*:}
    while [ "$(start_time "$pid")" = "$st" ]; do
      if [ $SECONDS -ge $deadline ]; then kill -KILL "$pid" 2>/dev/null || true; sleep 0.2; break; fi
      sleep 0.1
    done
  done
  rm -rf "$dir"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  up) [ $# -le 1 ] || usage; up "${1:-}" ;;
  run) [ $# -ge 3 ] || usage; run "$@" ;;
  start) [ $# -ge 4 ] || usage; start_detached "$@" ;;
  down) [ $# -eq 1 ] || usage; down "$1" ;;
  *) usage ;;
esac
