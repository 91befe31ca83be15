import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateStack } from "../src/engine";
import * as s from "../src/policies/stack";
import { cacheStack, defaultDeny, headlessService, mcrouterService, memcachedPdb, stack, stackMessages, T, variant } from "./fixtures";

type Obj = Record<string, any>;

/** The compliant cache stack with the objects of one type edited (the n-th of that type, default all). */
function edited(type: string, edit: (o: any) => void, nth?: number): [string, Obj][] {
    let seen = 0;
    return cacheStack().map(([t, props]) => {
        if (t !== type) return [t, props];
        const hit = nth === undefined || seen === nth;
        seen++;
        return [t, hit ? variant(props, edit) : props];
    });
}

const without = (type: string, name?: string) => cacheStack().filter(([t, p]) => !(t === type && (name === undefined || p.metadata.name === name)));

describe("every stack policy", () => {
    for (const policy of s.stackPolicies) {
        it(`${policy.name}: passes the compliant cache stack (with a smoke Job and CRDs)`, async () => {
            const crds: [string, Obj][] = [
                [T.podMonitoring, { apiVersion: "monitoring.googleapis.com/v1", kind: "PodMonitoring", metadata: { name: "m", namespace: "default" }, spec: { selector: { matchLabels: { app: "x" } } } }],
                [T.serviceMonitor, { apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { name: "m", namespace: "default" }, spec: { selector: {} } }],
            ];
            assert.deepEqual(await stackMessages(policy, stack(...cacheStack(), ...crds)), []);
        });
        it(`${policy.name}: passes an empty stack (the local stack before Kubernetes objects; no GKE)`, async () => {
            assert.deepEqual(await stackMessages(policy, []), []);
        });
    }
});

describe(s.statefulSetHeadlessService.name, () => {
    it("rejects a missing serviceName", async () => {
        assert.deepEqual(await stackMessages(s.statefulSetHeadlessService, stack(...edited(T.statefulSet, o => delete o.spec.serviceName))), [
            "StatefulSet default/mycache-memcached: spec.serviceName is not set; its pods get no stable DNS names",
        ]);
    });
    it("rejects a serviceName that names no Service in the namespace", async () => {
        assert.deepEqual(await stackMessages(s.statefulSetHeadlessService, stack(...edited(T.service, o => (o.metadata.namespace = "other"), 0))), [
            'StatefulSet default/mycache-memcached: spec.serviceName "mycache-memcached" names no Service in namespace "default"',
        ]);
    });
    it("rejects a Service that is not headless", async () => {
        assert.deepEqual(await stackMessages(s.statefulSetHeadlessService, stack(...edited(T.service, o => delete o.spec.clusterIP, 0))), [
            'StatefulSet default/mycache-memcached: Service default/mycache-memcached is not headless (spec.clusterIP is unset, must be "None")',
        ]);
    });
    it("rejects a headless Service that doesn't select the pods", async () => {
        assert.deepEqual(await stackMessages(s.statefulSetHeadlessService, stack(...edited(T.service, o => (o.spec.selector = { app: "memcached" }), 0))), [
            'StatefulSet default/mycache-memcached: Service default/mycache-memcached selector {"app":"memcached"} does not select its pods {"app":"mycache-memcached","app.kubernetes.io/component":"cache","app.kubernetes.io/instance":"mycache","app.kubernetes.io/name":"memcached"}',
        ]);
    });
    it("blames the StatefulSet's URN", async () => {
        const [v] = await validateStack(s.statefulSetHeadlessService, stack(...edited(T.statefulSet, o => delete o.spec.serviceName)));
        assert.equal(v.urn, "urn:pulumi:test::memcached-gke::kubernetes:apps/v1:StatefulSet::mycache-memcached-0");
        assert.equal(v.level, "mandatory");
    });
});

describe(s.statefulSetHasPdb.name, () => {
    it("rejects a StatefulSet no PDB selects", async () => {
        const expected = [
            'StatefulSet default/mycache-memcached: 3 replicas but no PodDisruptionBudget selects its pods {"app":"mycache-memcached","app.kubernetes.io/component":"cache","app.kubernetes.io/instance":"mycache","app.kubernetes.io/name":"memcached"}',
        ];
        assert.deepEqual(await stackMessages(s.statefulSetHasPdb, stack(...without(T.pdb))), expected);
        assert.deepEqual(await stackMessages(s.statefulSetHasPdb, stack(...edited(T.pdb, o => (o.metadata.namespace = "other")))), expected);
        assert.deepEqual(await stackMessages(s.statefulSetHasPdb, stack(...edited(T.pdb, o => (o.spec.selector = { matchLabels: { app: "x" } })))), expected);
    });
    it("accepts a single-replica StatefulSet without a PDB", async () => {
        const stackObjs = without(T.pdb).map(([t, p]): [string, Obj] => [t, t === T.statefulSet ? variant(p, o => (o.spec.replicas = 1)) : p]);
        assert.deepEqual(await stackMessages(s.statefulSetHasPdb, stack(...stackObjs)), []);
    });
});

