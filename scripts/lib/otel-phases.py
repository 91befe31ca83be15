#!/usr/bin/env python3
"""Where the wall time of one Pulumi CLI command goes, from the OpenTelemetry trace it writes with
`--otel-traces file://<path>` (the CLI, the language host and the providers each export their spans).

Usage: otel-phases.py <trace.json> [<label>] [--detail]
Prints one line, e.g.
  up: total 16.2 s = CLI start 0.1 s + Java host 3.5 s + program to last registration 3.0 s + rest 9.6 s; provider work 8.9 s

  total                      the CLI's root span ("pulumi")
  CLI start                  from the CLI's start to its first call to the language host
  Java host                  the language host's work before the program runs (About, GetRequiredPackages, ...)
  program to last registration
                             from the host's Run to the start of the program's last RegisterResource
  rest                       the remainder: the steps still running after the last registration, the snapshot
  provider work              the union of the time the providers spend in calls (Check, Diff, Create, Update,
                             Read, Delete, Configure), overlapping calls counted once

--detail adds a line that splits the host and the program:
  About                      the host's About (the CLI waits for it before the plan: pulumi-java's runs java, javac,
                             mvn and gradle --version)
  packages                   GetRequiredPackages (the plugins the program needs)
  to first registration      from Run to the program's first RegisterResource (process start, runtime, SDK)
  registrations              from the first RegisterResource to the start of the last
  program exit               from the start of the last registration to the end of Run
"""
import json
import sys


def spans(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            doc = json.loads(line)
            for rs in doc.get("resourceSpans", []):
                attrs = {a["key"]: a["value"].get("stringValue") for a in rs.get("resource", {}).get("attributes", [])}
                service = attrs.get("service.name", "")
                for ss in rs.get("scopeSpans", []):
                    for sp in ss.get("spans", []):
                        out.append((service, sp["name"], int(sp["startTimeUnixNano"]), int(sp["endTimeUnixNano"])))
    return out


def union(intervals):
    total, end = 0, None
    for start, stop in sorted(intervals):
        if end is None or start > end:
            total += stop - start
            end = stop
        elif stop > end:
            total += stop - end
            end = stop
    return total


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: otel-phases.py <trace.json> [<label>]")
    args = [a for a in sys.argv[1:] if a != "--detail"]
    label = args[1] if len(args) > 1 else args[0]
    all_spans = spans(args[0])
    cli = [s for s in all_spans if s[0] == "pulumi-cli"]
    root = [s for s in cli if s[1] == "pulumi"]
    if not root:
        sys.exit("otel-phases.py: %s has no root span 'pulumi'" % args[0])
    t0, t_end = root[0][2], root[0][3]
    host_calls = sorted(s[2] for s in cli if s[1].startswith("pulumirpc.LanguageRuntime/"))
    run = [s for s in cli if s[1] == "pulumirpc.LanguageRuntime/Run"]
    registrations = sorted(s[2] for s in cli if s[1] == "pulumirpc.ResourceMonitor/RegisterResource")
    if not host_calls or not run or not registrations:
        sys.exit("otel-phases.py: %s lacks the language host's calls or the program's registrations" % args[0])
    provider = [(s[2], s[3]) for s in all_spans if s[0] == "pulumi-resource-provider"
                and s[1].rsplit("/", 1)[-1] in ("Check", "Diff", "Create", "Update", "Read", "Delete", "Configure")]
    ms = 1e9
    cli_start = (host_calls[0] - t0) / ms
    host = (run[0][2] - host_calls[0]) / ms
    program = (registrations[-1] - run[0][2]) / ms
    total = (t_end - t0) / ms
    rest = total - cli_start - host - program
    print("%s: total %.1f s = CLI start %.1f s + Java host %.1f s + program to last registration %.1f s + rest %.1f s; "
          "provider work %.1f s" % (label, total, cli_start, host, program, rest, union(provider) / ms))
    if "--detail" in sys.argv:
        def span(name):
            found = [x for x in cli if x[1] == "pulumirpc.LanguageRuntime/" + name]
            return (found[0][3] - found[0][2]) / ms if found else 0.0
        print("%s: About %.2f s, packages %.2f s, to first registration %.2f s, registrations %.2f s, program exit %.2f s"
              % (label, span("About"), span("GetRequiredPackages"), (registrations[0] - run[0][2]) / ms,
                 (registrations[-1] - registrations[0]) / ms, (run[0][3] - registrations[-1]) / ms))


if __name__ == "__main__":
    main()
