import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as k from "../src/policies/kubernetes";
import {
    cacheNamespace,
    defaultDeny,
    gmpAdmissionJob,
    mcrouterDaemonSet,
    mcrouterNetworkPolicy,
    memcachedNetworkPolicy,
    memcachedStatefulSet,
    messages,
    sampleDeployment,
    smokeJob,
    T,
    variant,
} from "./fixtures";

const compliant: [string, Record<string, any>][] = [
    [T.statefulSet, memcachedStatefulSet],
    [T.daemonSet, mcrouterDaemonSet],
    [T.deployment, sampleDeployment],
    [T.job, smokeJob],
    // The one pod that mounts its token (k8s-no-service-account-token-automount, a stack policy, judges that).
    [T.job, gmpAdmissionJob],
];

const sts = (edit: (o: any) => void) => variant(memcachedStatefulSet, edit);
const ds = (edit: (o: any) => void) => variant(mcrouterDaemonSet, edit);
const podSpec = (o: any) => o.spec.template.spec;
const memcached = (o: any) => o.spec.template.spec.containers[0];
const exporter = (o: any) => o.spec.template.spec.containers[1];
const mcrouter = (o: any) => o.spec.template.spec.containers[0];

describe("every Kubernetes resource policy", () => {
    for (const policy of k.kubernetesPolicies) {
        it(`${policy.name}: passes the compliant StatefulSet, DaemonSet, Deployment and Jobs`, async () => {
            for (const [type, props] of compliant) {
                assert.deepEqual(await messages(policy, type, props), [], `${policy.name} on ${type}`);
            }
        });
        it(`${policy.name}: ignores CRDs and objects without pods`, async () => {
            const podMonitoring = { apiVersion: "monitoring.googleapis.com/v1", kind: "PodMonitoring", metadata: { name: "m" }, spec: { selector: {}, endpoints: [{ port: "metrics" }] } };
            assert.deepEqual(await messages(policy, T.podMonitoring, podMonitoring), []);
            assert.deepEqual(await messages(policy, T.configMap, { metadata: { name: "c" }, data: { a: "b" } }), []);
            // A CRD named like a workload in another group is not a workload.
            const lookalike = variant(memcachedStatefulSet, o => (podSpec(o).hostNetwork = true));
            assert.deepEqual(await messages(policy, "kubernetes:example.com/v1:StatefulSet", lookalike), []);
        });
    }
});

describe(k.hostPortsKnownList.name, () => {
    const withHostPort = (port: number) => ds(o => (mcrouter(o).ports[0].hostPort = port));
    it("allows hostPort 5000 by default (the schema default)", async () => {
        assert.deepEqual(await messages(k.hostPortsKnownList, T.daemonSet, withHostPort(5000)), []);
    });
    it("rejects a hostPort outside the default list", async () => {
        assert.deepEqual(await messages(k.hostPortsKnownList, T.daemonSet, withHostPort(6000)), [
            'container "mcrouter" uses hostPort 6000, which is not in allowedHostPorts [5000]',
        ]);
    });
    it("allows a hostPort the pack config lists, and then rejects 5000 if the list drops it", async () => {
        const config = { "k8s-host-ports-known-list": { allowedHostPorts: [6000] } };
        assert.deepEqual(await messages(k.hostPortsKnownList, T.daemonSet, withHostPort(6000), config), []);
        assert.deepEqual(await messages(k.hostPortsKnownList, T.daemonSet, withHostPort(5000), config), [
            'container "mcrouter" uses hostPort 5000, which is not in allowedHostPorts [6000]',
        ]);
    });
    it("checks init containers too, and treats hostPort 0 as unset", async () => {
        const props = ds(o => {
            mcrouter(o).ports[0].hostPort = 0;
            podSpec(o).initContainers = [{ name: "init", image: "busybox:1.37.0", ports: [{ containerPort: 80, hostPort: 80 }] }];
        });
        assert.deepEqual(await messages(k.hostPortsKnownList, T.daemonSet, props), [
            'init container "init" uses hostPort 80, which is not in allowedHostPorts [5000]',
        ]);
    });
    it("checks a bare Pod and a CronJob", async () => {
        const pod = { metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "x:1", ports: [{ containerPort: 8080, hostPort: 8080 }] }] } };
        assert.deepEqual(await messages(k.hostPortsKnownList, T.pod, pod), ['container "c" uses hostPort 8080, which is not in allowedHostPorts [5000]']);
        const cron = { metadata: { name: "cj" }, spec: { jobTemplate: { spec: { template: { spec: pod.spec } } } } };
        assert.deepEqual(await messages(k.hostPortsKnownList, T.cronJob, cron), ['container "c" uses hostPort 8080, which is not in allowedHostPorts [5000]']);
    });
});

