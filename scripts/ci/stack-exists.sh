#!/usr/bin/env bash
# Whether a stack exists in the backend, for a preview that must not create it.
#
# Why: a preview runs as the read-only preview identity (docs/delivery.md), which cannot write the state, and
# pull requests must not create stacks (pulumi/actions' upsert would: LocalWorkspace.createOrSelectStack). A stack
# that has never been deployed is reported here (exists=false, a notice) and its preview is skipped; the first
# `up` from main creates it.
#
# Usage: scripts/ci/stack-exists.sh <stack>
#   in the project directory, with the backend in PULUMI_BACKEND_URL (or PULUMI_ACCESS_TOKEN for Pulumi Cloud).
# Environment: GITHUB_OUTPUT (exists=true|false; stdout when unset), GITHUB_STEP_SUMMARY (optional).
# Needs pulumi and jq. Exit non-zero when the backend cannot be read (that is not "missing").
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: scripts/ci/stack-exists.sh <stack>" >&2
  exit 2
fi
stack=$1
# To $GITHUB_OUTPUT, or to stdout itself when run by hand (not ">> /dev/stdout": a second open of a file that
# stdout is redirected to has an offset of its own, and the next line on stdout would overwrite it).
output() { if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1" >> "$GITHUB_OUTPUT"; else echo "$1"; fi; }
summary=${GITHUB_STEP_SUMMARY:-/dev/null}

stacks=$(pulumi stack ls --json --non-interactive)
if jq -e --arg s "$stack" 'any(.[]; .name == $s or (.name | endswith("/" + $s)))' <<< "$stacks" > /dev/null; then
  output "exists=true"
else
  output "exists=false"
  message="Stack $stack does not exist in the backend yet: nothing to preview against. The first up from main creates it (pull requests never create stacks)."
  echo "::notice title=Preview of $stack skipped::$message"
  printf '### Preview of %s skipped\n\n%s\n' "$stack" "$message" >> "$summary"
fi
