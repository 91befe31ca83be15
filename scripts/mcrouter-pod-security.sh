#!/usr/bin/env bash
# Says plainly whether the mcrouter image the stack runs works under the pod security the program sets
# (runAsUser/runAsGroup 65534, runAsNonRoot, read-only root filesystem, all capabilities dropped, RuntimeDefault
# seccomp, an emptyDir at /var/mcrouter): it waits for the mcrouter DaemonSet(s) of the
# current kubectl context (label app.kubernetes.io/name=mcrouter, any namespace) to have every proxy ready, and
# otherwise names the image and why its pods do not run (waiting reason, last exit, last log lines).
# Works after a failed `pulumi up` too: it reads the cluster, not the stack's outputs.
#
# Usage: scripts/mcrouter-pod-security.sh [WAIT_SECONDS=120]   (kubectl on the cluster)
# Prints one "mcrouter: ..." verdict line (a GitHub annotation in Actions); exit 1 when the proxies do not run.
set -euo pipefail
wait_seconds=${1:-120}
annotate() {
  if [ "${GITHUB_ACTIONS:-}" = true ]; then printf '::%s title=mcrouter image::%s\n' "$1" "$2"; fi
  printf 'mcrouter: %s\n' "$2"
}
security="runAsUser 65534, read-only root filesystem, no capabilities"

deadline=$((SECONDS + wait_seconds))
while :; do
  sets=$(kubectl get daemonsets -A -l app.kubernetes.io/name=mcrouter \
    -o 'jsonpath={range .items[*]}{.metadata.namespace}{" "}{.metadata.name}{" "}{.status.desiredNumberScheduled}{" "}{.status.numberReady}{" "}{.spec.template.spec.containers[0].image}{"\n"}{end}' 2>/dev/null || true)
  [ -n "$sets" ] || { annotate error "no mcrouter DaemonSet in the cluster (did pulumi up create it?)"; exit 1; }
  bad=$(printf '%s\n' "$sets" | awk '$3 == 0 || $4 < $3')
  [ -n "$bad" ] || break
  [ "$SECONDS" -lt "$deadline" ] || break
  sleep 5
done

if [ -z "$bad" ]; then
  while read -r ns name desired ready image; do
    annotate notice "image $image runs under the program's pod security ($security): $ready of $desired proxies ready ($ns/$name)"
  done <<<"$sets"
  exit 0
fi

while read -r ns name desired ready image; do
  pods=$(kubectl -n "$ns" get pods -l "app=$name" -o 'jsonpath={range .items[*]}{.metadata.name}{"\n"}{end}' 2>/dev/null || true)
  reason=""
  for pod in $pods; do
    state=$(kubectl -n "$ns" get pod "$pod" -o 'jsonpath={.status.containerStatuses[?(@.name=="mcrouter")].state.waiting.reason} {.status.containerStatuses[?(@.name=="mcrouter")].state.waiting.message} {.status.containerStatuses[?(@.name=="mcrouter")].lastState.terminated.exitCode}' 2>/dev/null || true)
    logs=$(kubectl -n "$ns" logs "$pod" -c mcrouter --previous --tail=5 2>/dev/null || kubectl -n "$ns" logs "$pod" -c mcrouter --tail=5 2>/dev/null || true)
    reason="pod $pod: ${state:-no container state} | $(printf '%s' "$logs" | tr '\n' ' ')"
    break
  done
  case "$reason" in
    *ImagePull* | *ErrImage*) annotate error "image $image cannot be pulled ($ns/$name, ${ready:-0} of $desired ready): $reason" ;;
    *) annotate error "image $image cannot run under the program's pod security ($security): ${ready:-0} of $desired proxies ready after ${wait_seconds}s ($ns/$name); $reason. Fix the program's image or security settings (images/mcrouter builds one that runs as 65534), not this check." ;;
  esac
done <<<"$bad"
exit 1
