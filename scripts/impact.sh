#!/usr/bin/env bash
# What an edit does to a stack's cache, at a terminal (no pull request): the impact report's verdict and details.
#
#   scripts/impact.sh <stack>                    Pulumi.<stack>.yaml as it is now against the last commit's
#   scripts/impact.sh <stack> --base <rev>       ... against another revision's
#   scripts/impact.sh <stack> --to <N>           N shards: cold (replicas only) and warm (a resize block)
#
# Both sides are rendered offline from the program's jar (built when missing or older than the sources).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
# shellcheck source=lib/jar.sh
. "$here/lib/jar.sh"
exec java -cp "$(program_jar)" io.memcachedgke.tools.StackImpact "$@"
