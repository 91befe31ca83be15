#!/usr/bin/env bash
# Runs an mcrouter image exactly as a stack's DaemonSet runs it, and proves it serves: the gate before
# .github/workflows/mcrouter-image.yml pushes a build.
#
# Usage: scripts/mcrouter-image-check.sh <image> <render dir>     (render: ./mvnw -B -q compile exec:java@render -Dstack=<s>)
#
# Needs docker and python3, and openssl for a render with mutual TLS. Every argument of the mcrouter container comes
# from the render (scripts/lib/mcrouter_as_deployed.py): its command and flags, the config file mounted read-only
# where the ConfigMap is mounted, tmpfs for the emptyDirs, the pod's user, a read-only root filesystem, no
# capabilities. The pool's shards are memcached containers of the stack's own memcached image on 127.0.0.1 (host
# network). Then, with e2e/mctool.py: a set and a get through mcrouter's port, and
# `get __mcrouter__.config_md5_digest` equal to the MD5 of the mounted config.json, with the node name the DaemonSet
# passes in --config-params.
#
# Mutual TLS (the render's memcached runs with -Z: memcached-gke:tls.enabled): a throwaway CA made here with openssl
# issues the shards' certificate (for 127.0.0.1, the address the proxy dials), the proxy's client certificate and one
# for this check. Each shard runs with the render's own TLS arguments, unchanged: the shards' files are mounted
# read-only where the StatefulSet mounts its Secret. mcrouter gets the proxy's files where the DaemonSet mounts its
# Secret (mcrouter_as_deployed.py --tls-dir), so its rendered --pem-* flags and the config's "use_ssl" pool are what
# reach the shards. Besides the set, the get and the digest: every shard answers this check's certificate over TLS
# before the proxy starts, refuses plain text, and holds keys written through the proxy (mctool.py --tls-dir
# shard-keys: the proxy wrote each shard over TLS). The shards' image is the stack's memcached image (docker-library's
# memcached is built with --enable-tls), not the runner's memcached; the runner needs only openssl (on GitHub's
# ubuntu-24.04 images). The keys are throwaway and the files world-readable (the containers' users read them from
# the bind mounts): nothing here is used again.
#
# Ends with one line: OK, or FAIL and why.
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
mctool() { python3 "$repo/e2e/mctool.py" "$@"; }

# The render's facts: how many shards the pool has, the memcached image, mcrouter's port (first line); then, when
# memcached serves TLS, where the StatefulSet mounts its Secret, then memcached's TLS arguments, one a line.
mapfile -t facts < <(python3 - "$render/resources.json" <<'PY' || echo "FAIL"
import json, sys
resources = json.load(open(sys.argv[1]))
def inputs(kind):
    return [r["inputs"] for r in resources if r["type"].startswith("kubernetes:") and r["inputs"].get("kind") == kind]
sts = [s for s in inputs("StatefulSet") if any(c["name"] == "memcached" for c in s["spec"]["template"]["spec"]["containers"])][0]
ds = [d for d in inputs("DaemonSet") if any(c["name"] == "mcrouter" for c in d["spec"]["template"]["spec"]["containers"])][0]
mcrouter = next(c for c in ds["spec"]["template"]["spec"]["containers"] if c["name"] == "mcrouter")
port = next(a.split("=", 1)[1] for a in mcrouter["args"] if a.startswith("--port="))
pod = sts["spec"]["template"]["spec"]
memcached = next(c for c in pod["containers"] if c["name"] == "memcached")
print(sts["spec"]["replicas"], memcached["image"], port)
args = memcached.get("args", [])
if "-Z" in args:
    # -Z and the -o that names the certificate files: as rendered.
    tls_args = ["-Z"]
    for i, a in enumerate(args[:-1]):
        if a == "-o" and "ssl_" in args[i + 1]:
            tls_args += ["-o", args[i + 1]]
    secrets = {v["name"] for v in pod.get("volumes", []) if "secret" in v}
    mounts = [m["mountPath"].rstrip("/") for m in memcached.get("volumeMounts", []) if m["name"] in secrets]
    files = [kv.split("=", 1)[1] for o in tls_args[2::2] for kv in o.split(",") if kv.split("=", 1)[0] in
             ("ssl_chain_cert", "ssl_key", "ssl_ca_cert")]
    if len(mounts) != 1 or sorted(files) != sorted(mounts[0] + "/" + f for f in ("tls.crt", "tls.key", "ca.crt")):
        sys.exit("memcached serves TLS, but not from tls.crt, tls.key and ca.crt of one mounted Secret: %s %s"
                 % (mounts, tls_args))
    print(mounts[0])
    print("\n".join(tls_args))
PY
)
if [ "${#facts[@]}" -eq 0 ] || [ "${facts[-1]}" = FAIL ]; then
  fail "cannot read the memcached StatefulSet and mcrouter DaemonSet of $render/resources.json"
fi
read -r shards memcached_image port <<<"${facts[0]}"
shard_mount=${facts[1]:-}
shard_tls=("${facts[@]:2}")

