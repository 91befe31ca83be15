#!/usr/bin/env bash
# Deletes end-to-end GKE clusters left behind: those of the e2e project whose name starts with the end-to-end
# prefix (e2e-: e2e-gke.yml names its stack and cluster e2e-<run id>-<attempt>) and that carry the program's label
# part-of=memcached-gke (io.memcachedgke.gke.GkeCluster sets it on every cluster), older than a limit.
#
# Why: a cluster costs money every hour it runs, and a run can leave one whatever its destroy job does - a force
# cancel skips `if: always()` jobs, a destroy can fail, and a cluster create the CLI was killed in the middle of is
# in no state (a pending create). e2e-sweep.yml runs this on a schedule with a limit longer than any run; the
# destroy job runs it with --name for its own cluster right after its destroy. Only the cluster is deleted (it is
# what costs); its VPC, router, NAT and node service account are named after it and listed in the summary for a
# person (docs/delivery.md, "Clusters left behind").
#
# Usage: scripts/ci/sweep-e2e-clusters.sh --project <e2e project> --older-than-hours <n> [--prefix e2e-]
#                                        [--name <cluster>] [--dry-run]
#   --name limits the sweep to that one cluster (still only with the prefix and the label).
# Environment: SWEEP_NOW (epoch seconds, default now: for tests), GITHUB_STEP_SUMMARY (optional: the table).
# Needs gcloud (authenticated) and jq. Exit 0 when every cluster it chose is deleted; 1 when a delete failed.
set -euo pipefail

usage() {
  echo "usage: scripts/ci/sweep-e2e-clusters.sh --project <project> --older-than-hours <n> [--prefix e2e-] [--name <cluster>] [--dry-run]" >&2
  exit 2
}
project="" hours="" prefix="e2e-" name="" dry_run=false
while [ $# -gt 0 ]; do
  case "$1" in
    --project) [ $# -ge 2 ] || usage; project=$2; shift 2 ;;
    --older-than-hours) [ $# -ge 2 ] || usage; hours=$2; shift 2 ;;
    --prefix) [ $# -ge 2 ] || usage; prefix=$2; shift 2 ;;
    --name) [ $# -ge 2 ] || usage; name=$2; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    *) usage ;;
  esac
done
[ -n "$project" ] || { echo "sweep: --project is required (the e2e project, never dev's or prod's)" >&2; exit 2; }
[[ "$hours" =~ ^[0-9]+$ ]] || { echo "sweep: --older-than-hours must be a whole number of hours, not '$hours'" >&2; exit 2; }
# A prefix that could match the long-lived clusters (demo-cluster, memcached-prod) is refused.
[[ "$prefix" =~ ^[a-z][a-z0-9]*-$ ]] || { echo "sweep: --prefix must be letters and digits ending in '-', like e2e-" >&2; exit 2; }
if [ -n "$name" ] && [[ "$name" != "$prefix"* ]]; then
  echo "sweep: --name $name does not start with $prefix" >&2
  exit 2
fi

summary=${GITHUB_STEP_SUMMARY:-/dev/null}
now=${SWEEP_NOW:-$(date -u +%s)}
limit=$((hours * 3600))
filter="name ~ ^${prefix} AND resourceLabels.part-of=memcached-gke"
[ -z "$name" ] || filter="name=${name} AND resourceLabels.part-of=memcached-gke"

clusters=$(gcloud container clusters list --project "$project" --filter "$filter" --format json)
count=$(jq length <<< "$clusters")
echo "sweep: $count cluster(s) in $project matching: $filter"
{
  echo "### End-to-end clusters in \`$project\` (older than ${hours} h are deleted)"
  echo
  echo "Filter: \`$filter\`"
  echo
  echo "| cluster | location | created | age (h) | action |"
  echo "|---|---|---|---|---|"
} >> "$summary"

failed=0
while IFS=$'\t' read -r cluster location created; do
  [ -n "$cluster" ] || continue
  # A second check of what the filter promised: a filter typo must not widen the sweep.
  if [[ "$cluster" != "$prefix"* ]]; then
    echo "sweep: gcloud returned $cluster, which lacks the prefix $prefix: left alone" >&2
    continue
  fi
  if ! born=$(date -u -d "$created" +%s); then
    echo "sweep: $cluster: unreadable createTime '$created': left alone" >&2
    echo "| $cluster | $location | $created | ? | left: unreadable createTime |" >> "$summary"
    continue
  fi
  age=$((now - born))
  age_h=$((age / 3600))
  if [ "$age" -lt "$limit" ]; then
    echo "sweep: $cluster ($location) is ${age_h} h old: kept"
    echo "| $cluster | $location | $created | $age_h | kept |" >> "$summary"
  elif [ "$dry_run" = true ]; then
    echo "sweep: $cluster ($location) is ${age_h} h old: would be deleted (dry run)"
    echo "| $cluster | $location | $created | $age_h | would be deleted (dry run) |" >> "$summary"
  elif gcloud container clusters delete "$cluster" --location "$location" --project "$project" --quiet; then
    echo "sweep: $cluster ($location) is ${age_h} h old: deleted"
    echo "| $cluster | $location | $created | $age_h | **deleted**; its VPC, router, NAT and node service account \`$cluster-*\` are left for a person |" >> "$summary"
  else
    echo "::error title=Sweep::could not delete cluster $cluster ($location) in $project"
    echo "| $cluster | $location | $created | $age_h | delete FAILED |" >> "$summary"
    failed=1
  fi
done < <(jq -r '.[] | [.name, .location, .createTime] | @tsv' <<< "$clusters")
exit "$failed"
