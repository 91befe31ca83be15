#!/usr/bin/env bash
# End-to-end proof of a deployed stack, runnable by hand against any stack's cluster (kind, dev, prod, an
# ephemeral GKE stack). In order:
#   lab       scripts/lab-checks.sh: every check of the lab
#   digest    every proxy pod reports the config digest the program computed (mcrouterConfigDigest)
#   resize    a warm resize N -> N+1 and back (memcached.resize: declared, finished, removed) under a bounded
#             in-cluster load generator:
#             miss ratio of live keys (expected near zero), stale reads and resurrected deletes (expected 0);
#             the proxies' pod UIDs before and after: a config change restarts no proxy
#   contrast  the same resizes without a resize block (plain replicas change), figures reported as the contrast
#   restart   a shard restart the proxies pick up within E2E_SHARD_PICKUP_SECONDS of the new pod being Ready
#   preview   pulumi preview --expect-no-changes: the stack is back to what its file declares
#
# Usage: scripts/e2e.sh STACK [--skip PART]...
# Needs: pulumi (logged in to the stack's backend), kubectl, python3, node (for the policy pack), the program
# jar (./mvnw -B -q package -DskipTests). Run from any directory; it works in the repository root.
#
# The resize, contrast and restart parts change the stack (they `pulumi up` with edited config, then restore
# the stack file and the deployment); on a stack whose memcached-gke:environment is production they run only
# with E2E_ALLOW_PRODUCTION=yes. Tunables (environment): E2E_RESIZE_WINDOW (2m), E2E_RESIZE_LEAD (120 s),
# E2E_SETTLE_SECONDS (20), E2E_LOADGEN_KEYS (2000), E2E_LOADGEN_RATE (200 ops/s), E2E_MAX_WARM_MISS_RATIO
# (0.01), E2E_SHARD_PICKUP_SECONDS (30), E2E_POLICY_PACK (auto|required|off).
# Prints "e2e: ..." progress; on failure ONE last line "e2e: FAIL: ..." and exit 1.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
E2E_NAME=e2e
# shellcheck source=lib/e2e-lib.sh
. "$here/lib/e2e-lib.sh"

usage() { echo "usage: scripts/e2e.sh STACK [--skip lab|digest|resize|contrast|restart|preview]..." >&2; exit 2; }
[ $# -ge 1 ] || usage
stack_arg=$1
shift
skip=" "
while [ $# -gt 0 ]; do
  case "$1" in
    --skip)
      [ $# -ge 2 ] || usage
      case "$2" in lab | digest | resize | contrast | restart | preview) skip="$skip$2 " ;; *) usage ;; esac
      shift 2
      ;;
    *) usage ;;
  esac
done
runs() { case "$skip" in *" $1 "*) say "skipped: $1"; return 1 ;; *) return 0 ;; esac; }

cd "$E2E_ROOT"
STACK_FILE="$E2E_ROOT/Pulumi.$stack_arg.yaml"
file_changed=no
deployed=no
PACK=()
restore() {
  local rc=$?
  if [ "$file_changed" = yes ]; then
    cp "$E2E_WORK/stack-file.yaml" "$STACK_FILE"
    if [ "$rc" -ne 0 ] && [ "$deployed" = yes ]; then
      say "restoring stack $STACK to its file after the failure (pulumi up)"
      pulumi up --yes --skip-preview --non-interactive --stack "$STACK" "${PACK[@]}" >"$E2E_WORK/restore.log" 2>&1 \
        || say "the restoring pulumi up failed too: run pulumi up --stack $STACK ($(tail -n 1 "$E2E_WORK/restore.log"))"
      # The failure stays the last line.
      [ -z "$E2E_FAILURE" ] || printf '%s: FAIL: %s\n' "$E2E_NAME" "$E2E_FAILURE"
    fi
  fi
  e2e_cleanup
  exit "$rc"
}
trap restore EXIT
e2e_init "$stack_arg"
[ -f "$STACK_FILE" ] || die "no $STACK_FILE: e2e.sh runs in the project that owns stack $STACK"
cp "$STACK_FILE" "$E2E_WORK/stack-file.yaml"
environment=$(pulumi config get memcached-gke:environment --stack "$STACK" 2>/dev/null || echo development)
n=${#SERVERS[@]}
say "stack $STACK ($environment): namespace $NS, $n shards, exposure $EXPOSURE, run $E2E_RUN_ID"

# The policy pack and the stack's pack configuration on every up and preview, as the workflows run them.
case "${E2E_POLICY_PACK:-auto}" in
  off) say "without the policy pack (E2E_POLICY_PACK=off)" ;;
  *)
    if [ -f policies/bin/index.js ] && [ -d policies/node_modules ] && command -v node >/dev/null 2>&1; then
      PACK=(--policy-pack policies --policy-pack-config "$(node policies/bin/conformance/config-of.js "$STACK")")
      say "policy pack: ${PACK[*]}"
    elif [ "${E2E_POLICY_PACK:-auto}" = required ]; then
      die "the policy pack is not built: npm ci --prefix policies && npm --prefix policies run build"
    else
      say "without the policy pack (not built: npm ci --prefix policies && npm --prefix policies run build)"
    fi
    ;;
