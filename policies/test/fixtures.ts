// Compliant objects to start every test from, and the calls that run one policy on them the way the
// engine does (src/engine.ts). A test clones a fixture, breaks one thing, and asserts the exact messages.

import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { PackConfig, StackResourceInput, urnOf, validateResource, validateStack } from "../src/engine";

export const T = {
    pod: "kubernetes:core/v1:Pod",
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    replicaSet: "kubernetes:apps/v1:ReplicaSet",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
    service: "kubernetes:core/v1:Service",
    configMap: "kubernetes:core/v1:ConfigMap",
    namespace: "kubernetes:core/v1:Namespace",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    clusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    podMonitoring: "kubernetes:monitoring.googleapis.com/v1:PodMonitoring",
    serviceMonitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
    cluster: "gcp:container/cluster:Cluster",
    nodePool: "gcp:container/nodePool:NodePool",
    projectIamMember: "gcp:projects/iAMMember:IAMMember",
    projectIamBinding: "gcp:projects/iAMBinding:IAMBinding",
    projectIamPolicy: "gcp:projects/iAMPolicy:IAMPolicy",
    serviceAccountIamMember: "gcp:serviceaccount/iAMMember:IAMMember",
    repository: "gcp:artifactregistry/repository:Repository",
} as const;

type Obj = Record<string, any>;

/** A deep copy of `base` changed by `edit`. */
export function variant<O extends Obj>(base: O, edit?: (o: any) => void): O {
    const copy = structuredClone(base);
    edit?.(copy);
    return copy;
}

const hardenedContainer = {
    securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
    },
};

export const memcachedLabels = { app: "mycache-memcached", "app.kubernetes.io/name": "memcached", "app.kubernetes.io/instance": "mycache" };
export const mcrouterLabels = { app: "mycache-mcrouter", "app.kubernetes.io/name": "mcrouter", "app.kubernetes.io/instance": "mycache" };
export const appLabels = { app: "sample-application-py" };

/** The memcached StatefulSet as the program renders it (3 replicas, -m 64, 112Mi limit, exporter sidecar on 9150). */
export const memcachedStatefulSet: Obj = {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "mycache-memcached", namespace: "default", labels: memcachedLabels },
    spec: {
        replicas: 3,
        serviceName: "mycache-memcached",
        selector: { matchLabels: memcachedLabels },
        template: {
            metadata: { labels: { ...memcachedLabels, "app.kubernetes.io/component": "cache" } },
            spec: {
                automountServiceAccountToken: false,
                securityContext: { runAsNonRoot: true, runAsUser: 11211, runAsGroup: 11211, fsGroup: 11211, seccompProfile: { type: "RuntimeDefault" } },
                topologySpreadConstraints: [
                    { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: memcachedLabels } },
                ],
                containers: [
                    {
                        name: "memcached",
                        image: "memcached:1.6.38-alpine",
                        command: ["memcached"],
                        args: ["-p", "11211", "-U", "0", "-m", "64", "-c", "1024", "-t", "1", "-Z", "-o",
                            "ssl_chain_cert=/etc/memcached-gke/tls/tls.crt,ssl_key=/etc/memcached-gke/tls/tls.key,ssl_ca_cert=/etc/memcached-gke/tls/ca.crt,ssl_verify_mode=2,ssl_session_cache"],
                        ports: [{ name: "memcache", containerPort: 11211, protocol: "TCP" }],
                        livenessProbe: { tcpSocket: { port: "memcache" } },
                        readinessProbe: { tcpSocket: { port: "memcache" } },
                        resources: { requests: { cpu: "250m", memory: "112Mi" }, limits: { cpu: "250m", memory: "112Mi" } },
                        ...structuredClone(hardenedContainer),
                    },
                    {
                        name: "exporter",
                        image: "prom/memcached-exporter:v0.15.4",
                        args: ["--memcached.address=localhost:11211", "--web.listen-address=:9150"],
                        ports: [{ name: "metrics", containerPort: 9150, protocol: "TCP" }],
                        livenessProbe: { tcpSocket: { port: "metrics" } },
                        resources: { requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "20m", memory: "32Mi" } },
                        ...structuredClone(hardenedContainer),
                    },
                ],
            },
        },
    },
};