describe(k.noPrivilegedContainers.name, () => {
    it("rejects privileged: true", async () => {
        assert.deepEqual(await messages(k.noPrivilegedContainers, T.statefulSet, sts(o => (exporter(o).securityContext.privileged = true))), [
            'container "exporter" sets securityContext.privileged: true',
        ]);
    });
    it("checks ephemeral containers", async () => {
        const props = sts(o => (podSpec(o).ephemeralContainers = [{ name: "debug", image: "busybox:1.37.0", securityContext: { privileged: true } }]));
        assert.deepEqual(await messages(k.noPrivilegedContainers, T.statefulSet, props), ['ephemeral container "debug" sets securityContext.privileged: true']);
    });
});

describe(k.noPrivilegeEscalation.name, () => {
    it("rejects allowPrivilegeEscalation true or unset", async () => {
        assert.deepEqual(await messages(k.noPrivilegeEscalation, T.statefulSet, sts(o => (memcached(o).securityContext.allowPrivilegeEscalation = true))), [
            'container "memcached" must set securityContext.allowPrivilegeEscalation: false (got true)',
        ]);
        assert.deepEqual(await messages(k.noPrivilegeEscalation, T.statefulSet, sts(o => delete exporter(o).securityContext)), [
            'container "exporter" must set securityContext.allowPrivilegeEscalation: false (got unset)',
        ]);
    });
});

describe(k.noHostNamespaces.name, () => {
    it("rejects hostNetwork, hostPID and hostIPC", async () => {
        const props = ds(o => Object.assign(podSpec(o), { hostNetwork: true, hostPID: true, hostIPC: true }));
        assert.deepEqual(await messages(k.noHostNamespaces, T.daemonSet, props), [
            "pod spec sets hostNetwork: true",
            "pod spec sets hostPID: true",
            "pod spec sets hostIPC: true",
        ]);
    });
    it("accepts them set to false", async () => {
        const props = ds(o => Object.assign(podSpec(o), { hostNetwork: false, hostPID: false, hostIPC: false }));
        assert.deepEqual(await messages(k.noHostNamespaces, T.daemonSet, props), []);
    });
});

describe(k.noHostPathVolumes.name, () => {
    it("rejects a hostPath volume, accepts configMap and emptyDir", async () => {
        const props = ds(o => podSpec(o).volumes.push({ name: "scratch", emptyDir: {} }, { name: "sock", hostPath: { path: "/var/run/containerd.sock" } }));
        assert.deepEqual(await messages(k.noHostPathVolumes, T.daemonSet, props), ['volume "sock" mounts hostPath "/var/run/containerd.sock"']);
    });
});

describe(k.capabilitiesRestricted.name, () => {
    it("rejects added capabilities other than NET_BIND_SERVICE", async () => {
        const props = ds(o => (mcrouter(o).securityContext.capabilities.add = ["NET_BIND_SERVICE", "NET_ADMIN", "CAP_SYS_ADMIN"]));
        assert.deepEqual(await messages(k.capabilitiesRestricted, T.daemonSet, props), [
            'container "mcrouter" adds capability "NET_ADMIN"; only NET_BIND_SERVICE may be added',
            'container "mcrouter" adds capability "CAP_SYS_ADMIN"; only NET_BIND_SERVICE may be added',
        ]);
    });
    it("requires dropping ALL", async () => {
        assert.deepEqual(await messages(k.capabilitiesRestricted, T.daemonSet, ds(o => (mcrouter(o).securityContext.capabilities.drop = ["NET_RAW"]))), [
            'container "mcrouter" must drop capability "ALL" (securityContext.capabilities.drop is ["NET_RAW"])',
        ]);
        assert.deepEqual(await messages(k.capabilitiesRestricted, T.daemonSet, ds(o => delete mcrouter(o).securityContext.capabilities)), [
            'container "mcrouter" must drop capability "ALL" (securityContext.capabilities.drop is unset)',
        ]);
    });
});

