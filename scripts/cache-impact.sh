#!/usr/bin/env bash
# The pull request's cache-impact check: what the change does to each stack's cache.
#   1. renders every STACK at the pull request's base commit, in a separate git worktree, and at the head;
#   2. runs the impact report between them (exec:java@impact, Markdown), failing above FAIL_ABOVE percent lost;
#   3. writes the reports to the job summary and, where the token may (CAN_COMMENT=true), to ONE pull-request
#      comment that later runs edit (marker <!-- memcached-gke:cache-impact -->);
#   4. fails when a stack would lose more than FAIL_ABOVE percent of its cached items, unless the pull request
#      carries the label cache-flush-ok - read from GitHub when the check runs, so adding the label and
#      re-running the job is the acknowledgement.
#
# Usage: scripts/cache-impact.sh STACK...
# Environment: BASE_SHA (required), FAIL_ABOVE (10), PR_NUMBER, GITHUB_REPOSITORY, GH_TOKEN (for the label and
# the comment; without PR_NUMBER neither is read or written), CAN_COMMENT (true|false), MVNW (./mvnw),
# GITHUB_STEP_SUMMARY. Exit 0 pass, 1 fail (one "cache-impact: FAIL: ..." line last).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: scripts/cache-impact.sh STACK..." >&2; exit 2; }
: "${BASE_SHA:?set BASE_SHA to the base commit of the pull request}"
fail_above=${FAIL_ABOVE:-10}
mvnw=${MVNW:-./mvnw}
label=cache-flush-ok
marker="<!-- memcached-gke:cache-impact -->"
die() { printf 'cache-impact: FAIL: %s\n' "$*"; exit 1; }

work=$(mktemp -d)
base="$work/base"
cleanup() {
  git worktree remove --force "$base" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
git worktree add --detach --quiet "$base" "$BASE_SHA" || die "cannot check out the base commit $BASE_SHA (fetch-depth: 0?)"

report="$work/report.md"
printf '%s\n## Cache impact of this pull request\n\n' "$marker" >"$report"
over=()
for stack in "$@"; do
  # shellcheck disable=SC2016 # Markdown backticks
  printf '### `%s`\n\n' "$stack" >>"$report"
  if [ ! -f "$base/Pulumi.$stack.yaml" ]; then
    printf 'A new stack: nothing is cached in it yet.\n\n' >>"$report"
    continue
  fi
  (cd "$base" && "$mvnw" -B -q compile exec:java@render -Dstack="$stack") >"$work/render-base.log" 2>&1 \
    || die "rendering $stack at the base $BASE_SHA failed: $(tail -n 1 "$work/render-base.log")"
  "$mvnw" -B -q compile exec:java@render -Dstack="$stack" >"$work/render-head.log" 2>&1 \
    || die "rendering $stack at the head failed: $(tail -n 1 "$work/render-head.log")"
  rc=0
  "$mvnw" -B -q exec:java@impact -Dbase="$base/target/render/$stack" -Dhead="target/render/$stack" \
    -Dformat=markdown -DfailAbove="$fail_above" >"$work/impact.md" 2>"$work/impact.err" || rc=$?
  case "$rc" in
    0) ;;
    3) over+=("$stack") ;;
    *) die "the impact report of $stack failed (exit $rc): $(tail -n 1 "$work/impact.err")" ;;
  esac
  cat "$work/impact.md" >>"$report"
  printf '\n' >>"$report"
done

acknowledged=no
if [ -n "${PR_NUMBER:-}" ]; then
  labels=$(gh api "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/labels" --jq '.[].name') || die "cannot read the pull request's labels"
  if printf '%s\n' "$labels" | grep -x "$label" >/dev/null; then acknowledged=yes; fi
fi
if [ "${#over[@]}" -eq 0 ]; then
  verdict="**Check passed**: no stack loses more than ${fail_above}% of its cached items."
elif [ "$acknowledged" = yes ]; then
  verdict="**Check passed, acknowledged**: ${over[*]} would lose more than ${fail_above}% of cached items; the label \`$label\` accepts it."
else
  verdict="**Check failed**: ${over[*]} would lose more than ${fail_above}% of cached items. If that is intended, add the label \`$label\` and re-run this job."
fi
printf -- '---\n%s\n' "$verdict" >>"$report"

[ -z "${GITHUB_STEP_SUMMARY:-}" ] || cat "$report" >>"$GITHUB_STEP_SUMMARY"
if [ "${CAN_COMMENT:-false}" = true ] && [ -n "${PR_NUMBER:-}" ]; then
  id=$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" \
    --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n 1) || die "cannot list the pull request's comments"
  if [ -n "$id" ]; then
    gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -F "body=@$report" >/dev/null || die "cannot edit comment $id"
  else
    gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" -F "body=@$report" >/dev/null || die "cannot comment on the pull request"
  fi
else
  echo "cache-impact: the report is in the job summary (this run's token may not comment: fork or Dependabot)"
fi
cat "$report"
if [ "${#over[@]}" -gt 0 ] && [ "$acknowledged" = no ]; then
  die "${over[*]} would lose more than ${fail_above}% of cached items; add the label $label and re-run to accept"
fi
echo "cache-impact: OK"
