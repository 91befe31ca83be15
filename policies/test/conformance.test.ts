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
import { cacheStack, imageRepository, T, variant } from "./fixtures";

const RUN = path.resolve(__dirname, "..", "conformance", "run.js");
const POLICIES = path.resolve(__dirname, "..", "..");

type Obj = Record<string, any>;

/** A render directory with one stack whose Kubernetes objects are `objects` (plus a component parent, and `gcp` [type, name, inputs] resources, not in manifests.yaml). */
function render(objects: [string, Obj][], opts: { manifests?: string; extraDocs?: Obj[]; stack?: string; dir?: string; gcp?: [string, string, Obj][] } = {}): string {
    const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "render-"));
    const stackDir = path.join(dir, opts.stack ?? "dev");
    fs.mkdirSync(stackDir);
    const resources = [
        { type: "memcached-gke:memcached:Memcached", name: "mycache-memcached", parent: null, inputs: {} },
        ...objects.map(([type, inputs], i) => ({ type, name: `${inputs.metadata.name}-${i}`, parent: "memcached-gke:memcached:Memcached::mycache-memcached", inputs })),
        ...(opts.gcp ?? []).map(([type, name, inputs]) => ({ type, name, parent: null, inputs })),
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
        "kubernetes:core/v1:ConfigMap": ["v1", "ConfigMap"],
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
        assert.match(r.out, /dev: 13 resources x \d+ policies: 0 mandatory, 0 advisory; manifests.yaml: 12 documents, 11 valid against kubernetes-models, 1 skipped/);
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
        assert.ok(r.out.includes("advisory   [dev] k8s-deployment-spread-across-nodes  kubernetes:apps/v1:Deployment::sample-application-py-6  5 replicas but no"), r.out);
        // The dev stack is development: the production-only hostPort rule only advises.
        assert.ok(r.out.includes('advisory   [dev] k8s-no-host-ports  kubernetes:apps/v1:DaemonSet::mycache-mcrouter-3  container "mcrouter" uses hostPort 6000; production pods take no host ports'), r.out);
        assert.match(r.out, /conformance FAILED \(1\)/);
    });
    it("passes that render with an exception in a --policy-config file", () => {
        const objs = objects().map(([t, p]): [string, Obj] => [
            t,
            t === "kubernetes:apps/v1:DaemonSet" ? variant(p, o => (o.spec.template.spec.containers[0].ports[0].hostPort = 6000)) : p,
        ]);
        const dir = render(objs);
        const config = path.join(dir, "policy-config.json");
        // --policy-config replaces the stack's own file, so an exception file carries the environment's relaxations too.
        const development = JSON.parse(fs.readFileSync(path.join(POLICIES, "config", "development.json"), "utf8"));
        fs.writeFileSync(config, JSON.stringify({ ...development, "k8s-host-ports-known-list": { allowedHostPorts: [5000, 6000] } }));
        const r = run(dir, "--policy-config", config, "dev");
        assert.equal(r.status, 0, r.out);
        assert.match(r.out, /dev: pack config .*policy-config\.json \(--policy-config\)/);
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
    it("reads a hash-like plain scalar as kubectl does: e31067 is a string, 1e3 an exponent number", () => {
        const withNodeSelector = (value: string) =>
            objects().map(([t, p]): [string, Obj] => [t, t === "kubernetes:apps/v1:StatefulSet" ? variant(p, o => (o.spec.template.spec.nodeSelector = { "memcached-gke/node-pool": value })) : p]);
        const unquoted = (objs: [string, Obj][], value: string) => {
            const manifests = objs.map(([, p]) => "---\n" + YAML.stringify(p)).join("").replace(`memcached-gke/node-pool: "${value}"`, `memcached-gke/node-pool: ${value}`);
            assert.ok(manifests.includes(`memcached-gke/node-pool: ${value}\n`), manifests);
            return manifests;
        };
        const hash = withNodeSelector("e31067");
        const ok = run(render(hash, { manifests: unquoted(hash, "e31067") }), "dev");
        assert.equal(ok.status, 0, ok.out);
        const number = withNodeSelector("1e3");
        const r = run(render(number, { manifests: unquoted(number, "1e3") }), "dev");
        assert.equal(r.status, 1, r.out);
        assert.match(r.out, /nodeSelector\/memcached-gke~1node-pool must be string/);
        assert.match(r.out, /manifests\.yaml has 1000 \(number\), resources\.json has "1e3" \(string\)/);
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

describe("conformance run: stacks and their pack configuration", () => {
    /** A throw-away project root with Pulumi.yaml and Pulumi.<stack>.yaml of each stack -> environment (null: key unset). */
    function project(stacks: Record<string, string | null>): string {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "project-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: memcached-gke\nruntime: java\n");
        for (const [stack, env] of Object.entries(stacks)) {
            fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), env === null ? "config:\n  memcached-gke:namespace: default\n" : `config:\n  memcached-gke:environment: ${env}\n`);
        }
        return dir;
    }
    const hostPort5000 = () => objects().map(([t, p]): [string, Obj] => [t, t === "kubernetes:apps/v1:DaemonSet" ? variant(p, o => (o.spec.template.spec.containers[0].ports[0].hostPort = 5000)) : p]);

    it("with no stack arguments checks every Pulumi.<stack>.yaml of the project, and fails naming a stack whose render is missing", () => {
        const proj = project({ alpha: "development", beta: null, gamma: "production" });
        const dir = render(objects(), { stack: "alpha" });
        render(objects(), { stack: "beta", dir });
        const r = run(dir, "--project-dir", proj);
        assert.equal(r.status, 1, r.out);
        assert.match(r.out, /stacks alpha, beta, gamma \(from .*Pulumi\.<stack>\.yaml\)/);
        assert.match(r.out, /alpha: 12 resources x \d+ policies: 0 mandatory/);
        assert.match(r.out, /beta: 12 resources x \d+ policies: 0 mandatory/);
        assert.match(r.out, /\[gamma\] render missing: .*gamma[/\\]resources\.json/);
        assert.match(r.out, /conformance FAILED \(2\)/); // resources.json and manifests.yaml of gamma
    });
    it("prints the pack config each stack used: <environment>.json, development when unset", () => {
        const proj = project({ alpha: "production", beta: null });
        const dir = render(objects(), { stack: "alpha" });
        render(objects(), { stack: "beta", dir });
        const r = run(dir, "--project-dir", proj);
        assert.equal(r.status, 0, r.out);
        assert.match(r.out, /alpha: pack config .*config[/\\]production\.json \(memcached-gke:environment: production in Pulumi\.alpha\.yaml\)/);
        assert.match(r.out, /beta: pack config .*config[/\\]development\.json \(memcached-gke:environment unset in Pulumi\.beta\.yaml: development, the default\)/);
    });
    it("holds a production stack to the production-only rules and lets a development stack advise", () => {
        const proj = project({ lab: "development", live: "production" });
        const dir = render(hostPort5000(), { stack: "lab" });
        render(hostPort5000(), { stack: "live", dir });
        const r = run(dir, "--project-dir", proj);
        assert.equal(r.status, 1, r.out);
        assert.ok(r.out.includes('advisory   [lab] k8s-no-host-ports  kubernetes:apps/v1:DaemonSet::mycache-mcrouter-3  container "mcrouter" uses hostPort 5000'), r.out);
        assert.ok(r.out.includes('[live] MANDATORY k8s-no-host-ports  kubernetes:apps/v1:DaemonSet::mycache-mcrouter-3  container "mcrouter" uses hostPort 5000'), r.out);
        assert.match(r.out, /conformance FAILED \(1\)/);
    });
    it("warns a production stack whose mcrouter image is not in its own registry (jphalip/mcrouter, as prod runs today), and says nothing to a development stack", () => {
        const proj = project({ lab: "development", live: "production" });
        const gcp: [string, string, Obj][] = [[T.repository, "memcached-prod-images", imageRepository]];
        const dir = render(objects(), { stack: "lab", gcp });
        render(objects(), { stack: "live", dir, gcp });
        const r = run(dir, "--project-dir", proj);
        assert.equal(r.status, 0, r.out);
        assert.ok(
            r.out.includes(
                'advisory   [live] mcrouter-image-own-registry  kubernetes:apps/v1:DaemonSet::mycache-mcrouter-3  DaemonSet default/mycache-mcrouter: container "mcrouter" runs mcrouter image "jphalip/mcrouter:0.36.0" from outside the stack\'s own registry (us-central1-docker.pkg.dev/my-project/memcached-prod/); build it with the mcrouter-image workflow and set memcached-gke:mcrouter.image to it (docs/delivery.md)',
            ),
            r.out,
        );
        assert.match(r.out, /live: 13 resources x \d+ policies: 0 mandatory, 1 advisory/);
        assert.doesNotMatch(r.out, /\[lab\] mcrouter-image-own-registry/);
        assert.match(r.out, /lab: 13 resources x \d+ policies: 0 mandatory, 0 advisory/);
    });
    it("prefers config/<stack>.json, and fails naming the stack when no configuration file resolves", () => {
        const proj = project({ lab: "staging", live: "staging" });
        const configDir = fs.mkdtempSync(path.join(os.tmpdir(), "config-"));
        fs.writeFileSync(path.join(configDir, "live.json"), JSON.stringify({ "k8s-no-host-ports": "disabled" }));
        const dir = render(hostPort5000(), { stack: "lab" });
        render(hostPort5000(), { stack: "live", dir });
        const r = run(dir, "--project-dir", proj, "--config-dir", configDir);
        assert.equal(r.status, 1, r.out);
        assert.match(r.out, /live: pack config .*live\.json/);
        assert.match(r.out, /live: 12 resources x \d+ policies: 0 mandatory, 0 advisory/);
        assert.match(r.out, /\[lab\] stack lab: no pack configuration: neither lab\.json nor staging\.json exists in /);
        assert.match(r.out, /conformance FAILED \(1\)/);
    });
    it("rejects an option without its value", () => {
        const r = run(render(objects()), "--policy-config");
        assert.equal(r.status, 1, r.out);
        assert.match(r.out, /--policy-config needs a value/);
    });
});

describe("config-of (the pack config file of a stack, for pulumi preview --policy-pack-config)", () => {
    const CONFIG_OF = path.resolve(__dirname, "..", "conformance", "config-of.js");
    const configOf = (...args: string[]) => spawnSync(process.execPath, [CONFIG_OF, ...args], { encoding: "utf8", cwd: path.resolve(POLICIES, "..") });
    it("prints the file each shipped stack gets, relative to the current directory", () => {
        // A stack's own exception file (config/<stack>.json) would win over its environment's.
        assert.match(configOf("dev").stdout.trim(), /^policies[/\\]config[/\\](dev|development)\.json$/);
        assert.match(configOf("local").stdout.trim(), /^policies[/\\]config[/\\](local|development)\.json$/);
        assert.match(configOf("prod").stdout.trim(), /^policies[/\\]config[/\\](prod|production)\.json$/);
    });
    it("fails without exactly one stack", () => {
        assert.equal(configOf().status, 2);
    });
});