/** The mcrouter DaemonSet in prod's shape (reached through a node-local Service, no hostPort; tests add the dev stack's hostPort 5000 where they need it). */
export const mcrouterDaemonSet: Obj = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "mycache-mcrouter", namespace: "default", labels: mcrouterLabels },
    spec: {
        selector: { matchLabels: mcrouterLabels },
        template: {
            metadata: { labels: mcrouterLabels },
            spec: {
                automountServiceAccountToken: false,
                securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: "RuntimeDefault" } },
                containers: [
                    {
                        name: "mcrouter",
                        image: "jphalip/mcrouter:0.36.0",
                        command: ["mcrouter"],
                        args: ["-p", "5000", "--config-file=/etc/mcrouter/config.json"],
                        ports: [{ name: "mcrouter", containerPort: 5000, protocol: "TCP" }],
                        livenessProbe: { tcpSocket: { port: "mcrouter" } },
                        readinessProbe: { tcpSocket: { port: "mcrouter" } },
                        resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "128Mi" } },
                        volumeMounts: [{ name: "config", mountPath: "/etc/mcrouter", readOnly: true }],
                        ...structuredClone(hardenedContainer),
                    },
                ],
                volumes: [{ name: "config", configMap: { name: "mycache-mcrouter" } }],
            },
        },
    },
};

/** The sample app Deployment (5 replicas, no ports), spread across nodes. */
export const sampleDeployment: Obj = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "sample-application-py", namespace: "default" },
    spec: {
        replicas: 5,
        selector: { matchLabels: appLabels },
        template: {
            metadata: { labels: appLabels },
            spec: {
                automountServiceAccountToken: false,
                securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: "RuntimeDefault" } },
                topologySpreadConstraints: [
                    { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: appLabels } },
                ],
                containers: [
                    {
                        name: "python",
                        image: "python:3.13.9-alpine3.22",
                        command: ["sh", "-c", "while true; do sleep 10; done;"],
                        resources: { requests: { cpu: "20m", memory: "128Mi" }, limits: { memory: "128Mi" } },
                        ...structuredClone(hardenedContainer),
                    },
                ],
            },
        },
    },
};

/** A smoke-test Job (pod template at spec.template, no selector). */
export const smokeJob: Obj = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "mycache-smoke", namespace: "default" },
    spec: {
        backoffLimit: 2,
        template: {
            metadata: { labels: { app: "mycache-smoke", "memcached-gke/direct-client": "true" } },
            spec: {
                restartPolicy: "Never",
                automountServiceAccountToken: false,
                securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: "RuntimeDefault" } },
                containers: [
                    {
                        name: "smoke",
                        image: "busybox:1.37.0",
                        command: ["sh", "-c", "echo ok"],
                        resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "16Mi" } },
                        ...structuredClone(hardenedContainer),
                    },
                ],
            },
        },
    },
};

const gmpAdmissionLabels = { app: "mycache-gmp-admission", "app.kubernetes.io/name": "gmp-admission", "app.kubernetes.io/instance": "mycache" };

/**
 * The managed Prometheus admission check as the dev and prod stacks render it: the one pod of the
 * program that calls the Kubernetes API (kubectl create --dry-run=server of a PodMonitoring and a
 * Rules object), so it mounts the token of its own ServiceAccount.
 */
export const gmpAdmissionJob: Obj = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "mycache-gmp-admission-2616d4c7c3", namespace: "default", labels: gmpAdmissionLabels },
    spec: {
        backoffLimit: 8,
        activeDeadlineSeconds: 1200,
        template: {
            metadata: { labels: gmpAdmissionLabels },
            spec: {
                restartPolicy: "Never",
                automountServiceAccountToken: true,
                serviceAccountName: "mycache-gmp-admission",
                enableServiceLinks: false,
                securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
                containers: [
                    {
                        name: "admission",
                        image: "registry.k8s.io/kubectl:v1.34.1",
                        args: ["create", "--dry-run=server", "--filename=/probe/probe.json", "--cache-dir=/tmp/kube-cache"],
                        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "50m", memory: "64Mi" } },
                        volumeMounts: [{ name: "probe", mountPath: "/probe", readOnly: true }, { name: "tmp", mountPath: "/tmp" }],
                        ...structuredClone(hardenedContainer),
                    },
                ],
                volumes: [{ name: "probe", configMap: { name: "mycache-gmp-admission" } }, { name: "tmp", emptyDir: { sizeLimit: "16Mi" } }],
            },
        },
    },
};