describe(k.seccompRuntimeDefault.name, () => {
    it("accepts RuntimeDefault on the container when the pod sets none", async () => {
        const props = ds(o => {
            delete podSpec(o).securityContext.seccompProfile;
            mcrouter(o).securityContext.seccompProfile = { type: "RuntimeDefault" };
        });
        assert.deepEqual(await messages(k.seccompRuntimeDefault, T.daemonSet, props), []);
    });
    it("rejects no profile at all", async () => {
        const props = ds(o => delete podSpec(o).securityContext.seccompProfile);
        assert.deepEqual(await messages(k.seccompRuntimeDefault, T.daemonSet, props), [
            'container "mcrouter" has no seccompProfile; set type RuntimeDefault in the pod or container securityContext',
        ]);
    });
    it("rejects a container that overrides the pod profile with Unconfined", async () => {
        const props = sts(o => (exporter(o).securityContext.seccompProfile = { type: "Unconfined" }));
        assert.deepEqual(await messages(k.seccompRuntimeDefault, T.statefulSet, props), [
            'container "exporter" uses seccompProfile type "Unconfined"; use RuntimeDefault or Localhost',
        ]);
    });
});

describe(k.runAsNonRoot.name, () => {
    it("accepts runAsNonRoot set only on the pod", async () => {
        const props = sts(o => {
            delete memcached(o).securityContext.runAsNonRoot;
            delete exporter(o).securityContext.runAsNonRoot;
        });
        assert.deepEqual(await messages(k.runAsNonRoot, T.statefulSet, props), []);
    });
    it("rejects runAsNonRoot unset everywhere, or false on a container", async () => {
        const props = sts(o => {
            delete podSpec(o).securityContext.runAsNonRoot;
            delete memcached(o).securityContext.runAsNonRoot;
            exporter(o).securityContext.runAsNonRoot = false;
        });
        assert.deepEqual(await messages(k.runAsNonRoot, T.statefulSet, props), [
            'container "memcached" must run with runAsNonRoot: true (got unset)',
            'container "exporter" must run with runAsNonRoot: true (got false)',
        ]);
    });
    it("rejects runAsUser 0", async () => {
        const props = sts(o => (memcached(o).securityContext.runAsUser = 0));
        assert.deepEqual(await messages(k.runAsNonRoot, T.statefulSet, props), ['container "memcached" runs as UID 0 (runAsUser: 0)']);
    });
});

describe(k.readOnlyRootFilesystem.name, () => {
    it("rejects a writable root filesystem, in containers and init containers", async () => {
        const props = sts(o => {
            memcached(o).securityContext.readOnlyRootFilesystem = false;
            podSpec(o).initContainers = [{ name: "init", image: "busybox:1.37.0" }];
        });
        assert.deepEqual(await messages(k.readOnlyRootFilesystem, T.statefulSet, props), [
            'init container "init" must set securityContext.readOnlyRootFilesystem: true (got unset)',
            'container "memcached" must set securityContext.readOnlyRootFilesystem: true (got false)',
        ]);
    });
});

describe(k.resourceRequestsLimits.name, () => {
    it("accepts requests and a memory limit without a CPU limit", async () => {
        assert.deepEqual(await messages(k.resourceRequestsLimits, T.daemonSet, mcrouterDaemonSet), []);
    });
    it("rejects missing requests and memory limit", async () => {
        const props = ds(o => (mcrouter(o).resources = { limits: { cpu: "1" } }));
        assert.deepEqual(await messages(k.resourceRequestsLimits, T.daemonSet, props), [
            'container "mcrouter" has no resources.requests.cpu',
            'container "mcrouter" has no resources.requests.memory',
            'container "mcrouter" has no resources.limits.memory',
        ]);
    });
    it("rejects a malformed quantity and a limit below the request", async () => {
        const props = ds(o => (mcrouter(o).resources = { requests: { cpu: "50 m", memory: "256Mi" }, limits: { memory: "128Mi" } }));
        assert.deepEqual(await messages(k.resourceRequestsLimits, T.daemonSet, props), [
            'container "mcrouter" has an invalid resources.requests.cpu "50 m"',
            'container "mcrouter" memory limit "128Mi" is below its request "256Mi"',
        ]);
    });
});

