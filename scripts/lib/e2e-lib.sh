# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables set here are the sourcing scripts'
# Shared by scripts/lab-checks.sh and scripts/e2e.sh (sourced, never run): the stack's outputs, kubectl
# pointed at the stack's cluster and namespace, and an in-cluster toolbox pod that runs e2e/mctool.py with
# the sample app's python image, from where applications talk to the cache.
#
# Mutual TLS (memcached-gke:tls.enabled): when the stack's tlsClientSecret output names a Secret (the operators'
# client certificate: tls.crt, tls.key, ca.crt), the toolbox mounts it read-only at $E2E_TLS_DIR, and mct_shard
# runs mctool.py with --tls-dir there: the conversations with a shard go over TLS with that certificate, the
# shard's certificate checked against the cache's CA and the name dialled. The proxies listen in plain text, so mct
# stays as it is. Without the output (or with it empty), every pod and every command is what it was without TLS.
#
# Every failure ends the script with ONE line, "<script>: FAIL: <what>", and a non-zero exit.

E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E_NAME=${E2E_NAME:-e2e}
# Names of what a run creates in the cluster: lowercase, digits and dashes.
E2E_RUN_ID=${E2E_RUN_ID:-$(date +%s)-$$}
E2E_FALLBACK_PYTHON_IMAGE=${E2E_FALLBACK_PYTHON_IMAGE:-python:3.13.9-alpine3.22}
E2E_WORK=""
E2E_CREATED=()
# Where the toolbox mounts the stack's tlsClientSecret: the program's own mount path for its certificates (the
# offline tests set another: their fake kubectl runs the toolbox's commands on the test machine).
E2E_TLS_DIR=${E2E_TLS_DIR:-/etc/memcached-gke/tls}

say() { printf '%s: %s\n' "$E2E_NAME" "$*"; }
E2E_FAILURE=""
die() {
  E2E_FAILURE="$*"
  printf '%s: FAIL: %s\n' "$E2E_NAME" "$*"
  exit 1
}
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is not on PATH ($2)"; }

# json FILE KEY: a top-level value of a JSON object; a list prints one item a line; missing prints nothing.
json() {
  python3 - "$1" "$2" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
value = data.get(sys.argv[2])
if isinstance(value, list):
    print("\n".join(str(v) for v in value))
elif isinstance(value, bool):
    print("true" if value else "false")
elif value is not None:
    print(value)
PY
}

# The stack's outputs, and kubectl pointed at its cluster:
#   KUBECONFIG set by the caller wins; else the stack's own kubeconfig output (GKE stacks; through Connect
#   gateway for prod); else the current context, or memcached-gke:kubeContext when the stack sets it.
e2e_init() {
  STACK=$1
  need python3 "the checks parse JSON and run e2e/mctool.py with it"
  need kubectl "https://kubernetes.io/docs/tasks/tools/"
  need pulumi "the stack's outputs come from pulumi stack output"
  E2E_WORK=$(mktemp -d)
  OUTPUTS="$E2E_WORK/outputs.json"
  e2e_refresh_outputs
  NS=$(json "$OUTPUTS" namespace)
  SERVICE_HOST=$(json "$OUTPUTS" memcachedServiceHost)
  [ -n "$NS" ] || die "stack $STACK has no namespace output: run pulumi up first"
  [ -n "$SERVICE_HOST" ] || die "stack $STACK has no namespace/memcachedServiceHost output: run pulumi up first"
  # mycache-memcached.<ns>.svc.cluster.local -> mycache
  PREFIX=${SERVICE_HOST%%.*}
  PREFIX=${PREFIX%-memcached}
  MEMCACHED="$PREFIX-memcached"
  MCROUTER="$PREFIX-mcrouter"
  KUBE_CONTEXT=""
  if [ -z "${KUBECONFIG:-}" ] && [ -n "$(json "$OUTPUTS" kubeconfig)" ]; then
    pulumi stack output kubeconfig --show-secrets --stack "$STACK" >"$E2E_WORK/kubeconfig" \
      || die "cannot read the kubeconfig output of stack $STACK"
    export KUBECONFIG="$E2E_WORK/kubeconfig"
  elif [ -z "${KUBECONFIG:-}" ]; then
    KUBE_CONTEXT=$(pulumi config get memcached-gke:kubeContext --stack "$STACK" 2>/dev/null || true)
  fi
}

