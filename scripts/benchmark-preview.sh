#!/usr/bin/env bash
# The preview a platform engineer waits for, against the yardstick of a program with no JVM: this program's `local`
# stack and a Pulumi YAML program of the same Kubernetes objects (scripts/lib/yaml-program.py, generated from the
# `local` render), on the same engines (the real CLI, the Java and YAML language hosts, the Kubernetes provider) and
# the same Docker-free control plane, alternated in one run. A benchmark, not a test: it prints, it asserts nothing.
#
#   scripts/benchmark-preview.sh [rounds=3]
#
# Each round runs, for each program (the order alternates from round to round): a new stack's preview, up, a
# no-change preview, destroy. It prints each command's median wall time and the ratio, then where the time of each
# preview goes (scripts/lib/otel-phases.py on the trace the CLI writes with --otel-traces: CLI start, the language
# host before the program, the program to its last registration, the rest), as medians. docs/performance.md shows
# the latest figures. Needs root (the control plane's network namespace), the engines (scripts/engines.sh) and the
# build (target/memcached-gke.jar: built when missing).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rounds=${1:-3}
cd "$repo"
# shellcheck source=lib/jar.sh
. "$here/lib/jar.sh"

work=$(mktemp -d /tmp/memcached-gke-benchmark.XXXXXX)
cleanup() {
  if [ -d "$work/cluster" ]; then "$here/local-cluster.sh" down "$work/cluster" >/dev/null 2>&1 || true; fi
  # BENCHMARK_TRACES=<dir> keeps the CLI's traces (scripts/lib/otel-phases.py --detail reads one).
  if [ -n "${BENCHMARK_TRACES:-}" ]; then
    mkdir -p "$BENCHMARK_TRACES"
    cp "$work"/trace-*.json "$BENCHMARK_TRACES"/ 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
say() { echo "benchmark: $*" >&2; }

engines=$("$here/engines.sh" | tail -n 1)
program_jar >/dev/null
say "rendering the local stack (target/render/local)"
./mvnw -B -q compile exec:java@render -Dstack=local >/dev/null

# The two programs, each in a directory of its own.
mkdir -p "$work/java" "$work/yaml"
cp Pulumi.yaml "$work/java/"
grep -v '^encryptionsalt:\|^secretsprovider:\|^encryptedkey:' Pulumi.local.yaml > "$work/java/Pulumi.local.yaml"
for l in target scripts; do ln -s "$repo/$l" "$work/java/$l"; done
python3 "$here/lib/yaml-program.py" target/render/local "$work/yaml" >&2

say "starting the control plane"
MEMCACHED_GKE_ENGINES=$engines "$here/local-cluster.sh" up "$work/cluster" >/dev/null
export PULUMI_HOME="$work/home" PULUMI_BACKEND_URL="file://$work/backend" PULUMI_CONFIG_PASSPHRASE=benchmark
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true PULUMI_IGNORE_AMBIENT_PLUGINS=true
mkdir -p "$work/backend"
in_cluster() { "$here/local-cluster.sh" run "$work/cluster" -- "$@"; }
in_cluster pulumi plugin install resource kubernetes v4.0.0 --file "$engines/pulumi-resource-kubernetes" >/dev/null
(cd "$work/java" && in_cluster pulumi stack init local --secrets-provider passphrase --non-interactive >/dev/null)
(cd "$work/yaml" && in_cluster pulumi stack init bench --secrets-provider passphrase --non-interactive >/dev/null)

now_ns() { date +%s%N; }
# time_cmd <program> <command label> <trace or ""> <pulumi args...>: appends "<program> <label> <seconds>" to times.
time_cmd() {
  local prog=$1 label=$2 trace=$3 stack start end
  shift 3
  stack=$([ "$prog" = java ] && echo local || echo bench)
  local extra=()
  [ -z "$trace" ] || extra=(--otel-traces "file://$trace")
  start=$(now_ns)
  if ! (cd "$work/$prog" && in_cluster pulumi "$@" --stack "$stack" --non-interactive "${extra[@]}") > "$work/last.log" 2>&1; then
    tail -n 30 "$work/last.log" >&2
    echo "benchmark: pulumi $* failed for the $prog program" >&2
    exit 1
  fi
  end=$(now_ns)
  echo "$prog $label $(( (end - start) / 1000000 ))" >> "$work/times"
  if [ -n "$trace" ]; then
    local kind
    kind=$(case "$trace" in *-new-*) echo new-stack-preview ;; *) echo no-change-preview ;; esac)
    python3 "$here/lib/otel-phases.py" "$trace" "$prog $kind" --detail >> "$work/phases"
  fi
}