describe(k.memcachedMemoryAboveCache.name, () => {
    const withMemory = (args: string[], limit?: string) =>
        sts(o => {
            memcached(o).args = args;
            if (limit === undefined) delete memcached(o).resources.limits.memory;
            else memcached(o).resources.limits.memory = limit;
        });
    it("accepts a limit above -m (prod: -m 22528, 26840Mi; and --memory-limit=, -m<N> forms)", async () => {
        assert.deepEqual(await messages(k.memcachedMemoryAboveCache, T.statefulSet, withMemory(["-m", "22528"], "26840Mi")), []);
        assert.deepEqual(await messages(k.memcachedMemoryAboveCache, T.statefulSet, withMemory(["--memory-limit=1024"], "1.5Gi")), []);
        assert.deepEqual(await messages(k.memcachedMemoryAboveCache, T.statefulSet, withMemory(["-m1024"], "2G")), []);
    });
    it("rejects a limit at or below -m", async () => {
        assert.deepEqual(await messages(k.memcachedMemoryAboveCache, T.statefulSet, withMemory(["-p", "11211", "-m", "128"], "128Mi")), [
            'container "memcached" memory limit "128Mi" is not above its cache size -m 128 (MiB); leave headroom for connections and the hash table',
        ]);
        assert.deepEqual(await messages(k.memcachedMemoryAboveCache, T.statefulSet, withMemory(["--memory-limit", "2048"], "2Gi")), [
            'container "memcached" memory limit "2Gi" is not above its cache size -m 2048 (MiB); leave headroom for connections and the hash table',
        ]);
    });
    it("uses memcached's default of 64 MiB when -m is absent", async () => {
        assert.deepEqual(await messages(k.memcachedMemoryAboveCache, T.statefulSet, withMemory(["-p", "11211"], "64Mi")), [
            'container "memcached" memory limit "64Mi" is not above its cache size -m 64 (MiB); leave headroom for connections and the hash table',
        ]);
    });
    it("rejects a missing memory limit and a -m with a unit suffix", async () => {
        assert.deepEqual(await messages(k.memcachedMemoryAboveCache, T.statefulSet, withMemory(["-m", "64"])), [
            'container "memcached" has no memory limit to hold its cache size -m 64 (MiB)',
        ]);
        assert.deepEqual(await messages(k.memcachedMemoryAboveCache, T.statefulSet, withMemory(["-m", "1g"], "2Gi")), [
            'container "memcached" has -m "1g"; memcached reads only a leading integer of MiB (1), give a plain number',
        ]);
    });
    it("finds memcached by image when there is no command, and leaves the exporter alone", async () => {
        const props = sts(o => {
            delete memcached(o).command;
            memcached(o).image = "docker.io/library/memcached:1.6.38";
            memcached(o).args = ["-m", "200"];
            exporter(o).resources.limits.memory = "1Mi";
        });
        assert.deepEqual(await messages(k.memcachedMemoryAboveCache, T.statefulSet, props), [
            'container "memcached" memory limit "112Mi" is not above its cache size -m 200 (MiB); leave headroom for connections and the hash table',
        ]);
    });
    it("parses argv like memcached", () => {
        assert.deepEqual(k.memcachedCacheMiB(["-p", "11211"]), { mib: 64 });
        assert.deepEqual(k.memcachedCacheMiB(["-m", "64", "-m", "128"]), { mib: 128, raw: "128" });
        assert.deepEqual(k.memcachedCacheMiB(["-m"]), { mib: NaN, raw: "" });
    });
});

describe(k.imageTagPinned.name, () => {
    const withImage = (image: string | undefined) => ds(o => (mcrouter(o).image = image));
    it("accepts version tags, registry ports and digests", async () => {
        for (const image of ["jphalip/mcrouter:0.36.0", "localhost:5000/mcrouter:1.0", "gcr.io/p/mcrouter@sha256:" + "a".repeat(64), "mcrouter:latest@sha256:" + "b".repeat(64)]) {
            assert.deepEqual(await messages(k.imageTagPinned, T.daemonSet, withImage(image)), [], image);
        }
    });
    it("rejects untagged images and :latest", async () => {
        assert.deepEqual(await messages(k.imageTagPinned, T.daemonSet, withImage("jphalip/mcrouter")), [
            'container "mcrouter" image "jphalip/mcrouter" has no tag; pin a version tag or a digest',
        ]);
        assert.deepEqual(await messages(k.imageTagPinned, T.daemonSet, withImage("localhost:5000/mcrouter")), [
            'container "mcrouter" image "localhost:5000/mcrouter" has no tag; pin a version tag or a digest',
        ]);
        assert.deepEqual(await messages(k.imageTagPinned, T.daemonSet, withImage("memcached:latest")), [
            'container "mcrouter" image "memcached:latest" uses the moving tag "latest"; pin a version tag or a digest',
        ]);
        assert.deepEqual(await messages(k.imageTagPinned, T.daemonSet, withImage(undefined)), ['container "mcrouter" has no image']);
    });
});