describe(s.pdbAllowsDisruption.name, () => {
    const withSpec = (spec: Obj) => stack(...edited(T.pdb, o => (o.spec = { ...spec, selector: memcachedPdb.spec.selector })));
    it("accepts minAvailable below the replica count, and percentages that leave room", async () => {
        for (const spec of [{ minAvailable: 2 }, { minAvailable: "50%" }, { maxUnavailable: "10%" }, { maxUnavailable: 1 }]) {
            assert.deepEqual(await stackMessages(s.pdbAllowsDisruption, withSpec(spec)), [], JSON.stringify(spec));
        }
    });
    it("rejects maxUnavailable 0 and 0%", async () => {
        assert.deepEqual(await stackMessages(s.pdbAllowsDisruption, withSpec({ maxUnavailable: 0 })), [
            "PodDisruptionBudget default/mycache-memcached: maxUnavailable 0 allows no voluntary disruption; node drains and GKE upgrades would stall",
        ]);
        assert.deepEqual(await stackMessages(s.pdbAllowsDisruption, withSpec({ maxUnavailable: "0%" })), [
            'PodDisruptionBudget default/mycache-memcached: maxUnavailable "0%" allows no voluntary disruption; node drains and GKE upgrades would stall',
        ]);
    });
    it("rejects minAvailable equal to the replicas, or a percentage rounding up to all of them", async () => {
        assert.deepEqual(await stackMessages(s.pdbAllowsDisruption, withSpec({ minAvailable: 3 })), [
            "PodDisruptionBudget default/mycache-memcached: minAvailable 3 of 3 selected replicas (StatefulSet default/mycache-memcached) allows no voluntary disruption; node drains and GKE upgrades would stall",
        ]);
        assert.deepEqual(await stackMessages(s.pdbAllowsDisruption, withSpec({ minAvailable: "90%" })), [
            'PodDisruptionBudget default/mycache-memcached: minAvailable "90%" of 3 selected replicas (StatefulSet default/mycache-memcached) allows no voluntary disruption; node drains and GKE upgrades would stall',
        ]);
    });
    it("rejects minAvailable 100% even when the replica count is unknown", async () => {
        const ds = stack(...cacheStack(), [T.pdb, { metadata: { name: "mcrouter", namespace: "default" }, spec: { minAvailable: "100%", selector: { matchLabels: { app: "mycache-mcrouter" } } } }]);
        assert.deepEqual(await stackMessages(s.pdbAllowsDisruption, ds), [
            'PodDisruptionBudget default/mcrouter: minAvailable "100%" allows no voluntary disruption; node drains and GKE upgrades would stall',
        ]);
    });
});

describe(s.networkPolicyCoversWorkloads.name, () => {
    it("accepts per-workload policies instead of a default deny", async () => {
        const perWorkload = ["mycache-memcached", "mycache-mcrouter", "sample-application-py", "mycache-smoke"].map((app): [string, Obj] => [
            T.networkPolicy,
            { metadata: { name: app, namespace: "default" }, spec: { podSelector: { matchLabels: { app } } } },
        ]);
        assert.deepEqual(await stackMessages(s.networkPolicyCoversWorkloads, stack(...without(T.networkPolicy), ...perWorkload)), []);
    });
    it("rejects workloads no ingress policy selects", async () => {
        const egressOnly = variant(defaultDeny, o => (o.spec.policyTypes = ["Egress"]));
        const result = await stackMessages(s.networkPolicyCoversWorkloads, stack(...without(T.networkPolicy), [T.networkPolicy, egressOnly]));
        assert.deepEqual(result, [
            'StatefulSet default/mycache-memcached: no NetworkPolicy with policyType Ingress selects its pods {"app":"mycache-memcached","app.kubernetes.io/component":"cache","app.kubernetes.io/instance":"mycache","app.kubernetes.io/name":"memcached"}; any pod in the cluster can reach them',
            'DaemonSet default/mycache-mcrouter: no NetworkPolicy with policyType Ingress selects its pods {"app":"mycache-mcrouter","app.kubernetes.io/instance":"mycache","app.kubernetes.io/name":"mcrouter"}; any pod in the cluster can reach them',
            'Deployment default/sample-application-py: no NetworkPolicy with policyType Ingress selects its pods {"app":"sample-application-py"}; any pod in the cluster can reach them',
            'Job default/mycache-smoke: no NetworkPolicy with policyType Ingress selects its pods {"app":"mycache-smoke","memcached-gke/direct-client":"true"}; any pod in the cluster can reach them',
        ]);
    });
    it("rejects a default deny in another namespace", async () => {
        const result = await stackMessages(s.networkPolicyCoversWorkloads, stack(...edited(T.networkPolicy, o => (o.metadata.namespace = "memcached"))));
        assert.equal(result.length, 4);
    });
});

