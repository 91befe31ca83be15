#!/usr/bin/env bash
# Try the cache here, with nothing installed but the README's packages: no Docker, no cloud account, no kind.
#
#   scripts/try.sh            the `local` stack on a Docker-free control plane, checked the lab's way; run it again and
#                             it reuses what it built (the engines, the jar, the control plane, the stack)
#   scripts/try.sh key <key> [<value>]   set a key through a proxy, read it back, and say which shard holds it
#   scripts/try.sh resize --to <N> [--window <d>] [--yes]   scripts/resize.sh on the try-out's stack
#   scripts/try.sh down       end every process it started and remove its directory
#
# What it does: builds the real engines from Go modules (scripts/engines.sh; about 20 minutes on two cores the first
# time, nothing after), the program's jar, starts the control plane (scripts/local-cluster.sh: etcd, the API server,
# the controller manager, the scheduler and kwok, in a network namespace of its own), deploys the `local` stack with
# the real Pulumi CLI, Java host and Kubernetes provider (a file backend and a passphrase of its own), puts what
# answers behind the pods (scripts/lib/local-pods.sh: a memcached process per shard, a proxy stand-in per node,
# `kubectl exec` mapped), runs the lab's checks (scripts/lab-checks.sh), and prints the stack's outputs and what to
# try next.
#
# Everything lives in MEMCACHED_GKE_TRY_DIR (default ~/.cache/memcached-gke/try): the state, the passphrase, a copy
# of the project (its stack file takes the salt `pulumi stack init` writes, never the repository's), the control
# plane. It never changes a committed file. Needs root (a network namespace), JDK 17+, Go, python3, memcached,
# openssl, iproute2 (README, "Try it").
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
state=${MEMCACHED_GKE_TRY_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/memcached-gke/try}
stack=local
# shellcheck source=lib/jar.sh
. "$here/lib/jar.sh"
say() { echo "try: $*"; }
fail() { echo "try: FAIL: $*" >&2; exit 1; }

down() {
  if [ -d "$state/cluster" ]; then
    "$here/local-cluster.sh" down "$state/cluster" || true
  fi
  rm -rf "$state"
  say "stopped: every process of the try-out ended, $state removed"
}

# The engines on PATH and a Pulumi of our own: a private PULUMI_HOME holding the engines' provider, a file backend,
# the passphrase in a file, no update check, no download, no provider taken from PATH (the warning it prints).
pulumi_env() {
  export PULUMI_HOME="$state/home" PULUMI_BACKEND_URL="file://$state/backend"
  export PULUMI_CONFIG_PASSPHRASE_FILE="$state/passphrase" PULUMI_SKIP_UPDATE_CHECK=true
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true PULUMI_IGNORE_AMBIENT_PLUGINS=true
}
in_cluster() { "$here/local-cluster.sh" run "$state/cluster" -- "$@"; }
pulumi_() { (cd "$state/project" && in_cluster pulumi "$@" --stack "$stack" --non-interactive); }