describe(k.probePortsDeclared.name, () => {
    it("accepts probes on declared names and numbers", async () => {
        const props = sts(o => {
            memcached(o).livenessProbe = { tcpSocket: { port: 11211 } };
            exporter(o).readinessProbe = { httpGet: { path: "/metrics", port: "9150" } };
        });
        assert.deepEqual(await messages(k.probePortsDeclared, T.statefulSet, props), []);
    });
    it("rejects a probe on an undeclared name or number", async () => {
        const props = sts(o => {
            memcached(o).readinessProbe = { tcpSocket: { port: "memcached" } };
            exporter(o).livenessProbe = { httpGet: { path: "/", port: 9151 } };
            memcached(o).startupProbe = { grpc: { port: 50051 } };
        });
        assert.deepEqual(await messages(k.probePortsDeclared, T.statefulSet, props), [
            'container "memcached" readinessProbe tcpSocket port "memcached" is not a declared containerPort name',
            'container "memcached" startupProbe grpc port 50051 is not a declared containerPort number',
            'container "exporter" livenessProbe httpGet port 9151 is not a declared containerPort number',
        ]);
    });
    it("accepts exec probes", async () => {
        const props = sts(o => (memcached(o).livenessProbe = { exec: { command: ["true"] } }));
        assert.deepEqual(await messages(k.probePortsDeclared, T.statefulSet, props), []);
    });
});

describe(k.selectorMatchesTemplate.name, () => {
    it("rejects a selector that misses the template labels", async () => {
        const props = sts(o => (o.spec.selector = { matchLabels: { app: "other" } }));
        assert.deepEqual(await messages(k.selectorMatchesTemplate, T.statefulSet, props), [
            'spec.selector {"matchLabels":{"app":"other"}} does not match the pod template labels {"app":"mycache-memcached","app.kubernetes.io/component":"cache","app.kubernetes.io/instance":"mycache","app.kubernetes.io/name":"memcached"}',
        ]);
    });
    it("honours matchExpressions", async () => {
        const ok = ds(o => (o.spec.selector = { matchExpressions: [{ key: "app", operator: "In", values: ["mycache-mcrouter"] }] }));
        assert.deepEqual(await messages(k.selectorMatchesTemplate, T.daemonSet, ok), []);
        const bad = ds(o => (o.spec.selector = { matchExpressions: [{ key: "tier", operator: "Exists" }] }));
        assert.deepEqual(await messages(k.selectorMatchesTemplate, T.daemonSet, bad), [
            'spec.selector {"matchExpressions":[{"key":"tier","operator":"Exists"}]} does not match the pod template labels {"app":"mycache-mcrouter","app.kubernetes.io/instance":"mycache","app.kubernetes.io/name":"mcrouter"}',
        ]);
    });
    it("rejects a missing or empty selector on apps/v1 controllers", async () => {
        assert.deepEqual(await messages(k.selectorMatchesTemplate, T.deployment, variant(sampleDeployment, o => delete o.spec.selector)), ["spec.selector is not set"]);
        assert.deepEqual(await messages(k.selectorMatchesTemplate, T.deployment, variant(sampleDeployment, o => (o.spec.selector = {}))), [
            "spec.selector is empty; it would select every pod in the namespace",
        ]);
    });
    it("leaves a Job's generated selector alone but checks a manual one", async () => {
        assert.deepEqual(await messages(k.selectorMatchesTemplate, T.job, smokeJob), []);
        const manual = variant(smokeJob, o => Object.assign(o.spec, { manualSelector: true, selector: { matchLabels: { app: "x" } } }));
        assert.deepEqual(await messages(k.selectorMatchesTemplate, T.job, manual), [
            'spec.selector {"matchLabels":{"app":"x"}} does not match the pod template labels {"app":"mycache-smoke","memcached-gke/direct-client":"true"}',
        ]);
    });
});

