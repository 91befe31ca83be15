import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { isStackPolicy } from "../src/meta";
import { allPolicies, packArgs } from "../src/pack";
import { policyTable } from "../src/table";

// Compiled to bin/test/; the sources sit two levels up.
const ROOT = path.resolve(__dirname, "..", "..");

describe("the pack", () => {
    it("has at least 22 policies with unique names", () => {
        assert.ok(allPolicies.length >= 22, `${allPolicies.length} policies`);
        assert.equal(new Set(allPolicies.map(p => p.name)).size, allPolicies.length);
    });
    it("gives every policy an explicit level, a severity, a rule, a why and an anchor", () => {
        for (const p of allPolicies) {
            assert.ok(p.enforcementLevel === "mandatory" || p.enforcementLevel === "advisory", `${p.name} level`);
            assert.ok(["low", "medium", "high", "critical"].includes(p.severity ?? ""), `${p.name} severity`);
            for (const field of ["description", "why", "anchor", "url"] as const) {
                assert.ok(typeof p[field] === "string" && p[field]!.length > 10, `${p.name} ${field}`);
            }
            // Resource policies are named for what they check (the table's Checks column reads gke- and gcp-); a
            // stack policy relating a Kubernetes workload to GCP resources is named for what it guards.
            assert.match(p.name, isStackPolicy(p) ? /^[a-z0-9]+(-[a-z0-9]+)+$/ : /^(k8s|gke|gcp)-[a-z0-9-]+$/);
        }
    });
    it("keeps cross-resource rules in stack policies and the rest in resource policies", () => {
        const stackNames = allPolicies.filter(isStackPolicy).map(p => p.name);
        assert.deepEqual(stackNames, [
            "k8s-statefulset-headless-service",
            "k8s-statefulset-has-pdb",
            "k8s-pdb-allows-disruption",
            "k8s-networkpolicy-covers-workloads",
            "k8s-networkpolicy-admits-service-traffic",
            "k8s-service-selects-workload",
            "k8s-readiness-probe-behind-service",
            "k8s-cache-service-internal",
            "k8s-mcrouter-pools-match-statefulset",
            "k8s-mcrouter-reaches-memcached",
            "k8s-no-service-account-token-automount",
            "mcrouter-image-own-registry",
        ]);
    });
    it("hands the SDK only its own fields (why and anchor stay in the README)", () => {
        assert.equal(packArgs.policies.length, allPolicies.length);
        for (const p of packArgs.policies) {
            assert.ok(!("why" in p) && !("anchor" in p), p.name);
        }
    });
    it("has a single config knob, allowedHostPorts, defaulting to the dev stack's mcrouter port", () => {
        const configurable = allPolicies.filter(p => p.configSchema);
        assert.deepEqual(configurable.map(p => [p.name, p.configSchema!.properties.allowedHostPorts.default]), [["k8s-host-ports-known-list", [5000]]]);
    });
});

describe("index.ts", () => {
    it("only constructs the PolicyPack from src/pack", () => {
        const source = fs.readFileSync(path.join(ROOT, "index.ts"), "utf8").replace(/^\s*\/\/.*$/gm, "").trim();
        assert.equal(
            source,
            ['import { PolicyPack } from "@pulumi/policy";', 'import { PACK_NAME, packArgs } from "./src/pack";', "", "new PolicyPack(PACK_NAME, packArgs);"].join("\n"),
        );
    });
    it("is imported by no test or conformance code (its constructor starts a gRPC server)", () => {
        for (const dir of ["test", "conformance", "src"]) {
            for (const f of fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]) {
                if (!f.endsWith(".ts")) continue;
                const text = fs.readFileSync(path.join(ROOT, dir, f), "utf8");
                assert.doesNotMatch(text, /from "(\.\.\/)+index"|require\("(\.\.\/)+index"\)/, `${dir}/${f}`);
            }
        }
    });
});

describe("README.md", () => {
    it("carries the policy table generated from the policies (npm run table)", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const m = /<!-- policy-table:start -->\n([\s\S]*?)<!-- policy-table:end -->/.exec(readme);
        assert.ok(m, "README.md has no <!-- policy-table:start --> ... <!-- policy-table:end --> section");
        assert.equal(m[1], policyTable(), "README policy table is stale: regenerate it with `npm run table`");
    });
});