up() {
  [ "$(id -u)" = 0 ] || fail "needs root: the control plane runs in a network namespace of its own"
  local missing=() c
  for c in java go python3 memcached openssl ip unshare nsenter flock; do
    command -v "$c" >/dev/null || missing+=("$c")
  done
  [ ${#missing[@]} -eq 0 ] || fail "not on PATH: ${missing[*]} (README: the packages to install, and JDK 17+ and Go 1.26)"
  mkdir -p "$state"

  say "1/7 the engines (scripts/engines.sh: built once from Go modules, about 20 minutes on two cores; reused after)"
  local engines
  engines=$("$here/engines.sh" | tail -n 1)
  say "    engines in $engines"

  say "2/7 the program's jar"
  (cd "$repo" && program_jar >/dev/null) || fail "the program's jar could not be built"
  say "    target/memcached-gke.jar"

  say "3/7 the control plane (scripts/local-cluster.sh: etcd, kube-apiserver, controller manager, scheduler, kwok)"
  if [ -f "$state/cluster/pids" ] && in_cluster true 2>/dev/null; then
    say "    running already: $state/cluster"
  else
    rm -rf "$state/cluster"
    MEMCACHED_GKE_ENGINES=$engines LOCAL_CLUSTER_EXEC_PATH="$repo/e2e/fakes/pod-bin" \
      "$here/local-cluster.sh" up "$state/cluster" >/dev/null
    say "    up: $state/cluster (kubectl: scripts/local-cluster.sh run $state/cluster -- kubectl get nodes)"
  fi

  say "4/7 the stack: the real CLI, a file backend and a passphrase of its own"
  pulumi_env
  if [ ! -f "$state/passphrase" ]; then
    python3 -c 'import secrets; print(secrets.token_urlsafe(24))' > "$state/passphrase"
    chmod 600 "$state/passphrase"
  fi
  mkdir -p "$state/backend" "$state/project"
  # A copy of the project: `pulumi stack init` writes its salt into the copy's stack file.
  cp "$repo/Pulumi.yaml" "$state/project/"
  [ -f "$state/project/Pulumi.$stack.yaml" ] || grep -v '^encryptionsalt:\|^secretsprovider:\|^encryptedkey:' \
    "$repo/Pulumi.$stack.yaml" > "$state/project/Pulumi.$stack.yaml"
  local l
  for l in target scripts e2e policies; do ln -sfn "$repo/$l" "$state/project/$l"; done
  if [ ! -d "$state/home/plugins/resource-kubernetes-v4.0.0" ]; then
    in_cluster pulumi plugin install resource kubernetes v4.0.0 --file "$engines/pulumi-resource-kubernetes" >/dev/null
  fi
  if ! (cd "$state/project" && in_cluster pulumi stack select "$stack" --non-interactive) >/dev/null 2>&1; then
    (cd "$state/project" && in_cluster pulumi stack init "$stack" --secrets-provider passphrase --non-interactive) >/dev/null
  fi
  say "    state: $state/backend; passphrase: $state/passphrase (PULUMI_CONFIG_PASSPHRASE_FILE)"

  say "5/7 pulumi up (the namespace, the shards, the proxies, the metrics exporters, the sample app, the checks)"
  pulumi_ up --yes --skip-preview --suppress-progress | sed 's/^/    /'

  say "6/7 what answers behind the pods (kwok runs no container): a memcached per shard, a proxy stand-in per node"
  pulumi_ stack output --json > "$state/outputs.json"
  if ! grep -q '^memcached-0 ' "$state/cluster/pids"; then
    "$here/lib/local-pods.sh" start "$state/cluster" "$state/outputs.json"
  else
    "$here/lib/local-pods.sh" map "$state/cluster" "$state/outputs.json"
  fi

  say "7/7 the lab's checks (scripts/lab-checks.sh: every command of GSP116, through kubectl exec)"
  (cd "$state/project" && in_cluster env E2E_POD_TIMEOUT=60 bash scripts/lab-checks.sh "$stack") | sed 's/^/    /'

  say "the stack's outputs:"
  pulumi_ stack output | sed 's/^/    /'
  cat <<EOF
try: what to try next:
    scripts/try.sh key greeting hello                 a key through a proxy, and the shard that holds it
    scripts/local-cluster.sh run $state/cluster -- kubectl -n memcached get pods -o wide
    scripts/impact.sh local --to 4                    what growing to 4 shards costs the cache, cold and warm
    scripts/try.sh resize --to 4 --window 2m          ... and doing it warm (scripts/resize.sh on this try-out)
try: what is real here: the Pulumi CLI, the Java host and the Kubernetes provider, the API server and every object
    the program declares, the memcached processes the keys land on. What is not: kwok fakes the nodes and runs no
    container (pods turn Ready on their own; Jobs complete without running), a stand-in answers for each mcrouter
    (e2e/fakes/mcrouter-standin.py: mcrouter's ch3 routing and admin keys), and names resolve through a map instead
    of cluster DNS.
try: done. Tear it down with: scripts/try.sh down
EOF
}

key() {
  local k=${1:?usage: scripts/try.sh key <key> [<value>]} v=${2:-hello}
  [ -f "$state/outputs.json" ] || fail "nothing to try against: run scripts/try.sh first"
  pulumi_env
  local port=25000
  printf '%s\n' "$k" > "$state/key.txt"
  in_cluster python3 "$repo/e2e/mctool.py" setget 127.0.0.1 "$port" "$k" "$v" >/dev/null \
    || fail "set/get of $k through the proxy stand-in on 127.0.0.1:$port failed"
  say "set $k=$v through a proxy and read it back"
  local where
  # The locator reads the try-out's own stack file (a resize here changes it, never the repository's).
  where=$(cd "$state/project" && java -cp target/memcached-gke.jar io.memcachedgke.tools.Locate "$stack" "$state/key.txt" 2>/dev/null | head -n 1)
  say "the locator (mcrouter's ch3): $where"
  local i=0 server
  while read -r server; do
    if in_cluster python3 "$repo/e2e/mctool.py" get 127.0.0.1 $((21211 + i)) "$k" "$v" >/dev/null 2>&1; then
      say "held by shard $i (${server%%.*}), its memcached on 127.0.0.1:$((21211 + i))"
    fi
    i=$((i + 1))
  done < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["memcachedServers"]))' "$state/outputs.json")
}

# scripts/resize.sh on the try-out's stack (its copy of the project, its state and passphrase), then the shards and
# proxy stand-ins follow the new list.
resize() {
  [ -f "$state/outputs.json" ] || fail "nothing to resize: run scripts/try.sh first"
  pulumi_env
  (cd "$state/project" && in_cluster java -cp target/memcached-gke.jar io.memcachedgke.tools.ResizeCommand "$stack" "$@")
  pulumi_ stack output --json > "$state/outputs.json"
  "$here/lib/local-pods.sh" follow "$state/cluster" "$state/outputs.json"
}

case "${1:-up}" in
  up) up ;;
  key) shift; key "$@" ;;
  resize) shift; resize "$@" ;;
  down) down ;;
  *) echo "usage: scripts/try.sh [up | key <key> [<value>] | resize --to <N> [--window <d>] [--yes] | down]" >&2; exit 2 ;;
esac