describe(k.statefulSetSpreadAcrossNodes.name, () => {
    it("accepts preferred pod anti-affinity on the hostname instead of a spread constraint", async () => {
        const props = sts(o => {
            delete podSpec(o).topologySpreadConstraints;
            podSpec(o).affinity = {
                podAntiAffinity: {
                    preferredDuringSchedulingIgnoredDuringExecution: [
                        { weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { app: "mycache-memcached" } } } },
                    ],
                },
            };
        });
        assert.deepEqual(await messages(k.statefulSetSpreadAcrossNodes, T.statefulSet, props), []);
    });
    it("rejects no spreading, a zone-only constraint, or one that selects other pods", async () => {
        const expected = ["3 replicas but no topologySpreadConstraint or podAntiAffinity term on kubernetes.io/hostname selects its own pods"];
        assert.deepEqual(await messages(k.statefulSetSpreadAcrossNodes, T.statefulSet, sts(o => delete podSpec(o).topologySpreadConstraints)), expected);
        assert.deepEqual(await messages(k.statefulSetSpreadAcrossNodes, T.statefulSet, sts(o => (podSpec(o).topologySpreadConstraints[0].topologyKey = "topology.kubernetes.io/zone"))), expected);
        assert.deepEqual(await messages(k.statefulSetSpreadAcrossNodes, T.statefulSet, sts(o => (podSpec(o).topologySpreadConstraints[0].labelSelector = { matchLabels: { app: "x" } }))), expected);
    });
    it("accepts a single replica without spreading", async () => {
        const props = sts(o => {
            o.spec.replicas = 1;
            delete podSpec(o).topologySpreadConstraints;
        });
        assert.deepEqual(await messages(k.statefulSetSpreadAcrossNodes, T.statefulSet, props), []);
    });
});

describe(k.deploymentSpreadAcrossNodes.name, () => {
    it("is advisory", () => assert.equal(k.deploymentSpreadAcrossNodes.enforcementLevel, "advisory"));
    it("rejects 5 replicas without spreading", async () => {
        const props = variant(sampleDeployment, o => delete podSpec(o).topologySpreadConstraints);
        assert.deepEqual(await messages(k.deploymentSpreadAcrossNodes, T.deployment, props), [
            "5 replicas but no topologySpreadConstraint or podAntiAffinity term on kubernetes.io/hostname selects its own pods",
        ]);
    });
    it("accepts required anti-affinity, and one replica", async () => {
        const anti = variant(sampleDeployment, o => {
            delete podSpec(o).topologySpreadConstraints;
            podSpec(o).affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { app: "sample-application-py" } } }] } };
        });
        assert.deepEqual(await messages(k.deploymentSpreadAcrossNodes, T.deployment, anti), []);
        const one = variant(sampleDeployment, o => {
            o.spec.replicas = 1;
            delete podSpec(o).topologySpreadConstraints;
        });
        assert.deepEqual(await messages(k.deploymentSpreadAcrossNodes, T.deployment, one), []);
    });
});

describe(k.noHostPorts.name, () => {
    it("is mandatory in code: a preview without pack config is strict (config/development.json relaxes it)", () => {
        assert.equal(k.noHostPorts.enforcementLevel, "mandatory");
    });
    it("accepts containers without a hostPort, and hostPort 0 (unset)", async () => {
        assert.deepEqual(await messages(k.noHostPorts, T.daemonSet, mcrouterDaemonSet), []);
        assert.deepEqual(await messages(k.noHostPorts, T.daemonSet, ds(o => (mcrouter(o).ports[0].hostPort = 0))), []);
    });
    it("rejects any hostPort, even the known list's 5000, in any container", async () => {
        assert.deepEqual(await messages(k.noHostPorts, T.daemonSet, ds(o => (mcrouter(o).ports[0].hostPort = 5000))), [
            'container "mcrouter" uses hostPort 5000; production pods take no host ports (reach them through a Service)',
        ]);
        const exporterPort = sts(o => (exporter(o).ports[0].hostPort = 9150));
        assert.deepEqual(await messages(k.noHostPorts, T.statefulSet, exporterPort), [
            'container "exporter" uses hostPort 9150; production pods take no host ports (reach them through a Service)',
        ]);
    });
});

