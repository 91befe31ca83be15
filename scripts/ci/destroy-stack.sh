#!/usr/bin/env bash
# Destroys one stack for good, whatever an interrupted run left: the job that runs it (e2e-gke.yml's destroy job,
# the kind end-to-end's destroy step) and a person at a terminal run these same steps.
#
# Why each step:
#   1. pulumi cancel --yes - a cancelled or timed-out `up` is killed with its lock still held, and every later
#      update, destroy included, is refused at once with "the stack is currently locked" (docs/operations.md, "An
#      interrupted up"). On a DIY backend (file://, gs://) cancel only removes the lock files and succeeds when there
#      are none; on Pulumi Cloud it cancels the update in progress and fails when there is none (ignored here).
#   2. The pending operations of the killed update are printed: a pending create may exist in the cloud without
#      being in the state, and no destroy will delete it (e2e-gke.yml deletes a cluster left that way by name;
#      scripts/ci/sweep-e2e-clusters.sh catches the rest). refresh --clear-pending-creates then drops them, so the
#      destroy does not stop at them.
#   3. pulumi destroy --continue-on-error - deletes everything it can even when one delete fails.
#   4. The state is checked: no resource and no pending operation left; otherwise what is left is printed (type,
#      name, id) for a person to delete by hand, and the exit status is 1.
#   5. --rm: pulumi stack rm, so the backend does not keep an empty stack.
#
# Usage: scripts/ci/destroy-stack.sh <stack> [--rm]
#   in the project directory (Pulumi.yaml, and Pulumi.<stack>.yaml: its encryption salt decrypts the state).
# Environment: the backend the CLI uses - PULUMI_BACKEND_URL (file:// here and in the kind job, gs:// for the GKE
#   end-to-end state) or PULUMI_ACCESS_TOKEN - and PULUMI_CONFIG_PASSPHRASE; GITHUB_STEP_SUMMARY (optional)
#   receives the report. Needs pulumi and jq.
# Exit 0: the stack is empty (or does not exist: nothing to do, so a later run may call it again); 1: something is
#   left or the CLI failed.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ] || { [ $# -eq 2 ] && [ "$2" != "--rm" ]; }; then
  echo "usage: scripts/ci/destroy-stack.sh <stack> [--rm]" >&2
  exit 2
fi
stack=$1
remove=${2:-}
summary=${GITHUB_STEP_SUMMARY:-/dev/null}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say() { echo "destroy-stack: $*"; }
report() { printf '%s\n' "$@" >> "$summary"; }

# A file backend's metadata sidecars (<file>.attrs) are written in place (gocloud.dev blob/fileblob/attrs.go,
# setAttrs): a killed update can leave one empty, and every later command then fails with "failed to load checkpoint:
# EOF". A missing sidecar reads as none, so the empty ones go first (docs/operations.md, "An interrupted up").
case "${PULUMI_BACKEND_URL:-}" in
  file://*)
    backend_dir=${PULUMI_BACKEND_URL#file://}
    backend_dir=${backend_dir%%\?*}
    if [ -d "$backend_dir/.pulumi" ]; then
      find "$backend_dir/.pulumi" -name '*.attrs' -empty -print -delete | sed 's/^/destroy-stack: removed the empty /'
    fi
    ;;
esac

# Does the stack exist? `stack ls` lists the project's stacks (by name, or org/project/name on Pulumi Cloud); a CLI
# or backend failure stops here instead of being mistaken for "nothing to destroy".
pulumi stack ls --json --non-interactive > "$work/stacks.json"
if ! jq -e --arg s "$stack" 'any(.[]; .name == $s or (.name | endswith("/" + $s)))' "$work/stacks.json" > /dev/null; then
  say "no stack $stack in ${PULUMI_BACKEND_URL:-the Pulumi Cloud backend}: nothing to destroy"
  report "### Destroy of $stack" "" "No stack \`$stack\` in the backend: nothing to destroy."
  exit 0
fi

say "1. pulumi cancel (releases the lock an interrupted update left)"
if ! pulumi cancel --yes --stack "$stack" --non-interactive > "$work/cancel.txt" 2>&1; then
  say "pulumi cancel failed (no update in progress?): $(tr '\n' ' ' < "$work/cancel.txt")"
fi

pulumi stack export --stack "$stack" --non-interactive > "$work/before.json"
jq -r '.deployment.pending_operations // [] | .[] | "\(.type) \(.resource.urn) id=\(.resource.id // "unknown")"' \
  "$work/before.json" > "$work/pending.txt"
if [ -s "$work/pending.txt" ]; then
  say "2. pending operations of the interrupted update (what they created may be outside the state):"
  sed 's/^/  /' "$work/pending.txt"
  report "### Destroy of $stack" "" "Pending operations of an interrupted update (a pending create may have made something the state does not hold):" "" '```' "$(cat "$work/pending.txt")" '```'
  pulumi refresh --yes --skip-preview --clear-pending-creates --stack "$stack" --non-interactive
else
  say "2. no pending operations"
fi

say "3. pulumi destroy"
destroyed=true
pulumi destroy --yes --skip-preview --continue-on-error --stack "$stack" --non-interactive || destroyed=false

say "4. what the state still holds"
pulumi stack export --stack "$stack" --non-interactive > "$work/after.json"
jq -r '(.deployment.resources // [])[] | "\(.type) \(.urn | split("::") | last) id=\(.id // "-")"' \
  "$work/after.json" > "$work/left.txt"
jq -r '.deployment.pending_operations // [] | .[] | "pending \(.type) \(.resource.urn)"' "$work/after.json" >> "$work/left.txt"
if [ -s "$work/left.txt" ] || [ "$destroyed" != true ]; then
  say "FAIL: stack $stack is not empty:"
  sed 's/^/  /' "$work/left.txt"
  echo "::error title=Destroy of $stack incomplete::$(wc -l < "$work/left.txt") resources left in the state; see the job summary"
  report "### Destroy of $stack incomplete" "" "Left in the state (delete by hand, or run this script again):" "" '```' "$(cat "$work/left.txt")" '```'
  exit 1
fi

if [ "$remove" = "--rm" ]; then
  say "5. pulumi stack rm"
  pulumi stack rm --yes --stack "$stack" --non-interactive
fi
say "OK: stack $stack is empty${remove:+ and removed}"
report "### Destroy of $stack" "" "Every resource of \`$stack\` destroyed${remove:+; the stack removed from the backend}."