/** The admission check's own ServiceAccount (it mounts no token into pods that don't ask for one). */
export const gmpAdmissionAccount: Obj = {
    apiVersion: "v1",
    kind: "ServiceAccount",
    automountServiceAccountToken: false,
    metadata: { name: "mycache-gmp-admission", namespace: "default", labels: gmpAdmissionLabels },
};

/** Its Role: create PodMonitorings and Rules (what kubectl create --dry-run=server needs), nothing else. */
export const gmpAdmissionRole: Obj = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: "mycache-gmp-admission", namespace: "default", labels: gmpAdmissionLabels },
    rules: [{ apiGroups: ["monitoring.googleapis.com"], resources: ["podmonitorings", "rules"], verbs: ["create"] }],
};

export const gmpAdmissionBinding: Obj = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: "mycache-gmp-admission", namespace: "default", labels: gmpAdmissionLabels },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "mycache-gmp-admission" },
    subjects: [{ kind: "ServiceAccount", name: "mycache-gmp-admission", namespace: "default" }],
};

/** The admission check's Job, ServiceAccount, Role and RoleBinding. */
export function gmpAdmission(): [string, Obj][] {
    return [
        [T.job, variant(gmpAdmissionJob)],
        [T.serviceAccount, variant(gmpAdmissionAccount)],
        [T.role, variant(gmpAdmissionRole)],
        [T.roleBinding, variant(gmpAdmissionBinding)],
    ];
}

export const headlessService: Obj = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "mycache-memcached", namespace: "default" },
    spec: { clusterIP: "None", selector: memcachedLabels, ports: [{ name: "memcache", port: 11211, targetPort: "memcache" }] },
};

export const mcrouterService: Obj = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "mycache-mcrouter", namespace: "default" },
    spec: { type: "ClusterIP", internalTrafficPolicy: "Local", selector: mcrouterLabels, ports: [{ name: "mcrouter", port: 5000, targetPort: "mcrouter" }] },
};

export const memcachedPdb: Obj = {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "mycache-memcached", namespace: "default" },
    spec: { maxUnavailable: 1, selector: { matchLabels: memcachedLabels } },
};

/** The mcrouter config the program renders: one pool "A" of the 3 memcached pods, routed with PoolRoute|A. */
export const mcrouterConfig = {
    pools: {
        A: {
            servers: [0, 1, 2].map(i => `mycache-memcached-${i}.mycache-memcached.default.svc.cluster.local:11211`),
        },
    },
    route: "PoolRoute|A",
};

export const mcrouterConfigMap: Obj = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "mycache-mcrouter", namespace: "default", labels: mcrouterLabels },
    data: { "config.json": JSON.stringify(mcrouterConfig, null, 2) + "\n" },
};

/** The memcached NetworkPolicy: mcrouter and direct clients to the memcache port, nothing out. */
export const memcachedNetworkPolicy: Obj = {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "mycache-memcached", namespace: "default" },
    spec: {
        podSelector: { matchLabels: memcachedLabels },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
            {
                from: [{ podSelector: { matchLabels: mcrouterLabels } }, { podSelector: { matchLabels: { "memcached-gke/direct-client": "true" } } }],
                ports: [{ port: "memcache", protocol: "TCP" }],
            },
            {
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "gmp-system" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "collector" } } }],
                ports: [{ port: "metrics", protocol: "TCP" }],
            },
        ],
        egress: [],
    },
};

/** The mcrouter NetworkPolicy: the app and the smoke test in, memcached and DNS out. */
export const mcrouterNetworkPolicy: Obj = {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "mycache-mcrouter", namespace: "default" },
    spec: {
        podSelector: { matchLabels: mcrouterLabels },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [{ podSelector: { matchLabels: appLabels } }, { podSelector: { matchLabels: { app: "mycache-smoke" } } }], ports: [{ port: "mcrouter", protocol: "TCP" }] }],
        egress: [
            { to: [{ podSelector: { matchLabels: memcachedLabels } }], ports: [{ port: 11211, protocol: "TCP" }] },
            {
                to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }],
            },
        ],
    },
};