describe(k.networkPolicyNoAllowAll.name, () => {
    const np = (base: Record<string, any>, edit: (o: any) => void) => variant(base, edit);
    it("accepts the program's policies and the namespace default deny (no rules)", async () => {
        for (const p of [defaultDeny, memcachedNetworkPolicy, mcrouterNetworkPolicy, variant(defaultDeny, o => (o.spec.ingress = []))]) {
            assert.deepEqual(await messages(k.networkPolicyNoAllowAll, T.networkPolicy, p), [], JSON.stringify(p.spec));
        }
    });
    it("rejects a rule without peers (from or to missing or empty)", async () => {
        assert.deepEqual(await messages(k.networkPolicyNoAllowAll, T.networkPolicy, np(memcachedNetworkPolicy, o => delete o.spec.ingress[0].from)), [
            'spec.ingress[0] has no "from" peers: it admits every source',
        ]);
        assert.deepEqual(await messages(k.networkPolicyNoAllowAll, T.networkPolicy, np(defaultDeny, o => (o.spec.ingress = [{}]))), [
            'spec.ingress[0] has no "from" peers: it admits every source, on every port',
        ]);
        assert.deepEqual(await messages(k.networkPolicyNoAllowAll, T.networkPolicy, np(mcrouterNetworkPolicy, o => (o.spec.egress[1].to = []))), [
            'spec.egress[1] has no "to" peers: it admits every destination',
        ]);
    });
    it("rejects namespaceSelector {} with no or an empty podSelector, and a bare podSelector {}", async () => {
        assert.deepEqual(await messages(k.networkPolicyNoAllowAll, T.networkPolicy, np(mcrouterNetworkPolicy, o => (o.spec.ingress[0].from = [{ namespaceSelector: {} }]))), [
            "spec.ingress[0].from[0] selects every pod of every namespace (namespaceSelector {} with no podSelector)",
        ]);
        assert.deepEqual(await messages(k.networkPolicyNoAllowAll, T.networkPolicy, np(mcrouterNetworkPolicy, o => (o.spec.ingress[0].from[1] = { namespaceSelector: {}, podSelector: {} }))), [
            "spec.ingress[0].from[1] selects every pod of every namespace (namespaceSelector {} with podSelector {})",
        ]);
        assert.deepEqual(await messages(k.networkPolicyNoAllowAll, T.networkPolicy, np(memcachedNetworkPolicy, o => o.spec.ingress[0].from.push({ podSelector: {} }))), [
            'spec.ingress[0].from[2] selects every pod of namespace "default" (podSelector {} without a namespaceSelector)',
        ]);
    });
    it("accepts a namespaceSelector {} narrowed by a podSelector, and a named namespace", async () => {
        const narrowed = np(memcachedNetworkPolicy, o => (o.spec.ingress[1].from = [{ namespaceSelector: {}, podSelector: { matchLabels: { "app.kubernetes.io/name": "collector" } } }]));
        assert.deepEqual(await messages(k.networkPolicyNoAllowAll, T.networkPolicy, narrowed), []);
    });
    it("rejects an ipBlock of every address, IPv4 or IPv6, even with exceptions", async () => {
        const ipBlocks = np(memcachedNetworkPolicy, o => {
            o.spec.ingress[0].from.push({ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } });
            o.spec.ingress[1].from.push({ ipBlock: { cidr: "::/0" } }, { ipBlock: { cidr: "10.0.0.0/8" } });
        });
        assert.deepEqual(await messages(k.networkPolicyNoAllowAll, T.networkPolicy, ipBlocks), [
            'spec.ingress[0].from[2] ipBlock "0.0.0.0/0" matches every address',
            'spec.ingress[1].from[1] ipBlock "::/0" matches every address',
        ]);
    });
    it("ignores rules of a direction the policy doesn't isolate (policyTypes), and checks egress when policyTypes is unset but egress rules exist", async () => {
        const ingressOnly = np(mcrouterNetworkPolicy, o => {
            o.spec.policyTypes = ["Ingress"];
            o.spec.egress = [{}];
        });
        assert.deepEqual(await messages(k.networkPolicyNoAllowAll, T.networkPolicy, ingressOnly), []);
        const untyped = np(mcrouterNetworkPolicy, o => {
            delete o.spec.policyTypes;
            o.spec.egress = [{ ports: [{ port: 53, protocol: "UDP" }] }];
        });
        assert.deepEqual(await messages(k.networkPolicyNoAllowAll, T.networkPolicy, untyped), ['spec.egress[0] has no "to" peers: it admits every destination']);
    });
    it("ignores other kinds", async () => {
        assert.deepEqual(await messages(k.networkPolicyNoAllowAll, "kubernetes:crd.projectcalico.org/v1:NetworkPolicy", np(defaultDeny, o => (o.spec.ingress = [{}]))), []);
    });
});