e2e_refresh_outputs() {
  pulumi stack output --json --stack "$STACK" >"$OUTPUTS" 2>"$E2E_WORK/outputs.err" \
    || die "pulumi stack output --json --stack $STACK: $(head -n 1 "$E2E_WORK/outputs.err")"
  mapfile -t SERVERS < <(json "$OUTPUTS" memcachedServers)
  MC_PORT=$(json "$OUTPUTS" mcrouterPort)
  MC_SERVICE_HOST=$(json "$OUTPUTS" mcrouterServiceHost)
  EXPOSURE=$(json "$OUTPUTS" mcrouterExposure)
  DIGEST=$(json "$OUTPUTS" mcrouterConfigDigest)
  TLS_SECRET=$(json "$OUTPUTS" tlsClientSecret)
  if [ "${#SERVERS[@]}" -eq 0 ] || [ -z "$MC_PORT" ] || [ -z "$DIGEST" ]; then
    die "stack $STACK lacks memcachedServers, mcrouterPort or mcrouterConfigDigest outputs"
  fi
}

# kubectl in the stack's namespace (and context, when the stack names one).
k() {
  if [ -n "$KUBE_CONTEXT" ]; then
    kubectl --context "$KUBE_CONTEXT" --namespace "$NS" "$@"
  else
    kubectl --namespace "$NS" "$@"
  fi
}

e2e_cleanup() {
  local what
  for what in "${E2E_CREATED[@]}"; do
    k delete "$what" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  done
  [ -z "$E2E_WORK" ] || rm -rf "$E2E_WORK"
}

# The image the sample app runs (python, alpine: the toolbox runs the same), or the fallback without one.
python_image() {
  local image
  image=$(k get deployment sample-application-py -o 'jsonpath={.spec.template.spec.containers[0].image}' 2>/dev/null || true)
  printf '%s' "${image:-$E2E_FALLBACK_PYTHON_IMAGE}"
}

# e2e/mctool.py as a ConfigMap the toolbox and load-generator pods mount at /tools.
TOOLS_CONFIGMAP=""
tools_configmap() {
  [ -z "$TOOLS_CONFIGMAP" ] || return 0
  TOOLS_CONFIGMAP="memcached-gke-e2e-tools-$E2E_RUN_ID"
  k create configmap "$TOOLS_CONFIGMAP" --from-file="mctool.py=$E2E_ROOT/e2e/mctool.py" >/dev/null \
    || die "cannot create ConfigMap $TOOLS_CONFIGMAP in namespace $NS"
  E2E_CREATED+=("configmap/$TOOLS_CONFIGMAP")
}

