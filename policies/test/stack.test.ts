import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateStack } from "../src/engine";
import * as s from "../src/policies/stack";
import {
    cacheStack,
    defaultDeny,
    headlessService,
    mcrouterConfig,
    mcrouterService,
    memcachedPdb,
    memcachedStatefulSet,
    stack,
    stackMessages,
    T,
    variant,
} from "./fixtures";

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

describe(`${s.pdbAllowsDisruption.name}: replica counts and rounding`, () => {
    const withReplicas = (replicas: number, spec: Obj) =>
        stack(
            ...cacheStack().map(([t, p]): [string, Obj] => {
                if (t === T.statefulSet) return [t, variant(p, o => (o.spec.replicas = replicas))];
                if (t === T.pdb) return [t, variant(p, o => (o.spec = { ...spec, selector: memcachedPdb.spec.selector }))];
                return [t, p];
            }),
        );
    it("rejects minAvailable 1 of a single replica", async () => {
        assert.deepEqual(await stackMessages(s.pdbAllowsDisruption, withReplicas(1, { minAvailable: 1 })), [
            "PodDisruptionBudget default/mycache-memcached: minAvailable 1 of 1 selected replica (StatefulSet default/mycache-memcached) allows no voluntary disruption; node drains and GKE upgrades would stall",
        ]);
    });
    it("accepts maxUnavailable 1 of a single replica", async () => {
        assert.deepEqual(await stackMessages(s.pdbAllowsDisruption, withReplicas(1, { maxUnavailable: 1 })), []);
    });
    it("rounds minAvailable percentages up, as Kubernetes does: 66% of 3 leaves one, 67% leaves none", async () => {
        assert.deepEqual(await stackMessages(s.pdbAllowsDisruption, withReplicas(3, { minAvailable: "66%" })), []);
        assert.deepEqual(await stackMessages(s.pdbAllowsDisruption, withReplicas(3, { minAvailable: "67%" })), [
            'PodDisruptionBudget default/mycache-memcached: minAvailable "67%" of 3 selected replicas (StatefulSet default/mycache-memcached) allows no voluntary disruption; node drains and GKE upgrades would stall',
        ]);
    });
    it("rounds maxUnavailable percentages up, as Kubernetes does: 1% of 3 is one pod", async () => {
        assert.deepEqual(await stackMessages(s.pdbAllowsDisruption, withReplicas(3, { maxUnavailable: "1%" })), []);
        assert.deepEqual(await stackMessages(s.pdbAllowsDisruption, withReplicas(3, { maxUnavailable: "0" })), [
            'PodDisruptionBudget default/mycache-memcached: maxUnavailable "0" allows no voluntary disruption; node drains and GKE upgrades would stall',
        ]);
    });
    it("rejects minAvailable above 100% even when the replica count is unknown, and leaves zero replicas alone", async () => {
        assert.deepEqual(await stackMessages(s.pdbAllowsDisruption, withReplicas(0, { minAvailable: 1 })), []);
        assert.deepEqual(await stackMessages(s.pdbAllowsDisruption, withReplicas(0, { minAvailable: "150%" })), [
            'PodDisruptionBudget default/mycache-memcached: minAvailable "150%" of 0 selected replicas (StatefulSet default/mycache-memcached) allows no voluntary disruption; node drains and GKE upgrades would stall',
        ]);
    });
    it("rejects pods selected by two PodDisruptionBudgets (the eviction API refuses them)", async () => {
        const second = variant(memcachedPdb, o => {
            o.metadata.name = "memcached-extra";
            o.spec = { maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "memcached" } } };
        });
        assert.deepEqual(await stackMessages(s.pdbAllowsDisruption, stack(...cacheStack(), [T.pdb, second])), [
            "StatefulSet default/mycache-memcached: its pods are selected by 2 PodDisruptionBudgets (PodDisruptionBudget default/mycache-memcached, PodDisruptionBudget default/memcached-extra); the eviction API refuses to evict a pod with more than one, so node drains and GKE upgrades would stall",
        ]);
    });
});