esac

disruptive=yes
if [ "$environment" = production ] && [ "${E2E_ALLOW_PRODUCTION:-}" != yes ]; then
  disruptive=no
  say "production stack: the resize, contrast and restart parts change the cache and are left out (E2E_ALLOW_PRODUCTION=yes runs them)"
fi

pulumi_up() {
  [ -f target/memcached-gke.jar ] || die "no target/memcached-gke.jar: ./mvnw -B -q package -DskipTests first"
  local started=$SECONDS
  deployed=yes
  if ! pulumi up --yes --skip-preview --non-interactive --stack "$STACK" "${PACK[@]}" >"$E2E_WORK/up.log" 2>&1; then
    tail -n 30 "$E2E_WORK/up.log"
    die "pulumi up ($1) failed: $(grep -m1 -i 'error' "$E2E_WORK/up.log" || tail -n 1 "$E2E_WORK/up.log")"
  fi
  e2e_refresh_outputs
  say "pulumi up ($1): $((SECONDS - started))s, config $DIGEST, ${#SERVERS[@]} shards"
}

config_set() {
  file_changed=yes
  pulumi config set --path --stack "$STACK" "memcached-gke:$1" "$2" >/dev/null || die "pulumi config set $1 $2"
}

utc_in() { python3 -c 'import datetime, sys; t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=int(sys.argv[1])); print(t.strftime("%Y-%m-%dT%H:%M:%SZ"))' "$1"; }
epoch_of() { python3 -c 'import datetime, sys; print(int(datetime.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()))' "$1"; }
seconds_of() {
  case "$1" in
    *h) echo $((${1%h} * 3600)) ;;
    *m) echo $((${1%m} * 60)) ;;
    *s) echo "${1%s}" ;;
    *) die "E2E_RESIZE_WINDOW must be like 2m, 90s or 1h, not $1" ;;
  esac
}

wait_shards() {
  local want=$1 deadline=$((SECONDS + ${E2E_POD_TIMEOUT:-180})) ready
  while :; do
    ready=$(k get statefulset "$MEMCACHED" -o 'jsonpath={.status.replicas} {.status.readyReplicas}' || true)
    [ "$ready" = "$want $want" ] && return 0
    [ "$SECONDS" -lt "$deadline" ] || die "StatefulSet $MEMCACHED has replicas/ready '$ready' (expected $want $want)"
    sleep 2
  done
}

# --- the load generator: one in-cluster pod per measured change ------------------------------------------------
FIGURES=()
lg_index=0
LOADGEN=""
loadgen_start() {
  lg_index=$((lg_index + 1))
  LOADGEN="e2e-load-$lg_index-$E2E_RUN_ID"
  local deadline
  start_pod "$LOADGEN" 128Mi "[\"/tools/mctool.py\", \"loadgen\", \"--keys\", \"${E2E_LOADGEN_KEYS:-2000}\", \"--rate\", \"${E2E_LOADGEN_RATE:-200}\", \"--max-seconds\", \"1800\", \"--stop-file\", \"/tmp/stop\", \"--prefix\", \"e2e-$lg_index-$E2E_RUN_ID\"]"
  deadline=$((SECONDS + ${E2E_POD_TIMEOUT:-180}))
  until k logs "$LOADGEN" 2>/dev/null | grep '^loadgen: ready' >/dev/null; do
    if k logs "$LOADGEN" 2>/dev/null | grep 'FAIL' >/dev/null; then
      die "load generator: $(k logs "$LOADGEN" | grep -m1 FAIL)"
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "load generator $LOADGEN not ready in ${E2E_POD_TIMEOUT:-180}s"
    sleep 2
  done
  say "load generator $LOADGEN: $(k logs "$LOADGEN" | grep -m1 '^loadgen: ready' | sed 's/^loadgen: //')"
}