/** prod's cache namespace, enforcing the restricted Pod Security Standard. */
export const cacheNamespace: Obj = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
        name: "memcached",
        labels: {
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/warn": "restricted",
        },
    },
};

/** The node service account's one project role. */
export const nodeRoleMember: Obj = {
    project: "my-project",
    role: "roles/container.defaultNodeServiceAccount",
    member: "serviceAccount:demo-cluster-nodes@my-project.iam.gserviceaccount.com",
};

export const defaultDeny: Obj = {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "default-deny-ingress", namespace: "default" },
    spec: { podSelector: {}, policyTypes: ["Ingress"] },
};

/** A hardened cluster: the production settings (regional, private nodes, deletion protection, authorized networks) on the dev cluster's shape. */
export const cluster: Obj = {
    name: "demo-cluster",
    location: "us-central1",
    datapathProvider: "ADVANCED_DATAPATH",
    deletionProtection: true,
    masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "203.0.113.0/24", displayName: "operators" }] },
    enableLegacyAbac: false,
    enableShieldedNodes: true,
    masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
    releaseChannel: { channel: "REGULAR" },
    removeDefaultNodePool: true,
    initialNodeCount: 1,
    workloadIdentityConfig: { workloadPool: "my-project.svc.id.goog" },
    privateClusterConfig: { enablePrivateNodes: true, masterIpv4CidrBlock: "172.16.0.0/28" },
    nodeConfig: {
        serviceAccount: "demo-cluster-nodes@my-project.iam.gserviceaccount.com",
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        workloadMetadataConfig: { mode: "GKE_METADATA" },
    },
};

export const nodePool: Obj = {
    cluster: "demo-cluster",
    location: "us-central1-f",
    nodeCount: 3,
    management: { autoRepair: true, autoUpgrade: true },
    nodeConfig: {
        imageType: "COS_CONTAINERD",
        machineType: "e2-medium",
        metadata: { "disable-legacy-endpoints": "true" },
        serviceAccount: "demo-cluster-nodes@my-project.iam.gserviceaccount.com",
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        workloadMetadataConfig: { mode: "GKE_METADATA" },
    },
};

/** prod's image repository, as the program declares it (GkeCluster): us-central1-docker.pkg.dev/my-project/memcached-prod/. */
export const imageRepository: Obj = {
    project: "my-project",
    location: "us-central1",
    repositoryId: "memcached-prod",
    format: "DOCKER",
    description: "Images of the memcached-prod cluster (memcached-gke)",
    labels: { "managed-by": "pulumi", "part-of": "memcached-gke" },
};

/** The messages one resource policy reports for one resource (at any level but disabled). */
export async function messages(policy: ResourceValidationPolicy, type: string, props: Obj, config?: PackConfig): Promise<string[]> {
    const vs = await validateResource(policy, { type, name: props.metadata?.name ?? props.name ?? "r", props }, config);
    return vs.map(v => v.message);
}

/** A stack of Kubernetes objects: [type, props] pairs, named by metadata.name. */
export function stack(...objects: [string, Obj][]): StackResourceInput[] {
    return objects.map(([type, props], i) => ({
        type,
        name: `${props.metadata?.name ?? "r"}-${i}`,
        props,
        urn: urnOf("test", "memcached-gke", type, `${props.metadata?.name ?? "r"}-${i}`),
    }));
}

/** The messages one stack policy reports for a stack. */
export async function stackMessages(policy: StackValidationPolicy, resources: StackResourceInput[], config?: PackConfig): Promise<string[]> {
    return (await validateStack(policy, resources, config)).map(v => v.message);
}

/** The compliant cache stack every stack-policy test starts from. */
export function cacheStack(): [string, Obj][] {
    return [
        [T.statefulSet, variant(memcachedStatefulSet)],
        [T.service, variant(headlessService)],
        [T.pdb, variant(memcachedPdb)],
        [T.daemonSet, variant(mcrouterDaemonSet)],
        [T.service, variant(mcrouterService)],
        [T.configMap, variant(mcrouterConfigMap)],
        [T.deployment, variant(sampleDeployment)],
        [T.job, variant(smokeJob)],
        [T.networkPolicy, variant(defaultDeny)],
        [T.networkPolicy, variant(memcachedNetworkPolicy)],
        [T.networkPolicy, variant(mcrouterNetworkPolicy)],
    ];
}
