#!/usr/bin/env bash
# A warm resize in one command: the runbook of docs/operations.md ("Resize without a miss storm") through the Java
# SDK's Automation API, with the real pulumi CLI on your PATH and the stack's own backend and passphrase.
#
#   scripts/resize.sh <stack> --to <N> [--window <duration>] [--start-in <duration>] [--yes]
#
# It prints the move's impact report and asks before it acts (--yes: without asking; away from a terminal it must
# be given), declares the move in Pulumi.<stack>.yaml with a start 12 minutes ahead (--start-in), runs `pulumi up`,
# counts the window down (--window, 1h), sets finish and runs `pulumi up`, removes the block and runs `pulumi up`,
# and says what it did. Interrupted anywhere, run it again: it carries on from what the stack says.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
# shellcheck source=lib/jar.sh
. "$here/lib/jar.sh"
command -v pulumi >/dev/null || { echo "resize: no pulumi on PATH (scripts/engines.sh builds one: PATH=\"\$(scripts/engines.sh | tail -n 1):\$PATH\")" >&2; exit 1; }
exec java -cp "$(program_jar)" io.memcachedgke.tools.ResizeCommand "$@"
