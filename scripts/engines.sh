#!/usr/bin/env bash
# Builds, from their Go modules, the real engines the test command drives, and prints as its LAST line the directory
# that holds them side by side: pulumi, its language hosts pulumi-language-java, -yaml and -nodejs, the SDK generator
# pulumi-sdkgen, the policy shim pulumi-analyzer-policy-nodejs,
# pulumi-resource-kubernetes (and with --with-gcp pulumi-resource-gcp), etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, kubectl, kwok, kwok-stages/ (the Stage objects kwok runs), kwok-crds/
# (the kinds that map exec and port forwarding to local processes), memcached_exporter (the exporter the program
# deploys beside the shards) and cert-manager-crds/ (cert-manager's CustomResourceDefinitions, no controller).
#
# Usage: scripts/engines.sh [--with-gcp]
#
# Versions: scripts/engines.versions (the Pulumi CLI's: .github/pulumi-version). docs/engines.md says why each is
# the one it is.
# Cache: $MEMCACHED_GKE_ENGINE_CACHE (default ~/.cache/memcached-gke/engines), outside the work tree, one directory
# per engine and version (<engine>-<version>/), so only an engine whose version changed is rebuilt. Every build
# happens in a fresh directory that is renamed into place only when complete (no half-written binary is ever
# seen), under a per-engine lock (flock), so concurrent runs wait for each other instead of corrupting the cache.
# Go's own module and build caches (GOMODCACHE, GOCACHE) make a rebuild after a version change cheaper still.
# MEMCACHED_GKE_ENGINES=<dir>: use binaries you already have. The script checks that <dir> holds every one and
# prints it; it builds nothing.
#
# A failed build ends with ONE line naming the engine, its version and the command that failed, and exit 1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

with_gcp=no
for arg in "$@"; do
  case "$arg" in
    --with-gcp) with_gcp=yes ;;
    *) echo "usage: scripts/engines.sh [--with-gcp]" >&2; exit 2 ;;
  esac
done

