import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StackValidationPolicy } from "@pulumi/policy";
import {
    checkPackConfig,
    configOf,
    enforcementLevelOf,
    RenderedResource,
    runPack,
    stackFromRender,
    validateResource,
    validateStack,
} from "../src/engine";
import { allPolicies } from "../src/pack";
import { hostPortsKnownList, noHostNamespaces } from "../src/policies/kubernetes";
import { mcrouterDaemonSet, T, variant } from "./fixtures";

const hostPort6000 = variant(mcrouterDaemonSet, o => (o.spec.template.spec.containers[0].ports[0].hostPort = 6000));

describe("pack config, as `pulumi preview --policy-pack-config` gives it", () => {
    it("getConfig() returns the schema defaults when nothing is configured", () => {
        assert.deepEqual(configOf(hostPortsKnownList), { allowedHostPorts: [5000] });
        assert.deepEqual(configOf(noHostNamespaces), {});
    });
    it("configured properties replace the defaults; enforcementLevel is not a property", () => {
        const config = { "k8s-host-ports-known-list": { enforcementLevel: "advisory" as const, allowedHostPorts: [5000, 6000] } };
        assert.deepEqual(configOf(hostPortsKnownList, config), { allowedHostPorts: [5000, 6000] });
    });
    it("levels: the policy's own, overridden by `all`, overridden by the policy's entry; remediate reports as mandatory", () => {
        assert.equal(enforcementLevelOf(hostPortsKnownList), "mandatory");
        assert.equal(enforcementLevelOf(hostPortsKnownList, { all: "advisory" }), "advisory");
        assert.equal(enforcementLevelOf(hostPortsKnownList, { all: "advisory", "k8s-host-ports-known-list": "mandatory" }), "mandatory");
        assert.equal(enforcementLevelOf(hostPortsKnownList, { "k8s-host-ports-known-list": { enforcementLevel: "disabled" } }), "disabled");
        assert.equal(enforcementLevelOf(hostPortsKnownList, { "k8s-host-ports-known-list": "remediate" }), "mandatory");
    });
    it("an exception downgrades a violation to advisory, or disables the policy", async () => {
        const advisory = await validateResource(hostPortsKnownList, { type: T.daemonSet, name: "mcrouter", props: hostPort6000 }, { "k8s-host-ports-known-list": "advisory" });
        assert.deepEqual(advisory.map(v => v.level), ["advisory"]);
        const disabled = await validateResource(hostPortsKnownList, { type: T.daemonSet, name: "mcrouter", props: hostPort6000 }, { "k8s-host-ports-known-list": "disabled" });
        assert.deepEqual(disabled, []);
    });
    it("rejects config for a policy the pack doesn't have, an unknown property, or an unknown level", () => {
        assert.throws(() => checkPackConfig(allPolicies, { "k8s-host-port": "advisory" }), /policy config names no policy of the pack: "k8s-host-port"/);
        assert.throws(() => checkPackConfig(allPolicies, { "k8s-host-ports-known-list": { allowedPorts: [1] } }), /"allowedPorts" is not in the policy's config schema/);
        assert.throws(() => checkPackConfig(allPolicies, { all: "warn" as any }), /unknown enforcementLevel "warn"/);
        checkPackConfig(allPolicies, { all: "mandatory", "gke-private-nodes": "disabled", "k8s-host-ports-known-list": { allowedHostPorts: [5000, 6000] } });
    });
});

describe("engine emulation", () => {
    it("hands policies a copy behind the SDK's proxy, so one policy can't change what the next sees", async () => {
        const props = variant(mcrouterDaemonSet);
        const mutating = {
            name: "mutating",
            description: "d",
            enforcementLevel: "mandatory" as const,
            validateResource: (args: any) => {
                args.props.spec.template.spec.hostNetwork = true;
            },
        };
        await validateResource(mutating, { type: T.daemonSet, name: "m", props });
        assert.equal(props.spec.template.spec.hostNetwork, undefined);
    });
    it("stackFromRender builds engine URNs (parent type chain), the root stack, and links parents", async () => {
        const rendered: RenderedResource[] = [
            { type: "memcached-gke:mcrouter:Mcrouter", name: "mycache-mcrouter", parent: null, inputs: {} },
            { type: T.daemonSet, name: "mycache-mcrouter-daemonset", parent: "memcached-gke:mcrouter:Mcrouter::mycache-mcrouter", inputs: mcrouterDaemonSet },
        ];
        const resources = stackFromRender("dev", "memcached-gke", rendered);
        assert.deepEqual(
            resources.map(r => [r.urn, r.parentUrn]),
            [
                ["urn:pulumi:dev::memcached-gke::pulumi:pulumi:Stack::memcached-gke-dev", undefined],
                ["urn:pulumi:dev::memcached-gke::memcached-gke:mcrouter:Mcrouter::mycache-mcrouter", "urn:pulumi:dev::memcached-gke::pulumi:pulumi:Stack::memcached-gke-dev"],
                [
                    "urn:pulumi:dev::memcached-gke::memcached-gke:mcrouter:Mcrouter$kubernetes:apps/v1:DaemonSet::mycache-mcrouter-daemonset",
                    "urn:pulumi:dev::memcached-gke::memcached-gke:mcrouter:Mcrouter::mycache-mcrouter",
                ],
            ],
        );
        const parents: string[] = [];
        const probe: StackValidationPolicy = {
            name: "probe",
            description: "d",
            validateStack: args => {
                for (const r of args.resources) parents.push(`${r.name} <- ${r.parent?.name ?? "-"} (${r.opts.parent ?? "-"})`);
            },
        };
        await validateStack(probe, resources);
        assert.deepEqual(parents, [
            "memcached-gke-dev <- - (-)",
            "mycache-mcrouter <- memcached-gke-dev (urn:pulumi:dev::memcached-gke::pulumi:pulumi:Stack::memcached-gke-dev)",
            "mycache-mcrouter-daemonset <- mycache-mcrouter (urn:pulumi:dev::memcached-gke::memcached-gke:mcrouter:Mcrouter::mycache-mcrouter)",
        ]);
    });
    it("stackFromRender rejects a parent the render doesn't contain", () => {
        assert.throws(
            () => stackFromRender("dev", "memcached-gke", [{ type: T.daemonSet, name: "d", parent: "x:y:Z::missing", inputs: {} }]),
            /kubernetes:apps\/v1:DaemonSet::d: parent x:y:Z::missing is not in the render/,
        );
    });
    it("runPack runs every resource and stack policy, with levels", async () => {
        const rendered: RenderedResource[] = [{ type: T.daemonSet, name: "mcrouter", parent: null, inputs: hostPort6000 }];
        const vs = await runPack(allPolicies, stackFromRender("dev", "memcached-gke", rendered));
        assert.deepEqual(
            vs.map(v => `${v.level} ${v.policy}: ${v.message}`),
            [
                'mandatory k8s-host-ports-known-list: container "mcrouter" uses hostPort 6000, which is not in allowedHostPorts [5000]',
                'mandatory k8s-no-host-ports: container "mcrouter" uses hostPort 6000; production pods take no host ports (reach them through a Service)',
                'mandatory k8s-networkpolicy-covers-workloads: DaemonSet default/mycache-mcrouter: no NetworkPolicy with policyType Ingress selects its pods {"app":"mycache-mcrouter","app.kubernetes.io/instance":"mycache","app.kubernetes.io/name":"mcrouter"}; any pod in the cluster can reach them',
            ],
        );
        const allowed = await runPack(allPolicies, stackFromRender("dev", "memcached-gke", rendered), {
            "k8s-host-ports-known-list": { allowedHostPorts: [6000] },
            "k8s-no-host-ports": "advisory",
            "k8s-networkpolicy-covers-workloads": "advisory",
        });
        assert.deepEqual(allowed.map(v => `${v.level} ${v.policy}`), ["advisory k8s-no-host-ports", "advisory k8s-networkpolicy-covers-workloads"]);
    });
});
