#!/usr/bin/env python3
"""A Pulumi YAML program that declares the same Kubernetes objects as a stack's render, for the preview benchmark
(scripts/benchmark-preview.sh): the yardstick of a program with no JVM.

Usage: yaml-program.py <render dir> <out dir>
Writes <out dir>/Pulumi.yaml: the render's Kubernetes provider (same inputs) and every Kubernetes object with the
inputs the program registers (resources.json), through that provider. Components have no YAML equivalent and are
left out; their ordering is kept as the program declares it where it matters to the API server: every object after
its namespace, and the check Jobs after every other object (as the program's Jobs wait for the tiers they check).
Pulumi YAML interpolates ${...} in strings, so each literal "${" is written "$${" (Pulumi YAML's escape).
"""
import json
import pathlib
import sys


def escape(value):
    if isinstance(value, str):
        return value.replace("${", "$${")
    if isinstance(value, list):
        return [escape(v) for v in value]
    if isinstance(value, dict):
        return {k: escape(v) for k, v in value.items()}
    return value


def main():
    render, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    resources = json.loads((render / "resources.json").read_text())
    program = {"name": "memcached-gke-yaml-benchmark", "runtime": "yaml",
               "description": "The same Kubernetes objects as the memcached-gke program's render, in Pulumi YAML",
               "resources": {}}
    provider = next(r for r in resources if r["type"] == "pulumi:providers:kubernetes")
    # A provider's inputs are recorded as strings (the engine's provider config); Pulumi YAML checks them against the
    # schema, where enableConfigMapMutable is a boolean.
    typed = {k: (v == "true" if v in ("true", "false") else v) for k, v in provider["inputs"].items()}
    program["resources"][provider["name"]] = {"type": "pulumi:providers:kubernetes", "properties": escape(typed)}
    objects = [r for r in resources if r["type"].startswith("kubernetes:")]
    namespaces = [r["name"] for r in objects if r["type"] == "kubernetes:core/v1:Namespace"]
    others = [r["name"] for r in objects if r["type"] not in ("kubernetes:core/v1:Namespace", "kubernetes:batch/v1:Job")]
    for r in objects:
        options = {"provider": "${" + provider["name"] + "}"}
        if r["type"] == "kubernetes:batch/v1:Job":
            after = namespaces + others
        elif r["type"] == "kubernetes:core/v1:Namespace":
            after = []
        else:
            after = namespaces
        if after:
            options["dependsOn"] = ["${" + n + "}" for n in after]
        program["resources"][r["name"]] = {"type": r["type"], "properties": escape(r["inputs"]), "options": options}
    out.mkdir(parents=True, exist_ok=True)
    # JSON is YAML: no YAML library needed, and no value is reinterpreted (a "5000" stays a string).
    (out / "Pulumi.yaml").write_text(json.dumps(program, indent=2) + "\n")
    print(f"{out / 'Pulumi.yaml'}: {len(objects)} Kubernetes objects and their provider")


if __name__ == "__main__":
    main()
