#!/usr/bin/env bash
# Whether a delivery run may `pulumi up` its commit: only while that commit is still the head of main, or when a
# person chose it on purpose.
#
# Why: deliver.yml's concurrency groups (pulumi-dev, pulumi-prod) run one `up` per stack at a time, but not in
# commit order. Two pushes close together: the later run's tests can finish first, its `up` runs, and the earlier
# run's `up` then waits in the group and runs after it - rolling the stack back to the older commit. GitHub keeps
# at most one pending job per group and cancels the older pending one, but a job that is already running (or
# waiting for its own tests) is not in the group yet, so the group alone cannot order them. The check runs inside
# the group, right before the `up`, so it sees main as it is when the `up` would start.
#
# Usage: scripts/ci/head-of-main.sh <stack>
#   run in a clone whose remote (REMOTE, default origin) is the repository; actions/checkout leaves its token in
#   the clone's git config, so `git ls-remote` needs nothing else.
# Environment:
#   GITHUB_SHA        the commit this run would deploy (required)
#   CHOSEN            "true": a person chose this commit (deliver.yml's workflow_dispatch input): deploy it even if
#                     main has moved on, and say so
#   REMOTE, BRANCH    origin, main
#   GITHUB_OUTPUT     receives deploy=true|false (stdout when unset)
#   GITHUB_STEP_SUMMARY  receives the reason when set
# Exit 0 with deploy=true or deploy=false; non-zero only when the head of main cannot be read (fail closed: no up).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: scripts/ci/head-of-main.sh <stack>" >&2
  exit 2
fi
stack=$1
sha=${GITHUB_SHA:?GITHUB_SHA: the commit this run would deploy}
remote=${REMOTE:-origin}
branch=${BRANCH:-main}
chosen=${CHOSEN:-false}
# To $GITHUB_OUTPUT, or to stdout itself when run by hand (not ">> /dev/stdout": a second open of a file that
# stdout is redirected to has an offset of its own, and the next line on stdout would overwrite it).
output() { if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1" >> "$GITHUB_OUTPUT"; else echo "$1"; fi; }
summary=${GITHUB_STEP_SUMMARY:-/dev/null}

line=$(git ls-remote --exit-code "$remote" "refs/heads/$branch") || {
  echo "::error title=Head of $branch unknown::git ls-remote $remote refs/heads/$branch failed: no up of $stack" >&2
  exit 1
}
head=${line%%[[:space:]]*}
[[ "$head" =~ ^[0-9a-f]{40}$ ]] || { echo "::error::unexpected git ls-remote output: $line" >&2; exit 1; }

if [ "$head" = "$sha" ]; then
  output "deploy=true"
  echo "head-of-main: $sha is the head of $branch: up of $stack"
elif [ "$chosen" = "true" ]; then
  output "deploy=true"
  message="Deploying $sha to $stack because a person chose this commit (workflow_dispatch input deploy-this-commit), although $branch is at $head."
  echo "::notice title=Up of a chosen commit::$message"
  printf '### Up of a chosen commit\n\n%s\n' "$message" >> "$summary"
else
  output "deploy=false"
  message="No up of $stack: this run's commit $sha is no longer the head of $branch ($head). The run for $head deploys it; deploying $sha now would roll $stack back. To deploy an older commit on purpose, run the workflow by hand with deploy-this-commit."
  echo "::notice title=Up skipped::$message"
  printf '### Up skipped\n\n%s\n' "$message" >> "$summary"
fi