tls_volume=() deployed_tls=()
if [ -n "$shard_mount" ]; then
  command -v openssl >/dev/null 2>&1 || fail "the render's memcached serves mutual TLS: the check needs openssl"
  pki="$work/pki"
  mkdir -p "$pki"
  # ECDSA P-256, the usages cert-manager gives the program's Certificates; each leaf's directory as its Secret holds it.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" \
    -days 1 -subj /CN=mcrouter-image-check-ca -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>"$pki/openssl.log" || fail "openssl: $(tail -n 1 "$pki/openssl.log")"
  leaf() { # DIR NAME serverAuth|clientAuth
    local dir=$1 usage=$3
    mkdir -p "$dir"
    {
      echo "basicConstraints=CA:FALSE"
      echo "keyUsage=critical,digitalSignature,keyEncipherment"
      echo "extendedKeyUsage=$usage"
      [ "$usage" = clientAuth ] || echo "subjectAltName=IP:127.0.0.1"
    } >"$dir/ext.cnf"
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/tls.key" -out "$dir/tls.csr" \
      -subj "/CN=$2" 2>>"$pki/openssl.log" || fail "openssl: $(tail -n 1 "$pki/openssl.log")"
    openssl x509 -req -in "$dir/tls.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 1 \
      -out "$dir/tls.crt" -extfile "$dir/ext.cnf" 2>>"$pki/openssl.log" || fail "openssl: $(tail -n 1 "$pki/openssl.log")"
    cp "$pki/ca.crt" "$dir/ca.crt"
    rm -f "$dir/tls.csr" "$dir/ext.cnf"
    chmod 0755 "$dir"
    chmod 0644 "$dir/tls.crt" "$dir/tls.key" "$dir/ca.crt"
  }
  leaf "$work/shard-tls" mcrouter-image-check-memcached serverAuth
  leaf "$work/proxy-tls" mcrouter-image-check-mcrouter clientAuth
  leaf "$work/check-tls" mcrouter-image-check clientAuth
  tls_volume=(--volume "$work/shard-tls:$shard_mount:ro")
  deployed_tls=(--tls-dir "$work/proxy-tls")
fi

servers=()
for ((i = 0; i < shards; i++)); do
  p=$((21211 + i))
  containers+=("$(docker run -d --network host --user 11211:11211 --read-only --cap-drop ALL "${tls_volume[@]}" \
    "$memcached_image" memcached -l 127.0.0.1 -p "$p" -U 0 -m 16 "${shard_tls[@]}")")
  servers+=("127.0.0.1:$p")
done
if [ -n "$shard_mount" ]; then
  for server in "${servers[@]}"; do
    deadline=$((SECONDS + 30))
    until mctool --tls-dir "$work/check-tls" get "${server%:*}" "${server##*:}" mcrouter-image-check-tls >/dev/null; do
      [ "$SECONDS" -lt "$deadline" ] || fail "shard $server ($memcached_image ${shard_tls[*]}) does not answer over TLS in 30 s (is the image built with TLS? memcached -h | grep -i ssl)"
      sleep 1
    done
    ! mctool get "${server%:*}" "${server##*:}" mcrouter-image-check-tls >/dev/null \
      || fail "shard $server answers plain text: it does not serve TLS only"
  done
fi
python3 "$here/lib/mcrouter_as_deployed.py" "${deployed_tls[@]}" "$render" "$image" "$work/config" "$node" "${servers[@]}" \
  >"$work/run.args" 2>"$work/run.err" || fail "$(tail -n 1 "$work/run.err")"
mapfile -t run <"$work/run.args"
[ ${#run[@]} -gt 0 ] || fail "the render gives no mcrouter container"
echo "mcrouter-image-check: docker run --network host ${run[*]}"
containers+=("$(docker run -d --network host "${run[@]}")")

digest=$(md5sum "$work/config/config.json" | cut -d' ' -f1)
# Proxies take a moment to start and connect: mctool.py waits up to 60 s for the digest.
mctool proxies "$port" "$digest" 60 "127.0.0.1=$node" \
  || fail "mcrouter did not report config digest $digest and node $node on port $port"
mctool setget 127.0.0.1 "$port" mcrouter-image-check "built $(date -u +%FT%TZ)" \
  || fail "a set and a get through mcrouter on port $port did not return the value"
tls=""
if [ -n "$shard_mount" ]; then
  # 16 keys a shard through the proxy: mcrouter's ch3 puts some on every shard (fixed names: the same placement every
  # run, checked for pools of 1 to 64 shards with e2e/fakes/ch3.py); each shard, read over TLS, must hold some.
  for server in "${servers[@]}"; do
    held=$(mctool --tls-dir "$work/check-tls" shard-keys 127.0.0.1 "$port" "${server%:*}" "${server##*:}" \
      "mcrouter-image-check-$shards" $((16 * shards))) \
      || fail "keys set through mcrouter on port $port: $(printf '%s\n' "$held" | grep -m1 FAIL || echo no reply) (the proxy does not write shard $server over TLS)"
  done
  tls="; over mutual TLS: each shard refuses plain text and holds keys written through the proxy"
fi
echo "mcrouter-image-check: OK: $image runs as the render's DaemonSet runs it (port $port, $shards shards, digest $digest$tls)"
