// The conformance run itself, against throw-away renders: it passes a compliant render, and fails
// (exit 1, naming policy, resource and message) on a mandatory violation, an invalid manifest, a
// manifest that differs from resources.json, or a missing render.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as YAML from "yaml";
import { cacheStack, variant } from "./fixtures";

const RUN = path.resolve(__dirname, "..", "conformance", "run.js");

type Obj = Record<string, any>;

/** A render directory with one stack whose Kubernetes objects are `objects` (plus a component parent). */
function render(objects: [string, Obj][], opts: { manifests?: string; extraDocs?: Obj[] } = {}): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-"));
    const stackDir = path.join(dir, "dev");
    fs.mkdirSync(stackDir);
    const resources = [
        { type: "memcached-gke:memcached:Memcached", name: "mycache-memcached", parent: null, inputs: {} },
        ...objects.map(([type, inputs], i) => ({ type, name: `${inputs.metadata.name}-${i}`, parent: "memcached-gke:memcached:Memcached::mycache-memcached", inputs })),
    ];
    fs.writeFileSync(path.join(stackDir, "resources.json"), JSON.stringify(resources, null, 2));
    const docs = [...objects.map(([, inputs]) => inputs), ...(opts.extraDocs ?? [])];
    fs.writeFileSync(path.join(stackDir, "manifests.yaml"), opts.manifests ?? docs.map(d => "---\n" + YAML.stringify(d)).join(""));
    return dir;
}

function run(dir: string, ...args: string[]) {
    const r = spawnSync(process.execPath, [RUN, "--render-dir", dir, ...args], { encoding: "utf8" });
    return { status: r.status, out: r.stdout + r.stderr };
}

/** The compliant cache stack with apiVersion/kind filled in, as the render writes them. */
function objects(): [string, Obj][] {
    const kinds: Record<string, [string, string]> = {
        "kubernetes:apps/v1:StatefulSet": ["apps/v1", "StatefulSet"],
        "kubernetes:apps/v1:DaemonSet": ["apps/v1", "DaemonSet"],
        "kubernetes:apps/v1:Deployment": ["apps/v1", "Deployment"],
        "kubernetes:batch/v1:Job": ["batch/v1", "Job"],
        "kubernetes:core/v1:Service": ["v1", "Service"],
        "kubernetes:policy/v1:PodDisruptionBudget": ["policy/v1", "PodDisruptionBudget"],
        "kubernetes:networking.k8s.io/v1:NetworkPolicy": ["networking.k8s.io/v1", "NetworkPolicy"],
    };
    return cacheStack().map(([t, p]) => [t, { apiVersion: kinds[t][0], kind: kinds[t][1], ...p }]);
}

describe("conformance run", () => {
    it("passes a compliant render, noting CRDs it has no schema for", () => {
        const crd = { apiVersion: "monitoring.googleapis.com/v1", kind: "PodMonitoring", metadata: { name: "mycache-memcached", namespace: "default" }, spec: { selector: { matchLabels: { app: "mycache-memcached" } }, endpoints: [{ port: "metrics" }] } };
        const dir = render([...objects(), ["kubernetes:monitoring.googleapis.com/v1:PodMonitoring", crd]]);
        const r = run(dir, "dev");
        assert.equal(r.status, 0, r.out);
        assert.match(r.out, /kubernetes-models has no schema for monitoring\.googleapis\.com\/v1 \(a CRD\); schema check skipped/);
        assert.match(r.out, /dev: 10 resources x \d+ policies: 0 mandatory, 0 advisory; manifests.yaml: 9 documents, 8 valid against kubernetes-models, 1 skipped/);
        assert.match(r.out, /conformance passed/);
    });
    it("fails on a mandatory violation, naming the policy, the resource and the message; prints advisories", () => {
        const objs = objects().map(([t, p]): [string, Obj] => [
            t,
            t === "kubernetes:apps/v1:DaemonSet" ? variant(p, o => (o.spec.template.spec.containers[0].ports[0].hostPort = 6000)) : p,
        ]);
        const dir = render(objs.map(([t, p]): [string, Obj] => [t, t === "kubernetes:apps/v1:Deployment" ? variant(p, o => delete o.spec.template.spec.topologySpreadConstraints) : p]));
        const r = run(dir, "dev");
        assert.equal(r.status, 1, r.out);
        assert.ok(
            r.out.includes('[dev] MANDATORY k8s-host-ports-known-list  kubernetes:apps/v1:DaemonSet::mycache-mcrouter-3  container "mcrouter" uses hostPort 6000, which is not in allowedHostPorts [5000]'),
            r.out,
        );
        assert.ok(r.out.includes("advisory   [dev] k8s-deployment-spread-across-nodes  kubernetes:apps/v1:Deployment::sample-application-py-5  5 replicas but no"), r.out);
        assert.match(r.out, /conformance FAILED \(1\)/);
    });
    it("passes that render with an exception in a --policy-config file", () => {
        const objs = objects().map(([t, p]): [string, Obj] => [
            t,
            t === "kubernetes:apps/v1:DaemonSet" ? variant(p, o => (o.spec.template.spec.containers[0].ports[0].hostPort = 6000)) : p,
        ]);
        const dir = render(objs);
        const config = path.join(dir, "policy-config.json");
        fs.writeFileSync(config, JSON.stringify({ "k8s-host-ports-known-list": { allowedHostPorts: [5000, 6000] } }));
        const r = run(dir, "--policy-config", config, "dev");
        assert.equal(r.status, 0, r.out);
    });
    it("fails when a stack's render is missing", () => {
        const dir = render(objects());
        const r = run(dir, "dev", "prod");
        assert.equal(r.status, 1, r.out);
        assert.match(r.out, /\[prod\] render missing: .*prod[/\\]resources\.json \(run: mvn -B -q compile exec:java@render -Dstack=prod\)/);
    });
    it("fails on a manifest the Kubernetes schema rejects (an unquoted number where a string belongs, as kubectl reads it)", () => {
        const objs = objects();
        const manifests = objs.map(([, p]) => "---\n" + YAML.stringify(p)).join("").replace('- "11211"', "- 11211");
        assert.notEqual(manifests.indexOf("- 11211"), -1);
        const dir = render(objs, { manifests });
        const r = run(dir, "dev");
        assert.equal(r.status, 1, r.out);
        assert.match(r.out, /\(apps\/v1 StatefulSet default\/mycache-memcached\): invalid: data\/spec\/template\/spec\/containers\/0\/args\/1 must be string/);
        assert.match(r.out, /differs from its resources\.json inputs at spec\.template\.spec\.containers\[0\]\.args\[1\]: manifests\.yaml has 11211 \(number\), resources\.json has "11211" \(string\)/);
    });
    it("fails on an unknown kind of a built-in API group, and on objects missing from either file", () => {
        const typo = { apiVersion: "apps/v1", kind: "Statefulset", metadata: { name: "typo", namespace: "default" }, spec: {} };
        const dir = render(objects(), { extraDocs: [typo] });
        const r = run(dir, "dev");
        assert.equal(r.status, 1, r.out);
        assert.match(r.out, /apps\/v1 has no kind "Statefulset"/);
        assert.match(r.out, /\(apps\/v1 Statefulset default\/typo\): no such Kubernetes resource in resources\.json/);
    });
});