# A build's scratch directories, removed however the script ends: only a complete build is ever renamed into place.
scratch=()
cleanup() { [ ${#scratch[@]} -eq 0 ] || rm -rf "${scratch[@]}"; }
trap cleanup EXIT
fail() { echo "engines.sh: $*" >&2; exit 1; }

# The binaries a complete set holds (what the tests and local-cluster.sh look for).
required=(pulumi pulumi-language-java pulumi-language-yaml with-nodejs/pulumi with-nodejs/pulumi-language-nodejs pulumi-sdkgen
  pulumi-analyzer-policy-nodejs pulumi-resource-kubernetes etcd kube-apiserver kube-controller-manager kube-scheduler
  kubectl kwok memcached_exporter)
[ "$with_gcp" = yes ] && required+=(pulumi-resource-gcp)

if [ -n "${MEMCACHED_GKE_ENGINES:-}" ]; then
  dir=$(cd "$MEMCACHED_GKE_ENGINES" 2>/dev/null && pwd) || fail "MEMCACHED_GKE_ENGINES=$MEMCACHED_GKE_ENGINES is not a directory"
  missing=()
  for b in "${required[@]}"; do [ -x "$dir/$b" ] || missing+=("$b"); done
  [ -d "$dir/kwok-stages" ] || missing+=("kwok-stages/")
  [ -d "$dir/kwok-crds" ] || missing+=("kwok-crds/")
  [ -d "$dir/cert-manager-crds" ] || missing+=("cert-manager-crds/")
  [ ${#missing[@]} -eq 0 ] || fail "MEMCACHED_GKE_ENGINES=$dir lacks ${missing[*]}"
  echo "$dir"
  exit 0
fi

command -v go >/dev/null || fail "go is not on PATH (the engines are built from Go modules; docs/engines.md)"
command -v python3 >/dev/null || fail "python3 is not on PATH (it reads the modules' go.mod files)"
command -v flock >/dev/null || fail "flock is not on PATH (util-linux)"

cache=${MEMCACHED_GKE_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/memcached-gke/engines}
mkdir -p "$cache/locks" "$cache/logs" "$cache/work"
cache=$(cd "$cache" && pwd)

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-buildvcs=false -mod=mod" GOWORK=off

pulumi_version=v$(tr -d '[:space:]' < "$repo/.github/pulumi-version")
declare -A module version stamp
while read -r name mod ver stmp; do
  case "$name" in '' | '#'*) continue ;; esac
  module[$name]=$mod version[$name]=$ver stamp[$name]=$stmp
done < "$here/engines.versions"

log=""
current=""
# Runs a build command; on failure prints the one line and the log's tail, and exits.
step() {
  if ! "$@" >>"$log" 2>&1; then
    tail -n 25 "$log" >&2
    fail "$current: '$*' failed (full log: $log)"
  fi
}

# Where `go mod download` put a module version.
module_dir() { go mod download -json "$1@$2" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j.get("Dir") or sys.exit(j.get("Error", "no Dir")))'; }

# Writes the go.mod of a wrapper module that requires <module>@<version> and repeats the target's own replace
# directives: a versioned replace as it is, a replace by a local path (a sibling module of the same repository,
# which `go install` refuses) as that module at the version the mapping gives (default: the version the target
# requires it at). The target's go.mod is read with `go mod edit -json`.
#   write_wrapper <dir> <module> <version> <target go.mod> [<python expression for a sibling's version, given path p and required version r>]
write_wrapper() {
  local wdir=$1 mod=$2 ver=$3 gomod=$4 mapping=${5:-r}
  go mod edit -json "$gomod" | python3 -c '
import json, sys
mod, ver, mapping = sys.argv[1], sys.argv[2], sys.argv[3]
j = json.load(sys.stdin)
required = {r["Path"]: r["Version"] for r in j.get("Require") or []}
lines = ["module engines.local/wrapper", "", "go " + j["Go"], "", "require " + mod + " " + ver, ""]
for r in j.get("Replace") or []:
    old, new = r["Old"], r["New"]
    if new.get("Version"):
        lines.append("replace %s => %s %s" % (old["Path"], new["Path"], new["Version"]))
    else:
        p, r_ = old["Path"], required.get(old["Path"])
        if r_ is None:
            continue  # a module the target does not require (etcd: go.etcd.io/tests/v3): nothing to repeat
        lines.append("replace %s => %s %s" % (p, p, eval(mapping, {"p": p, "r": r_, "ver": ver})))
print("\n".join(lines))' "$mod" "$ver" "$mapping" > "$wdir/go.mod"
}

# Whether an engine's cache directory is complete: its marker and every file this recipe puts there (so a recipe
# that now writes more rebuilds an older directory instead of trusting it).
complete() {
  local dir=$1 f
  shift
  [ -f "$dir/.complete" ] || return 1
  for f in "$@"; do [ -e "$dir/$f" ] || return 1; done
}

# Builds one engine unless its cache directory is complete. The body (a function) builds into $out.
#   build <engine> <version> <body> <files it writes...>
build() {
  local name=$1 ver=$2 body=$3 final="$cache/$1-$2"
  shift 3
  complete "$final" "$@" && return 0
  local lock="$cache/locks/$name-$ver.lock"
  exec {lockfd}>"$lock"
  if ! flock -n "$lockfd"; then
    # Another build holds it: say who, and wait for it (its result is reused).
    echo "engines.sh: waiting for $name $ver: $(cat "$lock.holder" 2>/dev/null || echo 'another run') is building it" >&2
    flock "$lockfd"
  fi
  echo "PID $$ (since $(date -u +%T) UTC)" > "$lock.holder"
  if ! complete "$final" "$@"; then
    current="$name $ver"
    log="$cache/logs/$name-$ver.log"
    : > "$log"
    local last=""
    [ -f "$cache/logs/$name.took" ] && last="; its last build took $(cat "$cache/logs/$name.took") s"
    echo "engines.sh: building $name $ver (log: $log$last)" >&2
    local started=$SECONDS
    out=$(mktemp -d "$cache/work/$name-$ver.out.XXXXXX")
    wdir=$(mktemp -d "$cache/work/$name-$ver.src.XXXXXX")
    scratch+=("$out" "$wdir")
    "$body"
    date -u +%FT%TZ > "$out/.complete"
    rm -rf "$final"
    mv "$out" "$final"
    rm -rf "$wdir"
    echo "$((SECONDS - started))" > "$cache/logs/$name.took"
    echo "engines.sh: built $name $ver in $((SECONDS - started)) s" >&2
  fi
  rm -f "$lock.holder"
  flock -u "$lockfd"
  exec {lockfd}>&-
}

body_pulumi() {
  local d
  d=$(module_dir github.com/pulumi/pulumi/pkg/v3 "$pulumi_version") || fail "$current: module not served"
  write_wrapper "$wdir" github.com/pulumi/pulumi/pkg/v3 "$pulumi_version" "$d/go.mod" ver
  cd "$wdir"
  step go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$pulumi_version" "github.com/pulumi/pulumi/sdk/v3@$pulumi_version"
  # Release builds use these tags and stamp the version (without it the CLI calls itself a dev build).
  step go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$pulumi_version" \
    -o "$out/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  cd "$repo"
}

# A language host: one main package of a module, its version stamped.
#   go_main <engine> <main package, relative to the module> <the version variable's package, relative>
go_main() {
  local n=$1 cmd=$2 versionpkg=$3 d
  d=$(module_dir "${module[$n]}" "${version[$n]}") || fail "$current: module not served"
  write_wrapper "$wdir" "${module[$n]}" "${version[$n]}" "$d/go.mod"
  cd "$wdir"
  step go get "${module[$n]}/$cmd@${version[$n]}"
  step go build -trimpath -ldflags "-s -w -X ${module[$n]}/$versionpkg.Version=${stamp[$n]}" \
    -o "$out/$n" "${module[$n]}/$cmd"
  cd "$repo"
}

body_java() { go_main pulumi-language-java pkg/cmd/pulumi-language-java pkg/version; }
body_yaml() { go_main pulumi-language-yaml cmd/pulumi-language-yaml pkg/version; }
body_nodejs() { go_main pulumi-language-nodejs nodejs/cmd/pulumi-language-nodejs go/common/version; }

# The SDK generator (scripts/engines/sdkgen/main.go, this repository's): the code generators of the CLI's release.
body_sdkgen() {
  local d
  d=$(module_dir github.com/pulumi/pulumi/pkg/v3 "$pulumi_version") || fail "$current: module not served"
  write_wrapper "$wdir" github.com/pulumi/pulumi/pkg/v3 "$pulumi_version" "$d/go.mod" ver
  cp "$here/engines/sdkgen/main.go" "$wdir/"
  cd "$wdir"
  step go get "github.com/pulumi/pulumi/pkg/v3@$pulumi_version" "github.com/pulumi/pulumi/sdk/v3@$pulumi_version"
  step go mod tidy
  step go build -trimpath -ldflags "-s -w" -o "$out/pulumi-sdkgen" .
  cd "$repo"
}

# A provider whose main package embeds a schema generated at build time (schema-embed.json: schema.json with its
# version set, as the provider's own generate step writes it): built from a copy of the module with that file added.
#   provider_copy <module> <version> <cmd dir> <stamp>
provider_copy() {
  local mod=$1 ver=$2 cmd=$3 stmp=$4 d
  d=$(module_dir "$mod" "$ver") || fail "$current: module $mod@$ver is not served"
  cp -r "$d" "$wdir/provider"
  chmod -R u+w "$wdir/provider"
  step python3 - "$wdir/provider/$cmd" "${stmp#v}" <<'PY'
import json, os, sys
cmd, version = sys.argv[1], sys.argv[2]
with open(os.path.join(cmd, "schema.json")) as f:
    spec = json.load(f)
spec["version"] = version
with open(os.path.join(cmd, "schema-embed.json"), "w") as f:
    json.dump(spec, f, separators=(",", ":"))
mapping = os.path.join(cmd, "terraform-mapping.json")
if os.path.exists(mapping):
    with open(mapping) as f, open(os.path.join(cmd, "terraform-mapping-embed.json"), "w") as g:
        json.dump(json.load(f), g, separators=(",", ":"))
PY
  write_wrapper "$wdir" "$mod" "$ver" "$d/go.mod"
  echo "replace $mod => ./provider" >> "$wdir/go.mod"
}

body_kubernetes_provider() {
  local n=pulumi-resource-kubernetes
  provider_copy "${module[$n]}" "${version[$n]}" cmd/pulumi-resource-kubernetes "${stamp[$n]}"
  cd "$wdir"
  step go get "${module[$n]}/cmd/pulumi-resource-kubernetes@${version[$n]}"
  step go build -trimpath -ldflags "-s -w -X ${module[$n]}/pkg/version.Version=${stamp[$n]}" \
    -o "$out/pulumi-resource-kubernetes" "${module[$n]}/cmd/pulumi-resource-kubernetes"
  cd "$repo"
}

body_gcp_provider() {
  local n=pulumi-resource-gcp
  provider_copy "${module[$n]}" "${version[$n]}" cmd/pulumi-resource-gcp "${stamp[$n]}"
  cd "$wdir"
  step go get "${module[$n]}/cmd/pulumi-resource-gcp@${version[$n]}"
  step go build -trimpath -ldflags "-s -w -X ${module[$n]}/pkg/version.Version=${stamp[$n]}" \
    -o "$out/pulumi-resource-gcp" "${module[$n]}/cmd/pulumi-resource-gcp"
  cd "$repo"
}

body_etcd() {
  local n=etcd d
  d=$(module_dir "${module[$n]}" "${version[$n]}") || fail "$current: module not served"
  write_wrapper "$wdir" "${module[$n]}" "${version[$n]}" "$d/go.mod"
  # etcd's own main package lives in the root module go.etcd.io/etcd/v3, which the proxy does not serve; it is
  # nothing but this call (etcd's main.go).
  printf 'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n' > "$wdir/main.go"
  cd "$wdir"
  step go get "${module[$n]}/etcdmain@${version[$n]}"
  step go build -trimpath -ldflags "-s -w" -o "$out/etcd" .
  cd "$repo"
}

body_k8s() {
  local n=kubernetes ver=${version[kubernetes]} d commit minor
  d=$(module_dir "${module[$n]}" "$ver") || fail "$current: module not served"
  # Every staging module (k8s.io/api, ...) is required at v0.0.0 and replaced by path: each is published as
  # v0.<minor>.<patch> of the same release.
  write_wrapper "$wdir" "${module[$n]}" "$ver" "$d/go.mod" '"v0." + ver.split(".", 1)[1]'
  commit=$(go mod download -json "${module[$n]}@$ver" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("Origin", {}).get("Hash", ""))')
  minor=$(echo "$ver" | cut -d. -f2)
  # The version every component reports (/version); the kubernetes provider refuses a server that says v0.0.0.
  local x="" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    x="$x -X $pkg.gitVersion=$ver -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitCommit=$commit"
    x="$x -X $pkg.gitTreeState=clean -X $pkg.buildDate=$(go list -m -json "${module[$n]}@$ver" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Time"])')"
  done
  cd "$wdir"
  step go get "${module[$n]}/cmd/kube-apiserver@$ver" "${module[$n]}/cmd/kube-controller-manager@$ver" \
    "${module[$n]}/cmd/kube-scheduler@$ver" "${module[$n]}/cmd/kubectl@$ver"
  step go build -trimpath -ldflags "-s -w $x" -o "$out/" "${module[$n]}/cmd/kube-apiserver" \
    "${module[$n]}/cmd/kube-controller-manager" "${module[$n]}/cmd/kube-scheduler" "${module[$n]}/cmd/kubectl"
  cd "$repo"
}

body_kwok() {
  local n=kwok d
  d=$(module_dir "${module[$n]}" "${version[$n]}") || fail "$current: module not served"
  write_wrapper "$wdir" "${module[$n]}" "${version[$n]}" "$d/go.mod"
  cd "$wdir"
  step go get "${module[$n]}/cmd/kwok@${version[$n]}"
  step go build -trimpath -ldflags "-s -w" -o "$out/kwok" "${module[$n]}/cmd/kwok"
  # kwok 0.8 runs only the Stage objects it is given (--config). The module's own stock stages: nodes initialized and
  # kept alive with a Lease; pods Ready; pods of Jobs Succeeded; deleted pods removed.
  mkdir -p "$out/kwok-stages"
  local s
  for s in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    step cp "$d/kustomize/stage/$s" "$out/kwok-stages/"
  done
  # The kinds that map `kubectl exec` and port forwarding to local processes, as objects in the API server
  # (kwok --enable-crds): their CustomResourceDefinitions, from the module.
  mkdir -p "$out/kwok-crds"
  for s in execs clusterexecs portforwards clusterportforwards; do
    step cp "$d/kustomize/crd/bases/kwok.x-k8s.io_$s.yaml" "$out/kwok-crds/"
  done
  chmod -R u+w "$out/kwok-stages" "$out/kwok-crds"
  cd "$repo"
}

# The memcached exporter: its main package, the version stamped where a release build (promu) stamps it (the
# version package is prometheus/common's, not the exporter module's).
body_memcached_exporter() {
  local n=memcached-exporter d
  d=$(module_dir "${module[$n]}" "${version[$n]}") || fail "$current: module not served"
  write_wrapper "$wdir" "${module[$n]}" "${version[$n]}" "$d/go.mod"
  cd "$wdir"
  step go get "${module[$n]}/cmd/memcached_exporter@${version[$n]}"
  step go build -trimpath -ldflags "-s -w -X github.com/prometheus/common/version.Version=${stamp[$n]}" \
    -o "$out/memcached_exporter" "${module[$n]}/cmd/memcached_exporter"
  cd "$repo"
}

# cert-manager's CustomResourceDefinitions for the kinds the program declares (and the ones their issuance goes
# through), copied from the module: `go mod download` only, nothing compiled.
body_cert_manager_crds() {
  local n=cert-manager-crds d s
  d=$(module_dir "${module[$n]}" "${version[$n]}") || fail "$current: module not served"
  mkdir -p "$out/cert-manager-crds"
  for s in certificates certificaterequests issuers clusterissuers; do
    step cp "$d/deploy/crds/cert-manager.io_$s.yaml" "$out/cert-manager-crds/"
  done
  chmod -R u+w "$out/cert-manager-crds"
}

build pulumi "$pulumi_version" body_pulumi pulumi
build pulumi-language-java "${version[pulumi-language-java]}" body_java pulumi-language-java
build pulumi-language-yaml "${version[pulumi-language-yaml]}" body_yaml pulumi-language-yaml
build pulumi-language-nodejs "${version[pulumi-language-nodejs]}" body_nodejs pulumi-language-nodejs
sdkgen_key="$pulumi_version-$(cksum < "$here/engines/sdkgen/main.go" | cut -d' ' -f1)"
build pulumi-sdkgen "$sdkgen_key" body_sdkgen pulumi-sdkgen
build pulumi-resource-kubernetes "${version[pulumi-resource-kubernetes]}" body_kubernetes_provider pulumi-resource-kubernetes
build etcd "${version[etcd]}" body_etcd etcd
build kubernetes "${version[kubernetes]}" body_k8s kube-apiserver kube-controller-manager kube-scheduler kubectl
build kwok "${version[kwok]}" body_kwok kwok kwok-stages kwok-crds
build memcached-exporter "${version[memcached-exporter]}" body_memcached_exporter memcached_exporter
build cert-manager-crds "${version[cert-manager-crds]}" body_cert_manager_crds \
  cert-manager-crds/cert-manager.io_certificates.yaml cert-manager-crds/cert-manager.io_certificaterequests.yaml \
  cert-manager-crds/cert-manager.io_issuers.yaml cert-manager-crds/cert-manager.io_clusterissuers.yaml
[ "$with_gcp" = yes ] && build pulumi-resource-gcp "${version[pulumi-resource-gcp]}" body_gcp_provider pulumi-resource-gcp

# The set: one directory of hard links, named for the versions it holds, replaced whole when it changes. Hard, not
# symbolic: the CLI looks for its bundled language hosts next to the file it runs from after resolving symlinks
# (sdk/go/common/workspace/plugins.go, getPluginInfoAndPath), so pulumi-language-java must sit beside it for real.
key="pulumi-$pulumi_version"
for n in pulumi-language-java pulumi-language-yaml pulumi-language-nodejs pulumi-resource-kubernetes etcd kubernetes kwok \
  memcached-exporter cert-manager-crds; do
  key="$key $n-${version[$n]}"
done
key="$key pulumi-sdkgen-$sdkgen_key layout-3"
[ "$with_gcp" = yes ] && key="$key pulumi-resource-gcp-${version[pulumi-resource-gcp]}"
key="$key shim-$(cksum < "$here/engines/pulumi-analyzer-policy-nodejs" | cut -d' ' -f1)"
set_dir="$cache/set-$(printf '%s' "$key" | cksum | cut -d' ' -f1)"
if [ ! -f "$set_dir/.complete" ]; then
  tmp=$(mktemp -d "$cache/work/set.XXXXXX")
  ln "$cache/pulumi-$pulumi_version/pulumi" "$tmp/pulumi"
  ln "$cache/pulumi-language-java-${version[pulumi-language-java]}/pulumi-language-java" "$tmp/"
  ln "$cache/pulumi-language-yaml-${version[pulumi-language-yaml]}/pulumi-language-yaml" "$tmp/"
  # The Node.js host is not beside `pulumi` itself: found there, the CLI would run policy packs through it, and v3.68.0
  # cannot (its RunPlugin answers "not supported"); without it, the CLI falls back to the policy shim. A second CLI
  # beside it (with-nodejs/pulumi, the same binary) runs Node.js programs.
  mkdir "$tmp/with-nodejs"
  for b in pulumi pulumi-language-java pulumi-language-yaml; do ln "$tmp/$b" "$tmp/with-nodejs/"; done
  ln "$cache/pulumi-language-nodejs-${version[pulumi-language-nodejs]}/pulumi-language-nodejs" "$tmp/with-nodejs/"
  ln "$cache/pulumi-sdkgen-$sdkgen_key/pulumi-sdkgen" "$tmp/"
  ln "$cache/pulumi-resource-kubernetes-${version[pulumi-resource-kubernetes]}/pulumi-resource-kubernetes" "$tmp/"
  ln "$cache/etcd-${version[etcd]}/etcd" "$tmp/"
  for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    ln "$cache/kubernetes-${version[kubernetes]}/$b" "$tmp/"
  done
  ln "$cache/kwok-${version[kwok]}/kwok" "$tmp/"
  cp -r "$cache/kwok-${version[kwok]}/kwok-stages" "$cache/kwok-${version[kwok]}/kwok-crds" "$tmp/"
  ln "$cache/memcached-exporter-${version[memcached-exporter]}/memcached_exporter" "$tmp/"
  cp -r "$cache/cert-manager-crds-${version[cert-manager-crds]}/cert-manager-crds" "$tmp/"
  [ "$with_gcp" = yes ] && ln "$cache/pulumi-resource-gcp-${version[pulumi-resource-gcp]}/pulumi-resource-gcp" "$tmp/"
  cp "$here/engines/pulumi-analyzer-policy-nodejs" "$tmp/"
  chmod +x "$tmp/pulumi-analyzer-policy-nodejs"
  printf '%s\n' "$key" > "$tmp/.complete"
  exec {setfd}>"$cache/locks/set.lock"
  flock "$setfd"
  if [ ! -f "$set_dir/.complete" ]; then rm -rf "$set_dir"; mv "$tmp" "$set_dir"; else rm -rf "$tmp"; fi
  flock -u "$setfd"
fi
echo "$set_dir"