describe(k.namespacePssRestricted.name, () => {
    it("is mandatory in code (production); config/development.json relaxes it", () => assert.equal(k.namespacePssRestricted.enforcementLevel, "mandatory"));
    it("accepts a namespace enforcing restricted", async () => {
        assert.deepEqual(await messages(k.namespacePssRestricted, T.namespace, cacheNamespace), []);
    });
    it("rejects enforce baseline or privileged, or no enforce label (warn/audit alone don't block)", async () => {
        const ns = (edit: (o: any) => void) => variant(cacheNamespace, edit);
        assert.deepEqual(await messages(k.namespacePssRestricted, T.namespace, ns(o => (o.metadata.labels["pod-security.kubernetes.io/enforce"] = "baseline"))), [
            'metadata.labels["pod-security.kubernetes.io/enforce"] must be "restricted" (got "baseline")',
        ]);
        assert.deepEqual(await messages(k.namespacePssRestricted, T.namespace, ns(o => (o.metadata.labels["pod-security.kubernetes.io/enforce"] = "privileged"))), [
            'metadata.labels["pod-security.kubernetes.io/enforce"] must be "restricted" (got "privileged")',
        ]);
        assert.deepEqual(await messages(k.namespacePssRestricted, T.namespace, ns(o => delete o.metadata.labels["pod-security.kubernetes.io/enforce"])), [
            'metadata.labels["pod-security.kubernetes.io/enforce"] must be "restricted" (got unset)',
        ]);
        assert.deepEqual(await messages(k.namespacePssRestricted, T.namespace, { metadata: { name: "memcached" } }), [
            'metadata.labels["pod-security.kubernetes.io/enforce"] must be "restricted" (got unset)',
        ]);
    });
    it("checks only Namespace objects (the dev stack uses the existing default namespace and creates none)", async () => {
        assert.deepEqual(await messages(k.namespacePssRestricted, T.configMap, { metadata: { name: "c", labels: {} } }), []);
    });
});

describe(k.memcachedMutualTls.name, () => {
    const withArgs = (args: string[]) => sts(o => (memcached(o).args = args));
    const TLS = "ssl_chain_cert=/t/tls.crt,ssl_key=/t/tls.key,ssl_ca_cert=/t/ca.crt";
    it("names every missing part of the lab's plain-text arguments in one message", async () => {
        assert.deepEqual(await messages(k.memcachedMutualTls, T.statefulSet, withArgs(["-p", "11211", "-m", "64"])), [
            'container "memcached" runs memcached without mutual TLS: no -Z (TLS is off); no ssl_verify_mode (a client '
                + "certificate is not required: needs ssl_verify_mode=2); no ssl_ca_cert (no CA to check client "
                + "certificates against); set memcached-gke:tls.enabled true",
        ]);
    });
    it("rejects ssl_verify_mode 1 (a certificate checked only if sent) and a notls: listener", async () => {
        assert.deepEqual(await messages(k.memcachedMutualTls, T.statefulSet,
            withArgs(["-Z", "-o", `${TLS},ssl_verify_mode=1`, "-l", "notls:127.0.0.1:11212"])), [
            'container "memcached" runs memcached without mutual TLS: ssl_verify_mode=1 (a client certificate is not '
                + "required: needs ssl_verify_mode=2); a notls: listener (plain text beside TLS); set "
                + "memcached-gke:tls.enabled true",
        ]);
    });
    it("accepts ssl_verify_mode 3, options given as --extended= and -o<value>, and --enable-ssl", async () => {
        assert.deepEqual(await messages(k.memcachedMutualTls, T.statefulSet,
            withArgs(["--enable-ssl", `--extended=${TLS}`, "-ossl_verify_mode=3"])), []);
    });
});