# loadgen_stop LABEL: stops the generator, keeps its figures; prints them.
RESULT=""
loadgen_stop() {
  k exec "$LOADGEN" -c python -- touch /tmp/stop >/dev/null || die "cannot stop the load generator $LOADGEN"
  k wait --for=jsonpath='{.status.phase}'=Succeeded "pod/$LOADGEN" --timeout=600s >/dev/null \
    || die "load generator $LOADGEN did not finish: $(k logs "$LOADGEN" --tail=3 2>/dev/null | tr '\n' ' ')"
  RESULT=$(k logs "$LOADGEN" | sed -n 's/^loadgen: RESULT //p' | tail -n 1)
  [ -n "$RESULT" ] || die "load generator $LOADGEN printed no RESULT line"
  local line
  line=$(python3 - "$1" "$RESULT" <<'PY'
import json, sys
r = json.loads(sys.argv[2])
d, a = r["during"], r["after"]
print("%-30s live-key miss ratio %.4f (%d of %d gets), stale reads %d, resurrected deletes %d, errors %d | "
      "after: miss ratio %.4f (%d of %d), stale %d, resurrected %d"
      % (sys.argv[1], d["live_miss_ratio"], d["live_misses"], d["live_gets"], d["stale"], d["resurrected"],
         d["errors"], a["live_miss_ratio"], a["live_misses"], a["live_gets"], a["stale"], a["resurrected"]))
PY
)
  FIGURES+=("$line")
  say "figures: $line"
}

# fig FIELD PATH: one figure of the last RESULT, e.g. fig during live_miss_ratio
fig() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]][sys.argv[3]])' "$RESULT" "$1" "$2"; }

assert_warm() {
  local label=$1 ratio stale res max=${E2E_MAX_WARM_MISS_RATIO:-0.01} phase
  for phase in during after; do
    ratio=$(fig "$phase" live_miss_ratio)
    stale=$(fig "$phase" stale)
    res=$(fig "$phase" resurrected)
    python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) <= float(sys.argv[2]) else 1)' "$ratio" "$max" \
      || die "$label: live-key miss ratio $phase the move is $ratio (expected at most $max)"
    [ "$stale" -eq 0 ] || die "$label: $stale stale reads $phase the move (expected 0)"
    [ "$res" -eq 0 ] || die "$label: $res deleted keys came back $phase the move (expected 0)"
  done
}

# warm_resize FROM TO: the runbook (docs/operations.md#resize-without-a-miss-storm) under load: declare the move
# with its start ahead of the up, let the window pass, finish it, then remove the block.
warm_resize() {
  local from=$1 to=$2 window start end lead
  window=${E2E_RESIZE_WINDOW:-2m}
  lead=${E2E_RESIZE_LEAD:-120}
  start=$(utc_in "$lead")
  end=$(($(epoch_of "$start") + $(seconds_of "$window") + ${E2E_SETTLE_SECONDS:-20}))
  config_set memcached.replicas "$to"
  config_set memcached.resize.from "$from"
  config_set memcached.resize.startTime "$start"
  config_set memcached.resize.window "$window"
  config_set memcached.resize.copyTtl 1h
  pulumi_up "warm $from->$to declared: start $start, window $window"
  wait_shards "$(( from > to ? from : to ))"
  check_proxies "${E2E_PROXY_WAIT:-120}"
  # Every proxy must run the moving config before keys start to switch (ResizeCaveatsTest: a start in the past
  # while some proxies still run the old config serves stale values).
  [ "$lead" -eq 0 ] || [ "$(date +%s)" -le "$(epoch_of "$start")" ] \
    || die "warm $from->$to: the move started at $start before every proxy had its config; raise E2E_RESIZE_LEAD (${lead}s)"
  while [ "$(date +%s)" -lt "$end" ]; do sleep 1; done
  config_set memcached.resize.finish true
  pulumi_up "warm $from->$to finishing"
  check_proxies "${E2E_PROXY_WAIT:-120}"
  pulumi config rm --path --stack "$STACK" memcached-gke:memcached.resize >/dev/null || die "pulumi config rm memcached.resize"
  pulumi_up "warm $from->$to ended"
  wait_shards "$to"
  check_proxies "${E2E_PROXY_WAIT:-120}"
}

plain_resize() {
  config_set memcached.replicas "$2"
  pulumi_up "plain $1->$2"
  wait_shards "$2"
  check_proxies "${E2E_PROXY_WAIT:-120}"
}