# The timed runs write no trace: with --otel-traces the language hosts and the Java SDK start OpenTelemetry and
# flush their spans on exit (com.pulumi.deployment.internal.Instrumentation), which a user's preview never does. Each
# preview is run once more, traced, for where its time goes (labelled "traced", left out of the table).
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then order=(java yaml); else order=(yaml java); fi
  for prog in "${order[@]}"; do
    say "round $r/$rounds: $prog"
    time_cmd "$prog" "new-stack-preview" "" preview
    time_cmd "$prog" "traced" "$work/trace-$prog-new-$r.json" preview
    time_cmd "$prog" "up" "" up --yes --skip-preview
    time_cmd "$prog" "no-change-preview" "" preview --expect-no-changes
    time_cmd "$prog" "traced" "$work/trace-$prog-same-$r.json" preview --expect-no-changes
    time_cmd "$prog" "destroy" "" destroy --yes --skip-preview
  done
done

python3 - "$work/times" "$work/phases" "$rounds" <<'PY'
import re, statistics, sys
times, phases, rounds = sys.argv[1], sys.argv[2], sys.argv[3]
t = {}
for line in open(times):
    prog, label, ms = line.split()
    t.setdefault((prog, label), []).append(int(ms) / 1000)
labels = ["new-stack-preview", "no-change-preview", "up", "destroy"]
print(f"median of {rounds} alternated runs (s, untraced), this program against a Pulumi YAML program of the same objects:")
print(f"| command | this program | YAML program | ratio |")
print(f"|---|---|---|---|")
for l in labels:
    j, y = statistics.median(t[("java", l)]), statistics.median(t[("yaml", l)])
    print(f"| {l.replace('-', ' ')} | {j:.1f} | {y:.1f} | {j / y:.1f}x |")
p = {}
pat = re.compile(r"^(\w+) ([\w-]+): total ([\d.]+) s = CLI start ([\d.]+) s \+ \w+ host ([\d.]+) s \+ program to last registration ([\d.]+) s \+ rest ([-\d.]+) s; provider work ([\d.]+) s")
for line in open(phases):
    m = pat.match(line.strip())
    if m:
        p.setdefault((m[1], m[2]), []).append([float(x) for x in m.groups()[2:]])
d = {}
dpat = re.compile(r"^(\w+) ([\w-]+): About ([\d.]+) s, packages ([\d.]+) s, to first registration ([\d.]+) s, registrations ([\d.]+) s, program exit ([-\d.]+) s")
for line in open(phases):
    m = dpat.match(line.strip())
    if m:
        d.setdefault((m[1], m[2]), []).append([float(x) for x in m.groups()[2:]])
print()
print("where each preview's time goes (medians of the traced runs, s; scripts/lib/otel-phases.py; tracing adds its own cost):")
print("| program | command | total | CLI start | language host | program to last registration | rest | provider work |")
print("|---|---|---|---|---|---|---|---|")
for prog in ("java", "yaml"):
    for l in ("new-stack-preview", "no-change-preview"):
        rows = p.get((prog, l), [])
        if rows:
            med = [statistics.median(col) for col in zip(*rows)]
            print(f"| {'this program' if prog == 'java' else 'YAML'} | {l.replace('-', ' ')} | " + " | ".join(f"{v:.2f}" for v in med) + " |")
print()
print("the language host and the program in detail (medians of the traced runs, s):")
print("| program | command | About | packages | Run to first registration | registrations | program exit |")
print("|---|---|---|---|---|---|---|")
for prog in ("java", "yaml"):
    for l in ("new-stack-preview", "no-change-preview"):
        rows = d.get((prog, l), [])
        if rows:
            med = [statistics.median(col) for col in zip(*rows)]
            print(f"| {'this program' if prog == 'java' else 'YAML'} | {l.replace('-', ' ')} | " + " | ".join(f"{v:.2f}" for v in med) + " |")
PY