describe(s.serviceSelectsWorkload.name, () => {
    it("rejects a Service whose selector matches no pods", async () => {
        assert.deepEqual(await stackMessages(s.serviceSelectsWorkload, stack(...edited(T.service, o => (o.spec.selector = { app: "mcrouter" }), 1))), [
            'Service default/mycache-mcrouter: selector {"app":"mcrouter"} selects no workload\'s pods in namespace "default"',
        ]);
    });
    it("rejects a Service in another namespace than its pods", async () => {
        assert.deepEqual(await stackMessages(s.serviceSelectsWorkload, stack(...edited(T.service, o => (o.metadata.namespace = "memcached"), 1))), [
            'Service memcached/mycache-mcrouter: selector {"app":"mycache-mcrouter","app.kubernetes.io/instance":"mycache","app.kubernetes.io/name":"mcrouter"} selects no workload\'s pods in namespace "memcached"',
        ]);
    });
    it("ignores Services without a selector and ExternalName Services", async () => {
        const extra: [string, Obj][] = [
            [T.service, { metadata: { name: "manual" }, spec: { ports: [{ port: 80 }] } }],
            [T.service, { metadata: { name: "ext" }, spec: { type: "ExternalName", externalName: "example.com", selector: { app: "none" } } }],
        ];
        assert.deepEqual(await stackMessages(s.serviceSelectsWorkload, stack(...cacheStack(), ...extra)), []);
    });
});

describe(s.readinessProbeBehindService.name, () => {
    it("rejects a workload behind a Service without any readinessProbe", async () => {
        const result = await stackMessages(s.readinessProbeBehindService, stack(...edited(T.daemonSet, o => delete o.spec.template.spec.containers[0].readinessProbe)));
        assert.deepEqual(result, ["DaemonSet default/mycache-mcrouter: selected by Service default/mycache-mcrouter but none of its containers has a readinessProbe"]);
    });
    it("accepts a metrics sidecar without a probe, even behind a metrics Service: memcached's probe gates the pod", async () => {
        // The exporter in the memcached fixture serves 9150 with only a livenessProbe.
        const metricsService: [string, Obj] = [
            T.service,
            variant(headlessService, o => {
                o.metadata.name = "mycache-memcached-metrics";
                o.spec = { selector: o.spec.selector, ports: [{ name: "metrics", port: 9150, targetPort: "metrics" }] };
            }),
        ];
        assert.deepEqual(await stackMessages(s.readinessProbeBehindService, stack(...cacheStack(), metricsService)), []);
    });
    it("leaves workloads no Service selects alone (the sample app, the smoke Job)", async () => {
        const noProbes = cacheStack().filter(([t]) => t === T.deployment || t === T.job);
        assert.deepEqual(await stackMessages(s.readinessProbeBehindService, stack(...noProbes)), []);
    });
});

describe(s.cacheServiceInternal.name, () => {
    it("rejects a LoadBalancer in front of mcrouter", async () => {
        assert.deepEqual(await stackMessages(s.cacheServiceInternal, stack(...edited(T.service, o => (o.spec.type = "LoadBalancer"), 1))), [
            "Service default/mycache-mcrouter is type LoadBalancer and selects the mcrouter pods of DaemonSet default/mycache-mcrouter; cache Services must stay inside the cluster (ClusterIP)",
        ]);
    });
    it("rejects a NodePort with externalIPs in front of memcached", async () => {
        const props = variant(headlessService, o => {
            o.metadata.name = "memcached-nodeport";
            o.spec = { ...o.spec, type: "NodePort", clusterIP: undefined, externalIPs: ["203.0.113.10"] };
        });
        assert.deepEqual(await stackMessages(s.cacheServiceInternal, stack(...cacheStack(), [T.service, props])), [
            'Service default/memcached-nodeport is type NodePort and sets externalIPs ["203.0.113.10"] and selects the memcached pods of StatefulSet default/mycache-memcached; cache Services must stay inside the cluster (ClusterIP)',
        ]);
    });
    it("accepts a LoadBalancer in front of something else", async () => {
        const lb = variant(mcrouterService, o => {
            o.metadata.name = "app-lb";
            o.spec = { type: "LoadBalancer", selector: { app: "sample-application-py" }, ports: [{ port: 80 }] };
        });
        assert.deepEqual(await stackMessages(s.cacheServiceInternal, stack(...cacheStack(), [T.service, lb])), []);
    });
});
