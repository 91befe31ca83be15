#!/usr/bin/env bash
# Posts a pull request comment, or edits the one an earlier run posted: the comment whose body starts with the
# marker, looked for among ALL the pull request's comments.
#
# Why not pulumi/actions' own comment (comment-on-pr): its edit-pr-comment looks for the earlier comment with one
# unpaged listComments call (pulumi/actions v7.0.0, src/libs/pr.ts), which returns the first 30 comments only; on a
# longer pull request every push adds another preview comment. gh api --paginate reads every page.
#
# Usage: scripts/ci/pr-comment.sh <marker> <body file>
#   marker: an HTML comment naming the report, e.g. "<!-- memcached-gke:preview:dev -->"
# Environment: GH_TOKEN (pull-requests: write), GITHUB_REPOSITORY, PR_NUMBER. Needs gh.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: scripts/ci/pr-comment.sh <marker> <body file>" >&2
  exit 2
fi
marker=$1 file=$2
repo=${GITHUB_REPOSITORY:?GITHUB_REPOSITORY}
pr=${PR_NUMBER:?PR_NUMBER}
[[ "$marker" =~ ^\<!--\ [^\>]+\ --\>$ ]] || { echo "pr-comment: the marker must be an HTML comment, not '$marker'" >&2; exit 2; }
[ -f "$file" ] || { echo "pr-comment: no file $file" >&2; exit 2; }

body=$(mktemp)
trap 'rm -f "$body"' EXIT
{ echo "$marker"; cat "$file"; } > "$body"

# The marker as a jq string literal (gh's --jq takes no --arg).
literal=$(jq -Rn --arg m "$marker" '$m')
ids=$(gh api --paginate "repos/$repo/issues/$pr/comments" --jq ".[] | select(.body | startswith($literal)) | .id")
id=${ids%%$'\n'*}
if [ -n "$id" ]; then
  gh api --method PATCH "repos/$repo/issues/comments/$id" -F "body=@$body" > /dev/null
  echo "pr-comment: edited comment $id"
else
  gh api --method POST "repos/$repo/issues/$pr/comments" -F "body=@$body" > /dev/null
  echo "pr-comment: posted a comment"
fi