describe(s.networkPolicyAdmitsServiceTraffic.name, () => {
    const withoutNp = (name: string) => cacheStack().filter(([t, p]) => !(t === T.networkPolicy && p.metadata.name === name));
    it("rejects a Service's workload isolated by the default deny alone (its own policy removed)", async () => {
        assert.deepEqual(await stackMessages(s.networkPolicyAdmitsServiceTraffic, stack(...withoutNp("mycache-memcached"))), [
            "StatefulSet default/mycache-memcached: selected by Service default/mycache-memcached, but the only NetworkPolicies selecting its pods (NetworkPolicy default/default-deny-ingress) admit no ingress; every client connection is dropped",
        ]);
    });
    it("rejects a workload whose own policy lists no ingress rules", async () => {
        const objs = cacheStack().map(([t, p]): [string, Obj] => [t, t === T.networkPolicy && p.metadata.name === "mycache-mcrouter" ? variant(p, o => (o.spec.ingress = [])) : p]);
        assert.deepEqual(await stackMessages(s.networkPolicyAdmitsServiceTraffic, stack(...objs)), [
            "DaemonSet default/mycache-mcrouter: selected by Service default/mycache-mcrouter, but the only NetworkPolicies selecting its pods (NetworkPolicy default/default-deny-ingress, NetworkPolicy default/mycache-mcrouter) admit no ingress; every client connection is dropped",
        ]);
    });
    it("leaves alone workloads no Service selects (the app, the smoke Job) and workloads no policy selects (k8s-networkpolicy-covers-workloads reports those)", async () => {
        assert.deepEqual(await stackMessages(s.networkPolicyAdmitsServiceTraffic, stack(...without(T.networkPolicy))), []);
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

describe(s.mcrouterPoolsMatchStatefulSet.name, () => {
    const host = (i: number, ns = "default") => `mycache-memcached-${i}.mycache-memcached.${ns}.svc.cluster.local:11211`;
    /** The compliant stack with mcrouter's config.json replaced by `config` (edited from the fixture's). */
    const withConfig = (edit: (c: any) => void, extra: (objs: [string, Obj][]) => [string, Obj][] = o => o) => {
        const config = structuredClone(mcrouterConfig) as any;
        edit(config);
        return stack(...extra(edited(T.configMap, o => (o.data["config.json"] = JSON.stringify(config)))));
    };
    const at = "ConfigMap default/mycache-mcrouter config.json";
    it("accepts two pools in ordinal order during a resize, routed by a nested route tree", async () => {
        const resize = withConfig(c => {
            c.pools = { old: { servers: [host(0), host(1)] }, new: { servers: [host(0), host(1), host(2)] } };
            c.route = { type: "PrefixSelectorRoute", policies: {}, wildcard: { type: "WarmUpRoute", cold: "PoolRoute|new", warm: { type: "PoolRoute", pool: "old" } } };
        });
        assert.deepEqual(await stackMessages(s.mcrouterPoolsMatchStatefulSet, resize), []);
        // The program's own resize shape: pool A the layout in use, B the one to end with, one MigrateRoute between them.
        const bothPools = { type: "AllSyncRoute", children: ["PoolRoute|A", "PoolRoute|B"] };
        const migrating = withConfig(c => {
            c.pools = { A: { servers: [host(0), host(1)] }, B: { servers: [host(0), host(1), host(2)] } };
            c.route = {
                type: "OperationSelectorRoute",
                default_policy: {
                    type: "MigrateRoute",
                    from: "PoolRoute|A",
                    to: {
                        type: "OperationSelectorRoute",
                        default_policy: { type: "WarmUpRoute", cold: "PoolRoute|B", warm: "PoolRoute|A", exptime: 3600 },
                        operation_policies: { set: bothPools },
                    },
                    start_time: 1700000000,
                    interval: 3600,
                },
                operation_policies: { delete: bothPools },
            };
        });
        assert.deepEqual(await stackMessages(s.mcrouterPoolsMatchStatefulSet, migrating), []);
        const routes = withConfig(c => {
            delete c.route;
            c.routes = [{ aliases: ["/a/a/"], route: { type: "OperationSelectorRoute", default_policy: "PoolRoute|A", operation_policies: { delete: { type: "AllSyncRoute", children: ["PoolRoute|A"] } } } }];
        });
        assert.deepEqual(await stackMessages(s.mcrouterPoolsMatchStatefulSet, routes), []);
    });
    it("rejects a server that is not a pod (wrong namespace) and reports the pod it should have been", async () => {
        assert.deepEqual(await stackMessages(s.mcrouterPoolsMatchStatefulSet, withConfig(c => (c.pools.A.servers[1] = host(1, "memcached")))), [
            `${at}: pool "A" server "${host(1, "memcached")}" is not a pod of StatefulSet default/mycache-memcached (3 replicas: mycache-memcached-<i>.mycache-memcached.default.svc.cluster.local:11211, i = 0..2)`,
            `${at}: pool "A" lists pods 0, 2 of StatefulSet default/mycache-memcached; a pool lists pods 0..1 in ordinal order (mcrouter hashes keys by position)`,
            `${at}: no pool lists "${host(1)}", pod 1 of the 3 of StatefulSet default/mycache-memcached; its shard takes no keys`,
        ]);
    });
    it("rejects a pod no pool lists (the StatefulSet scaled up, the config not)", async () => {
        const scaled = withConfig(
            () => undefined,
            objs => objs.map(([t, p]): [string, Obj] => [t, t === T.statefulSet ? variant(p, o => (o.spec.replicas = 4)) : p]),
        );
        assert.deepEqual(await stackMessages(s.mcrouterPoolsMatchStatefulSet, scaled), [
            `${at}: no pool lists "${host(3)}", pod 3 of the 4 of StatefulSet default/mycache-memcached; its shard takes no keys`,
        ]);
    });
    it("rejects a server past the last ordinal (the StatefulSet scaled down, the config not)", async () => {
        const scaled = withConfig(
            () => undefined,
            objs => objs.map(([t, p]): [string, Obj] => [t, t === T.statefulSet ? variant(p, o => (o.spec.replicas = 2)) : p]),
        );
        assert.deepEqual(await stackMessages(s.mcrouterPoolsMatchStatefulSet, scaled), [
            `${at}: pool "A" server "${host(2)}" is not a pod of StatefulSet default/mycache-memcached (2 replicas: mycache-memcached-<i>.mycache-memcached.default.svc.cluster.local:11211, i = 0..1)`,
        ]);
    });
    it("rejects a server listed twice in one pool, and a pool out of ordinal order", async () => {
        assert.deepEqual(await stackMessages(s.mcrouterPoolsMatchStatefulSet, withConfig(c => c.pools.A.servers.push(host(0)))), [
            `${at}: pool "A" lists "${host(0)}" more than once`,
        ]);
        assert.deepEqual(await stackMessages(s.mcrouterPoolsMatchStatefulSet, withConfig(c => c.pools.A.servers.reverse())), [
            `${at}: pool "A" lists pods 2, 1, 0 of StatefulSet default/mycache-memcached; a pool lists pods 0..2 in ordinal order (mcrouter hashes keys by position)`,
        ]);
    });
    it("follows the memcached port (-p) and the governing Service name", async () => {
        const objs = edited(T.statefulSet, o => {
            o.spec.template.spec.containers[0].args[1] = "11212";
        });
        assert.deepEqual(await stackMessages(s.mcrouterPoolsMatchStatefulSet, stack(...objs)), [
            `${at}: pool "A" server "${host(0)}" is not a pod of StatefulSet default/mycache-memcached (3 replicas: mycache-memcached-<i>.mycache-memcached.default.svc.cluster.local:11212, i = 0..2)`,
            `${at}: pool "A" server "${host(1)}" is not a pod of StatefulSet default/mycache-memcached (3 replicas: mycache-memcached-<i>.mycache-memcached.default.svc.cluster.local:11212, i = 0..2)`,
            `${at}: pool "A" server "${host(2)}" is not a pod of StatefulSet default/mycache-memcached (3 replicas: mycache-memcached-<i>.mycache-memcached.default.svc.cluster.local:11212, i = 0..2)`,
            `${at}: no pool lists "mycache-memcached-0.mycache-memcached.default.svc.cluster.local:11212", pod 0 of the 3 of StatefulSet default/mycache-memcached; its shard takes no keys`,
            `${at}: no pool lists "mycache-memcached-1.mycache-memcached.default.svc.cluster.local:11212", pod 1 of the 3 of StatefulSet default/mycache-memcached; its shard takes no keys`,
            `${at}: no pool lists "mycache-memcached-2.mycache-memcached.default.svc.cluster.local:11212", pod 2 of the 3 of StatefulSet default/mycache-memcached; its shard takes no keys`,
        ]);
    });
    it("rejects a route to a pool \"pools\" doesn't define, and a pool no route uses", async () => {
        assert.deepEqual(await stackMessages(s.mcrouterPoolsMatchStatefulSet, withConfig(c => (c.route = "PoolRoute|B"))), [
            `${at}: the route uses pool "B", which "pools" does not define`,
            `${at}: pool "A" is not used by the route; its servers get no requests`,
        ]);
        assert.deepEqual(await stackMessages(s.mcrouterPoolsMatchStatefulSet, withConfig(c => (c.pools.B = { servers: [host(0)] }))), [
            `${at}: pool "B" is not used by the route; its servers get no requests`,
        ]);
        assert.deepEqual(await stackMessages(s.mcrouterPoolsMatchStatefulSet, withConfig(c => delete c.route)), [
            `${at} has no "route" (or "routes"); mcrouter routes nothing to its pools`,
        ]);
    });
    it("rejects a config mcrouter mounts that is not JSON; ignores other ConfigMaps with a config.json", async () => {
        const broken = stack(...edited(T.configMap, o => (o.data["config.json"] = "{ pools: ")));
        const result = await stackMessages(s.mcrouterPoolsMatchStatefulSet, broken);
        assert.equal(result.length, 1);
        assert.match(result[0], /^ConfigMap default\/mycache-mcrouter config\.json is not valid JSON \(.*\); mcrouter can't load it$/);
        const other: [string, Obj] = [T.configMap, { metadata: { name: "app-config", namespace: "default" }, data: { "config.json": "not json" } }];
        const unrelated: [string, Obj] = [T.configMap, { metadata: { name: "app-settings", namespace: "default" }, data: { "config.json": '{"debug": true}' } }];
        assert.deepEqual(await stackMessages(s.mcrouterPoolsMatchStatefulSet, stack(...cacheStack(), other, unrelated)), []);
    });
    it("rejects pools with no memcached StatefulSet in the namespace", async () => {
        const noSts = cacheStack().filter(([t]) => t !== T.statefulSet);
        assert.deepEqual(await stackMessages(s.mcrouterPoolsMatchStatefulSet, stack(...noSts)), [`${at}: no memcached StatefulSet in namespace "default" backs its pools`]);
    });
    it("picks the StatefulSet the hosts name when the namespace has several", async () => {
        const other = variant(memcachedStatefulSet, o => {
            o.metadata.name = "other-cache";
            o.spec.replicas = 5;
        });
        assert.deepEqual(await stackMessages(s.mcrouterPoolsMatchStatefulSet, stack(...cacheStack(), [T.statefulSet, other])), []);
    });
});

describe(`${s.statefulSetHasPdb.name}: at most one pod at a time`, () => {
    const withPdb = (spec: Obj) => stack(...edited(T.pdb, o => (o.spec = { ...spec, selector: memcachedPdb.spec.selector })));
    it("accepts maxUnavailable 1 or 33% (rounds up to 1 of 3), and minAvailable replicas - 1", async () => {
        for (const spec of [{ maxUnavailable: 1 }, { maxUnavailable: "33%" }, { minAvailable: 2 }, { minAvailable: "51%" }]) {
            assert.deepEqual(await stackMessages(s.statefulSetHasPdb, withPdb(spec)), [], JSON.stringify(spec));
        }
    });
    it("rejects a budget that lets two or more memcached shards go at once", async () => {
        assert.deepEqual(await stackMessages(s.statefulSetHasPdb, withPdb({ maxUnavailable: 2 })), [
            "StatefulSet default/mycache-memcached: PodDisruptionBudget default/mycache-memcached (maxUnavailable 2) lets 2 of 3 pods be disrupted at once; a drain may take several shards down together, allow at most 1",
        ]);
        assert.deepEqual(await stackMessages(s.statefulSetHasPdb, withPdb({ maxUnavailable: "34%" })), [
            'StatefulSet default/mycache-memcached: PodDisruptionBudget default/mycache-memcached (maxUnavailable "34%") lets 2 of 3 pods be disrupted at once; a drain may take several shards down together, allow at most 1',
        ]);
        assert.deepEqual(await stackMessages(s.statefulSetHasPdb, withPdb({ minAvailable: "33%" })), [
            'StatefulSet default/mycache-memcached: PodDisruptionBudget default/mycache-memcached (minAvailable "33%") lets 2 of 3 pods be disrupted at once; a drain may take several shards down together, allow at most 1',
        ]);
        assert.deepEqual(await stackMessages(s.statefulSetHasPdb, withPdb({})), [
            "StatefulSet default/mycache-memcached: PodDisruptionBudget default/mycache-memcached (neither minAvailable nor maxUnavailable) lets 3 of 3 pods be disrupted at once; a drain may take several shards down together, allow at most 1",
        ]);
    });
});

describe(s.mcrouterReachesMemcached.name, () => {
    const editNp = (name: string, edit: (o: any) => void) =>
        stack(...cacheStack().map(([t, p]): [string, Obj] => [t, t === T.networkPolicy && p.metadata.name === name ? variant(p, edit) : p]));
    it("accepts a namespaceSelector on the namespace's name, a numbered port and a port range", async () => {
        const viaNamespace = editNp("mycache-memcached", o => {
            o.spec.ingress[0].from = [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "default" } }, podSelector: { matchLabels: { app: "mycache-mcrouter" } } }];
            o.spec.ingress[0].ports = [{ port: 11000, endPort: 12000, protocol: "TCP" }];
        });
        assert.deepEqual(await stackMessages(s.mcrouterReachesMemcached, viaNamespace), []);
    });
    it("rejects memcached's ingress without the mcrouter peer, or on another port", async () => {
        const expected = [
            'StatefulSet default/mycache-memcached: its NetworkPolicies (NetworkPolicy default/default-deny-ingress, NetworkPolicy default/mycache-memcached) admit no ingress from the mcrouter pods of DaemonSet default/mycache-mcrouter on port 11211 ("memcache"); mcrouter can\'t reach its pool',
        ];
        assert.deepEqual(await stackMessages(s.mcrouterReachesMemcached, editNp("mycache-memcached", o => o.spec.ingress[0].from.shift())), expected);
        assert.deepEqual(await stackMessages(s.mcrouterReachesMemcached, editNp("mycache-memcached", o => (o.spec.ingress[0].ports = [{ port: "metrics" }]))), expected);
        const otherNamespace = editNp("mycache-memcached", o => (o.spec.ingress[0].from[0].namespaceSelector = { matchLabels: { "kubernetes.io/metadata.name": "memcached" } }));
        assert.deepEqual(await stackMessages(s.mcrouterReachesMemcached, otherNamespace), expected);
    });
    it("rejects mcrouter's egress to memcached on the wrong port, and without DNS", async () => {
        assert.deepEqual(await stackMessages(s.mcrouterReachesMemcached, editNp("mycache-mcrouter", o => (o.spec.egress[0].ports[0].port = 11212))), [
            'DaemonSet default/mycache-mcrouter: its NetworkPolicies (NetworkPolicy default/mycache-mcrouter) admit no egress to the memcached pods of StatefulSet default/mycache-memcached on port 11211 ("memcache"); mcrouter can\'t reach its pool',
        ]);
        assert.deepEqual(await stackMessages(s.mcrouterReachesMemcached, editNp("mycache-mcrouter", o => o.spec.egress.pop())), [
            "DaemonSet default/mycache-mcrouter: its NetworkPolicies (NetworkPolicy default/mycache-mcrouter) admit no egress on port 53/UDP (DNS); mcrouter can't resolve its pool's host names",
        ]);
    });
    it("leaves pods no policy isolates alone (k8s-networkpolicy-covers-workloads reports those)", async () => {
        assert.deepEqual(await stackMessages(s.mcrouterReachesMemcached, stack(...without(T.networkPolicy))), []);
    });
});