measure() {
  local mode=$1 from=$2 to=$3
  loadgen_start
  "${mode}_resize" "$from" "$to"
  loadgen_stop "$mode resize $from->$to"
}

# --- the parts -------------------------------------------------------------------------------------------------------
if runs lab; then
  "$here/lab-checks.sh" "$STACK" || die "the lab checks failed (the line above)"
fi

toolbox_up e2e

if runs digest; then
  check_proxies "${E2E_PROXY_WAIT:-60}"
fi

if [ "$disruptive" = yes ] && runs resize; then
  before=$(proxy_uids)
  [ -n "$before" ] || die "no mcrouter pod (label app=$MCROUTER)"
  measure warm "$n" "$((n + 1))"
  assert_warm "warm resize $n->$((n + 1))"
  measure warm "$((n + 1))" "$n"
  assert_warm "warm resize $((n + 1))->$n"
  after=$(proxy_uids)
  [ "$before" = "$after" ] || die "a proxy config change restarted proxy pods: before [$(echo "$before" | tr '\n' ' ')] after [$(echo "$after" | tr '\n' ' ')]"
  say "ok: 6 proxy config changes restarted no proxy pod ($(echo "$after" | grep -c .) pods kept their UIDs)"
fi

if [ "$disruptive" = yes ] && runs contrast; then
  measure plain "$n" "$((n + 1))"
  measure plain "$((n + 1))" "$n"
fi

if [ "$disruptive" = yes ] && runs restart; then
  shard=$((n > 1 ? 1 : 0))
  pod="$MEMCACHED-$shard"
  server=${SERVERS[$shard]}
  mapfile -t proxies < <(proxy_pods | grep -v '^=' | cut -d= -f1)
  [ "${#proxies[@]}" -gt 0 ] || die "no mcrouter pod (label app=$MCROUTER)"
  mapfile -t keys < <(mct_shard shard-keys "${proxies[0]}" "$MC_PORT" "${server%:*}" "${server##*:}" "e2e-restart-$E2E_RUN_ID" 48 | grep -v '^FAIL' | head -n 8)
  [ "${#keys[@]}" -gt 0 ] || die "no key set through proxy ${proxies[0]} landed on shard $server"
  old_uid=$(k get pod "$pod" -o 'jsonpath={.metadata.uid}') || die "no pod $pod"
  k delete pod "$pod" --wait=false >/dev/null || die "cannot delete pod $pod"
  deleted=$SECONDS
  deadline=$((SECONDS + ${E2E_POD_TIMEOUT:-180}))
  until uid=$(k get pod "$pod" -o 'jsonpath={.metadata.uid}' 2>/dev/null) && [ -n "$uid" ] && [ "$uid" != "$old_uid" ]; do
    [ "$SECONDS" -lt "$deadline" ] || die "StatefulSet $MEMCACHED did not recreate $pod in ${E2E_POD_TIMEOUT:-180}s"
    sleep 1
  done
  wait_ready "$pod"
  ready_at=$SECONDS
  limit=${E2E_SHARD_PICKUP_SECONDS:-30}
  for p in "${proxies[@]}"; do
    until mct_shard write-through "$p" "$MC_PORT" "${server%:*}" "${server##*:}" "${keys[@]}" >/dev/null 2>&1; do
      [ $((SECONDS - ready_at)) -le "$limit" ] || die "proxy $p did not write to the restarted $pod within ${limit}s of it being Ready"
      sleep 1
    done
  done
  say "ok: shard restart: every proxy (${#proxies[@]}) writes to the new $pod $((SECONDS - ready_at))s after it was Ready ($((SECONDS - deleted))s after the delete)"
fi

if runs preview; then
  if ! pulumi preview --expect-no-changes --non-interactive --stack "$STACK" "${PACK[@]}" >"$E2E_WORK/preview.log" 2>&1; then
    tail -n 30 "$E2E_WORK/preview.log"
    die "pulumi preview --expect-no-changes: stack $STACK differs from its file (above)"
  fi
  say "ok: pulumi preview --expect-no-changes: stack $STACK is what its file declares"
fi

if [ "${#FIGURES[@]}" -gt 0 ]; then
  say "cache behaviour under load (live keys: written and not deleted since; expected near 0 warm, about 1/(N+1) plain):"
  printf '  %s\n' "${FIGURES[@]}"
fi
say "OK: stack $STACK passed end to end"
