import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { validateStack } from "../src/engine";
import * as s from "../src/policies/stack";
import { CONFIG_DIR, readPackConfig } from "../src/stacks";
import {
    cacheStack,
    defaultDeny,
    gmpAdmission,
    headlessService,
    imageRepository,
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
        it(`${policy.name}: passes the cache stack with the managed Prometheus admission check (a Job mounting its own account's token, its Role and RoleBinding)`, async () => {
            assert.deepEqual(await stackMessages(policy, stack(...cacheStack(), ...gmpAdmission())), []);
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

describe(s.mcrouterImageOwnRegistry.name, () => {
    // The SDK's sentinel for a string unknown during preview (internal to @pulumi/policy, as src/engine.ts notes).
    const { unknownStringValue } = require("@pulumi/policy/proxy");
    const repo = (edit?: (o: any) => void): [string, Obj] => [T.repository, variant(imageRepository, edit)];
    const withImage = (image: unknown) => edited(T.daemonSet, o => (o.spec.template.spec.containers[0].image = image));
    const thirdParty =
        'DaemonSet default/mycache-mcrouter: container "mcrouter" runs mcrouter image "jphalip/mcrouter:0.36.0" from outside the stack\'s own registry ' +
        "(us-central1-docker.pkg.dev/my-project/memcached-prod/); build it with the mcrouter-image workflow and set memcached-gke:mcrouter.image to it (docs/delivery.md)";

    it("warns about a third-party mcrouter image in a stack with its own repository, on the workload, advisory", async () => {
        const vs = await validateStack(s.mcrouterImageOwnRegistry, stack(...cacheStack(), repo()));
        assert.deepEqual(vs.map(v => v.message), [thirdParty]);
        assert.equal(vs[0].urn, "urn:pulumi:test::memcached-gke::kubernetes:apps/v1:DaemonSet::mycache-mcrouter-3");
        assert.equal(vs[0].level, "advisory");
    });
    it("warns under config/production.json and says nothing under config/development.json", async () => {
        const production = readPackConfig(path.join(CONFIG_DIR, "production.json"));
        const development = readPackConfig(path.join(CONFIG_DIR, "development.json"));
        assert.deepEqual((await validateStack(s.mcrouterImageOwnRegistry, stack(...cacheStack(), repo()), production)).map(v => `${v.level} ${v.message}`), [`advisory ${thirdParty}`]);
        assert.deepEqual(await stackMessages(s.mcrouterImageOwnRegistry, stack(...cacheStack(), repo()), development), []);
    });
    it("accepts an image from the stack's own registry, by tag or digest, and ignores the other containers' images", async () => {
        for (const image of [
            "us-central1-docker.pkg.dev/my-project/memcached-prod/mcrouter:v2026.08.17.00",
            `us-central1-docker.pkg.dev/my-project/memcached-prod/mcrouter@sha256:${"a".repeat(64)}`,
        ]) {
            assert.deepEqual(await stackMessages(s.mcrouterImageOwnRegistry, stack(...withImage(image), repo())), [], image);
        }
    });
    it("names every repository of the stack, and holds the image to their exact prefix (not another project's or repository's)", async () => {
        const second = repo(o => (o.repositoryId = "shared"));
        const [message] = await stackMessages(s.mcrouterImageOwnRegistry, stack(...withImage("us-central1-docker.pkg.dev/other-project/memcached-prod/mcrouter:1"), repo(), second));
        assert.match(message, /runs mcrouter image "us-central1-docker\.pkg\.dev\/other-project\/memcached-prod\/mcrouter:1" from outside the stack's own registry \(us-central1-docker\.pkg\.dev\/my-project\/memcached-prod\/, us-central1-docker\.pkg\.dev\/my-project\/shared\/\)/);
        const prefixOnly = withImage("us-central1-docker.pkg.dev/my-project/memcached-prod-old/mcrouter:1");
        assert.equal((await stackMessages(s.mcrouterImageOwnRegistry, stack(...prefixOnly, repo()))).length, 1);
        assert.deepEqual(await stackMessages(s.mcrouterImageOwnRegistry, stack(...withImage("us-central1-docker.pkg.dev/my-project/shared/mcrouter:1"), repo(), second)), []);
    });
    it("says nothing without a Docker repository (the local stack: no GCP)", async () => {
        assert.deepEqual(await stackMessages(s.mcrouterImageOwnRegistry, stack(...cacheStack())), []);
        assert.deepEqual(await stackMessages(s.mcrouterImageOwnRegistry, stack(...cacheStack(), repo(o => (o.format = "MAVEN")))), []);
    });
    it("says nothing when a value is unknown during preview or unset (the image might be in the registry)", async () => {
        for (const [what, resources] of [
            ["the image unknown", stack(...withImage(unknownStringValue), repo())],
            ["the repository's project unknown", stack(...cacheStack(), repo(o => (o.project = unknownStringValue)))],
            ["the repository's id unknown", stack(...cacheStack(), repo(o => (o.repositoryId = unknownStringValue)))],
            ["the repository's project unset (the provider's default)", stack(...cacheStack(), repo(o => delete o.project))],
        ] as const) {
            assert.deepEqual(await validateStack(s.mcrouterImageOwnRegistry, [...resources]), [], what);
        }
    });
});

describe(s.noServiceAccountTokenAutomount.name, () => {
    // The SDK's sentinels for values unknown during preview (internal to @pulumi/policy, as src/engine.ts notes).
    const { unknownStringValue, unknownBooleanValue, unknownArrayValue } = require("@pulumi/policy/proxy");
    const policy = s.noServiceAccountTokenAutomount;
    /** The cache stack plus the admission check, its objects of `type` edited. */
    const admission = (type?: string, edit?: (o: any) => void, ...extra: [string, Obj][]): [string, Obj][] => [
        ...cacheStack(),
        ...gmpAdmission().map(([t, p]): [string, Obj] => [t, t === type && edit ? variant(p, edit) : p]),
        ...extra,
    ];
    const jobPod = (edit: (spec: Obj) => void) => admission(T.job, o => edit(o.spec.template.spec));
    const role = (edit: (o: any) => void) => admission(T.role, edit);
    const binding = (edit: (o: any) => void) => admission(T.roleBinding, edit);
    const clusterRoleBinding = (name: string, subjects: Obj[], roleRef: Obj = { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }): [string, Obj] => [
        T.clusterRoleBinding,
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name }, roleRef, subjects },
    ];
    const account = { kind: "ServiceAccount", name: "mycache-gmp-admission", namespace: "default" };
    const token = "pod spec mounts the token of ServiceAccount default/mycache-gmp-admission (automountServiceAccountToken true)";
    const viaRole = `${token}; RoleBinding default/mycache-gmp-admission binds it to Role default/mycache-gmp-admission, whose`;

    it("is a mandatory stack policy (it reads the ServiceAccounts, Roles and bindings beside the pod)", () => {
        assert.equal(policy.enforcementLevel, "mandatory");
        assert.equal(typeof policy.validateStack, "function");
    });
    it("accepts the admission check's shape: its own declared ServiceAccount, bound by a RoleBinding of its namespace to a Role that only creates PodMonitorings and Rules", async () => {
        assert.deepEqual(await stackMessages(policy, stack(...admission())), []);
        // automountServiceAccountToken unset mounts the token too, and is held to the same rule.
        assert.deepEqual(await stackMessages(policy, stack(...jobPod(p => delete p.automountServiceAccountToken))), []);
        // Reading is narrow too: get, list and watch on non-secret resources.
        const reader = role(o => o.rules.push({ apiGroups: [""], resources: ["configmaps", "pods/log"], verbs: ["get", "list", "watch"] }));
        assert.deepEqual(await stackMessages(policy, stack(...reader)), []);
    });
    it("accepts it in prod's namespace, where every object and subject is in memcached", async () => {
        const moved = admission().map(([t, p]): [string, Obj] => [
            t,
            variant(p, o => {
                o.metadata.namespace = "memcached";
                for (const subject of o.subjects ?? []) subject.namespace = "memcached";
            }),
        ]);
        assert.deepEqual(await stackMessages(policy, stack(...moved)), []);
    });
    it("leaves alone a pod that sets automountServiceAccountToken: false, whatever its account may do", async () => {
        const sampleAsDefault = edited(T.deployment, o => (o.spec.template.spec.serviceAccountName = "default"));
        assert.deepEqual(await stackMessages(policy, stack(...sampleAsDefault, clusterRoleBinding("default-admin", [{ kind: "ServiceAccount", name: "default", namespace: "default" }]))), []);
        assert.deepEqual(await stackMessages(policy, stack(...admission(T.job, o => (o.spec.template.spec.automountServiceAccountToken = false), clusterRoleBinding("admin", [account])))), []);
    });
    it("rejects a pod that mounts its token without a ServiceAccount of its own, with the rule's original message", async () => {
        assert.deepEqual(await stackMessages(policy, stack(...jobPod(p => delete p.serviceAccountName))), ["pod spec must set automountServiceAccountToken: false (got true)"]);
        assert.deepEqual(await stackMessages(policy, stack(...edited(T.statefulSet, o => delete o.spec.template.spec.automountServiceAccountToken))), [
            "pod spec must set automountServiceAccountToken: false (got unset)",
        ]);
        assert.deepEqual(await stackMessages(policy, stack(...edited(T.job, o => (o.spec.template.spec.automountServiceAccountToken = true)))), [
            "pod spec must set automountServiceAccountToken: false (got true)",
        ]);
    });
    it("checks a CronJob's job template and a bare Pod", async () => {
        const cron = { metadata: { name: "c", namespace: "default" }, spec: { jobTemplate: { spec: { template: { metadata: {}, spec: { containers: [] } } } } } };
        const pod = { metadata: { name: "p", namespace: "default" }, spec: { automountServiceAccountToken: false, containers: [] } };
        assert.deepEqual(await stackMessages(policy, stack([T.cronJob, cron], [T.pod, pod])), ["pod spec must set automountServiceAccountToken: false (got unset)"]);
    });
    it('rejects a pod that mounts the token of the namespace\'s "default" ServiceAccount', async () => {
        assert.deepEqual(await stackMessages(policy, stack(...jobPod(p => (p.serviceAccountName = "default")))), [
            'pod spec must set automountServiceAccountToken: false (got true): it runs as the namespace\'s "default" ServiceAccount; a pod that calls the Kubernetes API runs as a ServiceAccount of its own, declared in the stack',
        ]);
    });
    it("rejects a pod of a ServiceAccount the stack does not declare (in its namespace)", async () => {
        const expected = [`${token}, which the stack does not declare; declare the ServiceAccount and its Role in the stack, or set automountServiceAccountToken: false`];
        assert.deepEqual(await stackMessages(policy, stack(...admission().filter(([t]) => t !== T.serviceAccount))), expected);
        assert.deepEqual(await stackMessages(policy, stack(...admission(T.serviceAccount, o => (o.metadata.namespace = "memcached")))), expected);
        // The deprecated spec.serviceAccount names the account when serviceAccountName is unset.
        const deprecated = jobPod(p => {
            delete p.serviceAccountName;
            p.serviceAccount = "someone-else";
        });
        assert.deepEqual(await stackMessages(policy, stack(...deprecated)), [
            "pod spec mounts the token of ServiceAccount default/someone-else (automountServiceAccountToken true), which the stack does not declare; declare the ServiceAccount and its Role in the stack, or set automountServiceAccountToken: false",
        ]);
    });
    it("rejects an account bound to a ClusterRole, by its RoleBinding or by a ClusterRoleBinding", async () => {
        assert.deepEqual(await stackMessages(policy, stack(...binding(o => (o.roleRef = { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" })))), [
            `${token}; RoleBinding default/mycache-gmp-admission binds it to ClusterRole edit; only Roles of the stack in namespace "default" may be bound to it`,
        ]);
        assert.deepEqual(await stackMessages(policy, stack(...admission(undefined, undefined, clusterRoleBinding("gmp-admission-admin", [account])))), [
            `${token}; ClusterRoleBinding gmp-admission-admin binds it cluster-wide (to ClusterRole cluster-admin); only RoleBindings in namespace "default" to Roles of the stack may bind it`,
        ]);
    });
    it("counts the account's user name and the groups it is in as its subjects", async () => {
        for (const subject of [
            { kind: "User", name: "system:serviceaccount:default:mycache-gmp-admission" },
            { kind: "Group", name: "system:serviceaccounts" },
            { kind: "Group", name: "system:serviceaccounts:default" },
            { kind: "Group", name: "system:authenticated" },
        ]) {
            assert.deepEqual(await stackMessages(policy, stack(...admission(undefined, undefined, clusterRoleBinding("wide", [subject])))), [
                `${token}; ClusterRoleBinding wide binds it cluster-wide (to ClusterRole cluster-admin); only RoleBindings in namespace "default" to Roles of the stack may bind it`,
            ], JSON.stringify(subject));
        }
        // Other accounts, namespaces and groups are not it.
        for (const subject of [
            { kind: "ServiceAccount", name: "mycache-gmp-admission", namespace: "memcached" },
            { kind: "ServiceAccount", name: "other", namespace: "default" },
            { kind: "Group", name: "system:serviceaccounts:memcached" },
            { kind: "User", name: "ops@example.com" },
        ]) {
            assert.deepEqual(await stackMessages(policy, stack(...admission(undefined, undefined, clusterRoleBinding("other", [subject])))), [], JSON.stringify(subject));
        }
    });
    it("rejects a RoleBinding that binds the account in another namespace, or to a Role the stack does not declare", async () => {
        const elsewhere: [string, Obj] = [T.roleBinding, variant(gmpAdmission()[3][1], o => (o.metadata.namespace = "kube-system"))];
        assert.deepEqual(await stackMessages(policy, stack(...admission(undefined, undefined, elsewhere))), [
            `${token}; RoleBinding kube-system/mycache-gmp-admission binds it in namespace "kube-system", outside its own namespace "default"`,
        ]);
        assert.deepEqual(await stackMessages(policy, stack(...binding(o => (o.roleRef.name = "mycache-gmp-admin")))), [
            `${token}; RoleBinding default/mycache-gmp-admission binds it to Role default/mycache-gmp-admin, which the stack does not declare`,
        ]);
    });
    it('rejects a Role with "*" in its verbs, resources or API groups', async () => {
        assert.deepEqual(await stackMessages(policy, stack(...role(o => (o.rules[0].verbs = ["*"])))), [`${viaRole} rules[0] has the wildcard "*" in verbs`]);
        const wild = role(o => o.rules.push({ apiGroups: ["*"], resources: ["*/scale", "configmaps"], verbs: ["get"] }));
        assert.deepEqual(await stackMessages(policy, stack(...wild)), [`${viaRole} rules[1] has the wildcard "*" in apiGroups`, `${viaRole} rules[1] has the wildcard "*/scale" in resources`]);
    });
    it("rejects a Role that covers secrets, exec, attach, port-forward, token requests or RBAC, or grants a verb beyond get, list, watch, create", async () => {
        assert.deepEqual(await stackMessages(policy, stack(...role(o => o.rules.push({ apiGroups: [""], resources: ["secrets"], verbs: ["get"] })))), [`${viaRole} rules[1] covers resource "secrets"`]);
        const wide = role(o => {
            o.rules[0].verbs = ["create", "delete", "patch"];
            o.rules.push({ apiGroups: [""], resources: ["pods/exec", "pods/attach", "pods/portforward", "serviceaccounts/token"], verbs: ["create"] });
            o.rules.push({ apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: ["get", "escalate", "bind"] });
        });
        assert.deepEqual(await stackMessages(policy, stack(...wide)), [
            `${viaRole} rules[0] grants verb "delete" (allowed: get, list, watch, create)`,
            `${viaRole} rules[0] grants verb "patch" (allowed: get, list, watch, create)`,
            `${viaRole} rules[1] covers resource "pods/exec"`,
            `${viaRole} rules[1] covers resource "pods/attach"`,
            `${viaRole} rules[1] covers resource "pods/portforward"`,
            `${viaRole} rules[1] covers resource "serviceaccounts/token"`,
            `${viaRole} rules[2] covers API group "rbac.authorization.k8s.io"`,
            `${viaRole} rules[2] grants verb "escalate" (allowed: get, list, watch, create)`,
            `${viaRole} rules[2] grants verb "bind" (allowed: get, list, watch, create)`,
        ]);
    });
    it("blames the workload's URN, mandatory, once per problem however often a binding lists the account", async () => {
        const twice = binding(o => o.subjects.push({ ...account }));
        const vs = await validateStack(policy, stack(...twice.map(([t, p]): [string, Obj] => [t, t === T.role ? variant(p, o => (o.rules[0].verbs = ["*"])) : p])));
        assert.deepEqual(vs.map(v => [v.level, v.urn, v.message]), [
            ["mandatory", "urn:pulumi:test::memcached-gke::kubernetes:batch/v1:Job::mycache-gmp-admission-2616d4c7c3-11", `${viaRole} rules[0] has the wildcard "*" in verbs`],
        ]);
    });
    it("says nothing about a value unknown during preview (the policy runs on the real values at pulumi up)", async () => {
        for (const [what, objects] of [
            ["automountServiceAccountToken unknown (no serviceAccountName)", jobPod(p => {
                p.automountServiceAccountToken = unknownBooleanValue;
                delete p.serviceAccountName;
            })],
            ["serviceAccountName unknown", jobPod(p => (p.serviceAccountName = unknownStringValue))],
            ["the pod's namespace unknown", admission(T.job, o => (o.metadata.namespace = unknownStringValue))],
            ["the ServiceAccount's name unknown (the only account)", admission(T.serviceAccount, o => (o.metadata.name = unknownStringValue))],
            ["the ServiceAccount's namespace unknown", admission(T.serviceAccount, o => (o.metadata.namespace = unknownStringValue))],
            ["a ClusterRoleBinding's subjects unknown", admission(undefined, undefined, clusterRoleBinding("x", unknownArrayValue))],
            ["a ClusterRoleBinding subject's name unknown", admission(undefined, undefined, clusterRoleBinding("x", [{ kind: "ServiceAccount", name: unknownStringValue, namespace: "default" }]))],
            ["the RoleBinding's roleRef kind unknown", binding(o => (o.roleRef = { apiGroup: "rbac.authorization.k8s.io", kind: unknownStringValue, name: "edit" }))],
            ["the RoleBinding's roleRef name unknown", binding(o => (o.roleRef.name = unknownStringValue))],
            ["the RoleBinding's namespace unknown", binding(o => (o.metadata.namespace = unknownStringValue))],
            ["the Role's name unknown (the only Role)", role(o => (o.metadata.name = unknownStringValue))],
            ["the Role's rules unknown", role(o => (o.rules = unknownArrayValue))],
            ["a verb unknown", role(o => (o.rules[0].verbs = ["create", unknownStringValue]))],
            ["a rule's resources unknown", role(o => (o.rules[0].resources = unknownArrayValue))],
        ] as const) {
            assert.deepEqual(await validateStack(policy, stack(...(objects as [string, Obj][]))), [], what);
        }
    });
    it("still reports what is known beside what is not", async () => {
        const objects = admission(T.role, o => (o.rules = [{ apiGroups: [""], resources: ["secrets", unknownStringValue], verbs: ["get"] }]), [T.serviceAccount, { metadata: { name: unknownStringValue, namespace: "default" } }]);
        assert.deepEqual(await stackMessages(policy, stack(...objects)), [`${viaRole} rules[0] covers resource "secrets"`]);
    });
});