# pod_manifest NAME IMAGE MEMORY ARGS_JSON [tls]: a pod that passes the restricted Pod Security Standard, with the
# sample app's environment (NODE_NAME, MCROUTER_HOST/MCROUTER_PORT as the program sets them for the stack's
# exposure), labelled so the NetworkPolicies let it in: `run` as `kubectl run` labels the lab's pods (stacks
# with networkPolicy.allowKubectlRun), and the smoke test's client labels (every stack with the smoke test on).
# With `tls` and a tlsClientSecret: that Secret mounted read-only at $E2E_TLS_DIR, readable by the pod's group only
# (mode 0440, fsGroup 65534, as the program mounts its own client certificates).
pod_manifest() {
  local name=$1 image=$2 memory=$3 args=$4 host_env fs_group="" tls_volume="" tls_mount=""
  if [ "$EXPOSURE" = hostPort ]; then
    host_env='{"name": "MCROUTER_HOST", "valueFrom": {"fieldRef": {"fieldPath": "status.hostIP"}}}'
  else
    host_env="{\"name\": \"MCROUTER_HOST\", \"value\": \"$MC_SERVICE_HOST\"}"
  fi
  if [ "${5:-}" = tls ] && [ -n "$TLS_SECRET" ]; then
    fs_group=', "fsGroup": 65534'
    tls_volume=",
      {\"name\": \"tls\", \"secret\": {\"secretName\": \"$TLS_SECRET\", \"defaultMode\": 288}}"
    tls_mount=",
        {\"name\": \"tls\", \"mountPath\": \"$E2E_TLS_DIR\", \"readOnly\": true}"
  fi
  cat <<EOF
{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "name": "$name",
    "labels": {
      "run": "$name",
      "app": "$PREFIX-smoke",
      "app.kubernetes.io/name": "smoke-test",
      "app.kubernetes.io/instance": "$PREFIX",
      "memcached-gke/direct-client": "true",
      "memcached-gke/e2e-run": "$E2E_RUN_ID"
    }
  },
  "spec": {
    "restartPolicy": "Never",
    "activeDeadlineSeconds": 3600,
    "automountServiceAccountToken": false,
    "enableServiceLinks": false,
    "terminationGracePeriodSeconds": 1,
    "securityContext": {
      "runAsNonRoot": true, "runAsUser": 65534, "runAsGroup": 65534$fs_group,
      "seccompProfile": {"type": "RuntimeDefault"}
    },
    "volumes": [
      {"name": "tools", "configMap": {"name": "$TOOLS_CONFIGMAP"}},
      {"name": "tmp", "emptyDir": {"sizeLimit": "16Mi"}}$tls_volume
    ],
    "containers": [{
      "name": "python",
      "image": "$image",
      "command": ["python", "-u"],
      "args": $args,
      "env": [
        {"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
        $host_env,
        {"name": "MCROUTER_PORT", "value": "$MC_PORT"},
        {"name": "HOME", "value": "/tmp"},
        {"name": "PYTHONDONTWRITEBYTECODE", "value": "1"}
      ],
      "resources": {
        "requests": {"cpu": "100m", "memory": "$memory"},
        "limits": {"cpu": "100m", "memory": "$memory"}
      },
      "securityContext": {
        "allowPrivilegeEscalation": false, "privileged": false, "readOnlyRootFilesystem": true,
        "runAsNonRoot": true, "capabilities": {"drop": ["ALL"]}
      },
      "volumeMounts": [
        {"name": "tools", "mountPath": "/tools", "readOnly": true},
        {"name": "tmp", "mountPath": "/tmp"}$tls_mount
      ]
    }]
  }
}
EOF
}

# start_pod NAME MEMORY ARGS_JSON [tls]: applies the pod (toolbox or load generator), registered for cleanup.
start_pod() {
  local name=$1
  tools_configmap
  pod_manifest "$name" "$(python_image)" "$2" "$3" "${4:-}" | k apply -f - >/dev/null || die "cannot create pod $name in namespace $NS"
  E2E_CREATED+=("pod/$name")
}

# wait_ready NAME [HINT]: the pod is Ready within E2E_POD_TIMEOUT, or the run fails naming why (and HINT).
wait_ready() {
  local name=$1 reason
  if ! k wait --for=condition=Ready "pod/$name" --timeout="${E2E_POD_TIMEOUT:-180}s" >/dev/null 2>&1; then
    reason=$(k get pod "$name" -o 'jsonpath={.status.phase} {.status.containerStatuses[0].state.waiting.reason} {.status.conditions[?(@.type=="PodScheduled")].message}' 2>/dev/null || true)
    die "pod $name not ready in ${E2E_POD_TIMEOUT:-180}s: ${reason:-unknown}${2:+ ($2)}"
  fi
}

# The toolbox: a pod that sleeps; the checks run in it with `kubectl exec`. With mutual TLS it mounts the
# stack's tlsClientSecret (a pod waits in ContainerCreating while its Secret does not exist).
TOOLBOX=""
toolbox_up() {
  TOOLBOX="$1-$E2E_RUN_ID"
  start_pod "$TOOLBOX" 64Mi '["-c", "import time; time.sleep(3000)"]' tls
  if [ -n "$TLS_SECRET" ]; then
    wait_ready "$TOOLBOX" "it mounts Secret $TLS_SECRET, the stack's tlsClientSecret: does it exist in namespace $NS?"
    say "toolbox $TOOLBOX: the shards over mutual TLS with Secret $TLS_SECRET (tlsClientSecret) at $E2E_TLS_DIR"
  else
    wait_ready "$TOOLBOX"
  fi
}

# mct COMMAND ARGS...: e2e/mctool.py in the toolbox.
mct() { k exec "$TOOLBOX" -c python -- python /tools/mctool.py "$@"; }

# mct_shard COMMAND ARGS...: e2e/mctool.py in the toolbox for a command that talks to a shard directly (setget or
# get on a shard, lab-python, shard-keys, write-through): over TLS with the toolbox's client certificate when the
# stack has one.
mct_shard() {
  if [ -n "$TLS_SECRET" ]; then
    mct --tls-dir "$E2E_TLS_DIR" "$@"
  else
    mct "$@"
  fi
}

# Every proxy pod, "<pod IP>=<node>" a line.
proxy_pods() {
  k get pods -l "app=$MCROUTER" -o 'jsonpath={range .items[*]}{.status.podIP}{"="}{.spec.nodeName}{"\n"}{end}'
}

# Every proxy pod, "<name>=<uid>" a line, sorted.
proxy_uids() {
  k get pods -l "app=$MCROUTER" -o 'jsonpath={range .items[*]}{.metadata.name}{"="}{.metadata.uid}{"\n"}{end}' | sort
}

# check_proxies WAIT: every proxy pod reports the stack's mcrouterConfigDigest and its own node.
check_proxies() {
  local out entries
  mapfile -t entries < <(proxy_pods | grep -v '^=')
  [ "${#entries[@]}" -gt 0 ] || die "no mcrouter pod (label app=$MCROUTER) in namespace $NS"
  out=$(mct proxies "$MC_PORT" "$DIGEST" "$1" "${entries[@]}") \
    || die "proxies: $(printf '%s\n' "$out" | grep -m1 'FAIL' || printf '%s' "${out:-no output}")"
  say "every proxy reports config $DIGEST: $(printf '%s\n' "$out" | tail -n 1)"
}
