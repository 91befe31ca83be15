// Resource policies on single Kubernetes objects: those that carry a pod template (Pod, Deployment,
// StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob), plus NetworkPolicy and
// Namespace. Each reads the inputs the engine hands it; CRDs and other kinds are skipped. (Whether a pod
// may mount its service-account token depends on the RBAC objects beside it: that rule,
// k8s-no-service-account-token-automount, is a stack policy in ./stack.ts.)

import { PINNED_IMAGE, PINNED_IMAGE_TEXT } from "../shared";
import type { DocumentedResourcePolicy } from "../meta";
import { forPods } from "../meta";
import {
    containersOf,
    isEmptySelector,
    LabelSelector,
    MiB,
    mapSelectorMatches,
    namespaceOf,
    parseImage,
    parseKubeType,
    parseQuantity,
    programOf,
    Props,
    selectorMatches,
    show,
    showLabels,
} from "../util";

const PSS = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";
const NETPOL = "https://kubernetes.io/docs/concepts/services-networking/network-policies/";

export interface HostPortConfig {
    allowedHostPorts?: number[];
}

/** A check that every container of {@code which} kind sets securityContext.{@code field} to exactly {@code expected}. */
function requireSecurityContext(field: string, expected: boolean, which: "all" | "running") {
    return forPods((pod, _args, report) => {
        for (const c of containersOf(pod.spec, which)) {
            const v = c.container.securityContext?.[field];
            if (v !== expected) {
                report(`${c.label} must set securityContext.${field}: ${expected} (got ${show(v)})`);
            }
        }
    });
}

/** The known list when the pack is given no config: the dev stack's mcrouter hostPort. */
export const DEFAULT_ALLOWED_HOST_PORTS = [5000];

export const hostPortsKnownList: DocumentedResourcePolicy = {
    name: "k8s-host-ports-known-list",
    description: "hostPort is only used with a port from the known list (config allowedHostPorts, default [5000], the dev stack's mcrouter).",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "A hostPort opens the port on every node's IP, outside any Service; only the ports someone listed on purpose may do that.",
    anchor: "PSS baseline: Host Ports (\"disallowed entirely or restricted to a known list\"); Polaris hostPortSet",
    url: PSS + "#baseline",
    configSchema: {
        properties: {
            allowedHostPorts: {
                type: "array",
                items: { type: "integer", minimum: 1, maximum: 65535 },
                default: DEFAULT_ALLOWED_HOST_PORTS,
                description: "hostPorts a container may declare (PSS baseline's \"known list\").",
            },
        },
    },
    validateResource: forPods((pod, args, report) => {
        // The CLI fills in schema defaults; the fallback covers an engine that sends no config at all.
        const allowed = args.getConfig<HostPortConfig>().allowedHostPorts ?? DEFAULT_ALLOWED_HOST_PORTS;
        for (const c of containersOf(pod.spec)) {
            for (const p of c.container.ports ?? []) {
                const hostPort = p?.hostPort;
                if (hostPort !== undefined && hostPort !== null && hostPort !== 0 && !allowed.includes(hostPort)) {
                    report(`${c.label} uses hostPort ${show(hostPort)}, which is not in allowedHostPorts ${JSON.stringify(allowed)}`);
                }
            }
        }
    }),
};

/**
 * Production rule: mandatory in code (a preview without pack config is strict); config/development.json
 * relaxes it to advisory for the dev stack, whose mcrouter listens on hostPort 5000 as the lab does.
 */
export const noHostPorts: DocumentedResourcePolicy = {
    name: "k8s-no-host-ports",
    description: "No container declares a hostPort at all (production rule).",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "Production reaches mcrouter through a node-local Service; a hostPort opens the unauthenticated cache protocol on every node's IP, outside any Service. Only the dev stack (the lab's hostPort 5000) relaxes it.",
    anchor: "PSS baseline: Host Ports (\"should be disallowed entirely\"); GKE hardening guide",
    url: PSS + "#baseline",
    validateResource: forPods((pod, _args, report) => {
        for (const c of containersOf(pod.spec)) {
            for (const p of c.container.ports ?? []) {
                const hostPort = p?.hostPort;
                if (hostPort !== undefined && hostPort !== null && hostPort !== 0) {
                    report(`${c.label} uses hostPort ${show(hostPort)}; production pods take no host ports (reach them through a Service)`);
                }
            }
        }
    }),
};

/** memcached's flags, as `-o a=b,c=d` / `--extended=a=b` (memcached.c): every sub-option given, in order. */
function memcachedOptions(args: unknown[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (typeof a !== "string") continue;
        let value: unknown;
        if (a === "-o" || a === "--extended") value = args[i + 1];
        else if (a.startsWith("--extended=")) value = a.slice("--extended=".length);
        else if (a.startsWith("-o") && a.length > 2) value = a.slice(2);
        if (typeof value === "string") out.push(...value.split(","));
    }
    return out;
}

/**
 * memcached serves mutual TLS: `-Z` (every TCP listener TLS), a CA for client certificates and
 * `ssl_verify_mode` 2 or 3 (a client certificate required: SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
 * memcached tls.c), and no `notls:` listener (memcached.c: a plain listener beside the TLS ones).
 */
export const memcachedMutualTls: DocumentedResourcePolicy = {
    name: "k8s-memcached-mutual-tls",
    description: "Every memcached container serves TLS only (-Z, no notls: listener) and requires a client certificate signed by its CA (ssl_ca_cert and ssl_verify_mode=2 or 3) (production rule).",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "memcached has no authentication of its own: without mutual TLS, any pod the NetworkPolicies let through reads and overwrites every key, in clear text on the node network. With it, only holders of a certificate of the cache's CA (the proxies, the exporters, the checks) get an answer.",
    anchor: "memcached doc/tls.txt and the ssl_verify_mode option; NIST SP 800-204 (service-to-service mutual TLS)",
    url: "https://github.com/memcached/memcached/wiki/TLS",
    validateResource: forPods((pod, _args, report) => {
        for (const c of containersOf(pod.spec, "running")) {
            if (programOf(c.container) !== "memcached") continue;
            const args: unknown[] = [...(Array.isArray(c.container.command) ? c.container.command.slice(1) : []),
                ...(Array.isArray(c.container.args) ? c.container.args : [])];
            const flags = args.filter((a): a is string => typeof a === "string");
            const options = memcachedOptions(args);
            const problems: string[] = [];
            if (!flags.includes("-Z") && !flags.includes("--enable-ssl")) problems.push("no -Z (TLS is off)");
            const verify = options.find(o => o.startsWith("ssl_verify_mode="));
            if (verify !== "ssl_verify_mode=2" && verify !== "ssl_verify_mode=3") {
                problems.push(`${verify ?? "no ssl_verify_mode"} (a client certificate is not required: needs ssl_verify_mode=2)`);
            }
            if (!options.some(o => o.startsWith("ssl_ca_cert="))) problems.push("no ssl_ca_cert (no CA to check client certificates against)");
            if (flags.some(f => f.includes("notls:"))) problems.push("a notls: listener (plain text beside TLS)");
            if (problems.length > 0) {
                report(`${c.label} runs memcached without mutual TLS: ${problems.join("; ")}; set memcached-gke:tls.enabled true`);
            }
        }
    }),
};

export const noPrivilegedContainers: DocumentedResourcePolicy = {
    name: "k8s-no-privileged-containers",
    description: "No container runs privileged (securityContext.privileged: true).",
    enforcementLevel: "mandatory",
    severity: "critical",
    why: "A privileged container is root on the node: every other isolation control is void.",
    anchor: "PSS baseline: Privileged Containers; kube-linter privileged-container",
    url: PSS + "#baseline",
    validateResource: forPods((pod, _args, report) => {
        for (const c of containersOf(pod.spec)) {
            if (c.container.securityContext?.privileged === true) {
                report(`${c.label} sets securityContext.privileged: true`);
            }
        }
    }),
};

export const noPrivilegeEscalation: DocumentedResourcePolicy = {
    name: "k8s-no-privilege-escalation",
    description: "Every container sets securityContext.allowPrivilegeEscalation: false.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "Without it a setuid binary or file capability turns a compromised non-root process into root.",
    anchor: "PSS restricted: Privilege Escalation; Polaris privilegeEscalationAllowed",
    url: PSS + "#restricted",
    validateResource: requireSecurityContext("allowPrivilegeEscalation", false, "all"),
};

export const noHostNamespaces: DocumentedResourcePolicy = {
    name: "k8s-no-host-namespaces",
    description: "Pods share none of the node's namespaces (hostNetwork, hostPID, hostIPC).",
    enforcementLevel: "mandatory",
    severity: "critical",
    why: "Host namespaces let a pod sniff node traffic, signal node processes and read their memory.",
    anchor: "PSS baseline: Host Namespaces; kube-linter host-network/host-pid/host-ipc",
    url: PSS + "#baseline",
    validateResource: forPods((pod, _args, report) => {
        for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
            if (pod.spec[field] === true) {
                report(`pod spec sets ${field}: true`);
            }
        }
    }),
};

export const noHostPathVolumes: DocumentedResourcePolicy = {
    name: "k8s-no-hostpath-volumes",
    description: "Pods mount no hostPath volumes.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "A hostPath mount reads or writes the node's filesystem (kubelet credentials, container runtime socket).",
    anchor: "PSS baseline: HostPath Volumes; kube-linter sensitive-host-mounts",
    url: PSS + "#baseline",
    validateResource: forPods((pod, _args, report) => {
        for (const v of pod.spec.volumes ?? []) {
            if (v?.hostPath) {
                report(`volume ${show(v.name)} mounts hostPath ${show(v.hostPath.path)}`);
            }
        }
    }),
};

export const capabilitiesRestricted: DocumentedResourcePolicy = {
    name: "k8s-capabilities-restricted",
    description: "Every container drops ALL capabilities and adds back at most NET_BIND_SERVICE.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "Added capabilities (NET_RAW, SYS_ADMIN, ...) are the usual first step of a container escape; memcached and mcrouter need none.",
    anchor: "PSS baseline and restricted: Capabilities; Polaris insecureCapabilities",
    url: PSS + "#restricted",
    validateResource: forPods((pod, _args, report) => {
        for (const c of containersOf(pod.spec)) {
            const caps = c.container.securityContext?.capabilities ?? {};
            for (const cap of caps.add ?? []) {
                if (String(cap).toUpperCase().replace(/^CAP_/, "") !== "NET_BIND_SERVICE") {
                    report(`${c.label} adds capability ${show(cap)}; only NET_BIND_SERVICE may be added`);
                }
            }
            const drops = (caps.drop ?? []).map((d: unknown) => String(d).toUpperCase());
            if (!drops.includes("ALL")) {
                report(`${c.label} must drop capability "ALL" (securityContext.capabilities.drop is ${show(caps.drop)})`);
            }
        }
    }),
};

export const seccompRuntimeDefault: DocumentedResourcePolicy = {
    name: "k8s-seccomp-profile",
    description: "Every container runs under a seccomp profile (RuntimeDefault or Localhost), set on the pod or the container.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "Unconfined containers can call every syscall, the kernel attack surface a container escape needs.",
    anchor: "PSS restricted: Seccomp; kube-score container-seccomp-profile",
    url: PSS + "#restricted",
    validateResource: forPods((pod, _args, report) => {
        const podProfile = pod.spec.securityContext?.seccompProfile?.type;
        for (const c of containersOf(pod.spec)) {
            const type = c.container.securityContext?.seccompProfile?.type ?? podProfile;
            if (type === undefined || type === null) {
                report(`${c.label} has no seccompProfile; set type RuntimeDefault in the pod or container securityContext`);
            } else if (type !== "RuntimeDefault" && type !== "Localhost") {
                report(`${c.label} uses seccompProfile type ${show(type)}; use RuntimeDefault or Localhost`);
            }
        }
    }),
};

export const runAsNonRoot: DocumentedResourcePolicy = {
    name: "k8s-run-as-non-root",
    description: "Every container runs with runAsNonRoot: true (pod or container securityContext) and never as UID 0.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "Root in the container is one kernel bug from root on the node; the images run as uid 11211 / 65534.",
    anchor: "PSS restricted: Running as Non-root, Running as Non-root user; Polaris runAsRootAllowed",
    url: PSS + "#restricted",
    validateResource: forPods((pod, _args, report) => {
        const podCtx = pod.spec.securityContext ?? {};
        for (const c of containersOf(pod.spec)) {
            const ctx = c.container.securityContext ?? {};
            const nonRoot = ctx.runAsNonRoot ?? podCtx.runAsNonRoot;
            const user = ctx.runAsUser ?? podCtx.runAsUser;
            if (user === 0) {
                report(`${c.label} runs as UID 0 (runAsUser: 0)`);
            }
            if (nonRoot !== true) {
                report(`${c.label} must run with runAsNonRoot: true (got ${show(nonRoot)})`);
            }
        }
    }),
};

export const readOnlyRootFilesystem: DocumentedResourcePolicy = {
    name: "k8s-read-only-root-filesystem",
    description: "Every container (and init container) sets securityContext.readOnlyRootFilesystem: true; writable paths are emptyDir mounts.",
    enforcementLevel: "mandatory",
    severity: "medium",
    why: "An intruder can't drop tools or tamper with binaries; the design mounts emptyDirs where mcrouter and the app write.",
    anchor: "kube-score container-security-context-readonlyrootfilesystem; Polaris notReadOnlyRootFilesystem; kube-linter no-read-only-root-fs",
    url: "https://github.com/zegl/kube-score/blob/master/README_CHECKS.md",
    validateResource: requireSecurityContext("readOnlyRootFilesystem", true, "running"),
};

export const resourceRequestsLimits: DocumentedResourcePolicy = {
    name: "k8s-resources-requests-limits",
    description: "Every container (and init container) requests CPU and memory and has a memory limit no lower than its request.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "Without requests the scheduler overpacks nodes; without a memory limit one leaking pod OOMs its neighbours. (No CPU limit required: throttling hurts cache latency.)",
    anchor: "kube-score container-resources; Polaris cpuRequestsMissing/memoryRequestsMissing/memoryLimitsMissing; kube-linter unset-cpu-requirements/unset-memory-requirements",
    url: "https://github.com/zegl/kube-score/blob/master/README_CHECKS.md",
    validateResource: forPods((pod, _args, report) => {
        for (const c of containersOf(pod.spec, "running")) {
            const res = c.container.resources ?? {};
            for (const [section, key] of [["requests", "cpu"], ["requests", "memory"], ["limits", "memory"]]) {
                const v = res[section]?.[key];
                if (v === undefined || v === null || v === "") {
                    report(`${c.label} has no resources.${section}.${key}`);
                } else if (parseQuantity(v) === undefined) {
                    report(`${c.label} has an invalid resources.${section}.${key} ${show(v)}`);
                }
            }
            const req = parseQuantity(res.requests?.memory);
            const lim = parseQuantity(res.limits?.memory);
            if (req !== undefined && lim !== undefined && lim < req) {
                report(`${c.label} memory limit ${show(res.limits.memory)} is below its request ${show(res.requests.memory)}`);
            }
        }
    }),
};

/** memcached's default item memory (-m) in MiB. */
export const MEMCACHED_DEFAULT_MIB = 64;

/**
 * The `-m` / `--memory-limit` value of a memcached command line (command + args), as memcached reads
 * it: atoi() of the value, in MiB; the last occurrence wins. `raw` is the text given, for messages.
 */
export function memcachedCacheMiB(argv: string[]): { mib: number; raw?: string } {
    let raw: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const a = String(argv[i]);
        if (a === "-m" || a === "--memory-limit") {
            raw = i + 1 < argv.length ? String(argv[i + 1]) : "";
            i++;
        } else if (a.startsWith("--memory-limit=")) {
            raw = a.slice("--memory-limit=".length);
        } else if (/^-m./.test(a)) {
            raw = a.slice(2);
        }
    }
    if (raw === undefined) {
        return { mib: MEMCACHED_DEFAULT_MIB };
    }
    const m = /^\s*[+-]?\d+/.exec(raw);
    return { mib: m ? parseInt(m[0], 10) : NaN, raw };
}

export const memcachedMemoryAboveCache: DocumentedResourcePolicy = {
    name: "k8s-memcached-memory-above-cache-size",
    description: "A memcached container's memory limit is above its item memory (-m, MiB; default 64), and -m is a plain number of MiB.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "memcached fills -m before evicting; with a limit at or below it (plus connection buffers and the hash table) the kernel OOM-kills a full cache: a cache wipe under load.",
    anchor: "memcached -m (item memory in megabytes); kube-score container-resources",
    url: "https://github.com/memcached/memcached/wiki/ConfiguringServer",
    validateResource: forPods((pod, _args, report) => {
        for (const c of containersOf(pod.spec, "main")) {
            if (programOf(c.container) !== "memcached") {
                continue;
            }
            const argv = [...(c.container.command ?? []).slice(1), ...(c.container.args ?? [])].map(String);
            const { mib, raw } = memcachedCacheMiB(argv);
            if (raw !== undefined && !/^\d+$/.test(raw)) {
                report(`${c.label} has -m ${show(raw)}; memcached reads only a leading integer of MiB (${Number.isNaN(mib) ? "none" : mib}), give a plain number`);
                continue;
            }
            const limitText = c.container.resources?.limits?.memory;
            const limit = parseQuantity(limitText);
            if (limit === undefined) {
                report(`${c.label} has no memory limit to hold its cache size -m ${mib} (MiB)`);
            } else if (limit <= mib * MiB) {
                report(`${c.label} memory limit ${show(limitText)} is not above its cache size -m ${mib} (MiB); leave headroom for connections and the hash table`);
            }
        }
    }),
};

export const imageTagPinned: DocumentedResourcePolicy = {
    name: "k8s-image-tag-pinned",
    description: "Every image names a version tag or a digest; no untagged images and no :latest.",
    enforcementLevel: "mandatory",
    severity: "medium",
    why: "A moving tag changes what runs on the next pod restart, without a diff: unreviewed upgrades and nodes running different versions.",
    anchor: "kube-score container-image-tag; Polaris tagNotSpecified; kube-linter latest-tag",
    url: "https://github.com/zegl/kube-score/blob/master/README_CHECKS.md",
    validateResource: forPods((pod, _args, report) => {
        for (const c of containersOf(pod.spec)) {
            const image = c.container.image;
            if (typeof image !== "string" || image.trim() === "") {
                report(`${c.label} has no image`);
                continue;
            }
            const ref = parseImage(image);
            if (!ref.digest && (ref.tag === undefined || ref.tag === "")) {
                report(`${c.label} image ${show(image)} has no tag; pin a version tag or a digest`);
            } else if (!ref.digest && ref.tag === "latest") {
                report(`${c.label} image ${show(image)} uses the moving tag "latest"; pin a version tag or a digest`);
            } else if (!PINNED_IMAGE.test(image)) {
                // The program's own rule on every image setting (shared/guards.json): what it refuses, this refuses.
                report(`${c.label} image ${show(image)} is not ${PINNED_IMAGE_TEXT}`);
            }
        }
    }),
};

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"];

export const probePortsDeclared: DocumentedResourcePolicy = {
    name: "k8s-probe-ports-declared",
    description: "A probe's port (tcpSocket, httpGet, grpc), by name or number, is one of the container's declared containerPorts.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "A probe on a port the container doesn't declare never succeeds (named) or checks the wrong thing (numbered): pods restart in a loop or never get ready.",
    anchor: "kube-linter liveness-port/readiness-port/startup-port; kube-score pod-probes",
    url: "https://github.com/stackrox/kube-linter/blob/main/docs/generated/checks.md",
    validateResource: forPods((pod, _args, report) => {
        for (const c of containersOf(pod.spec, "running")) {
            const ports: Props[] = c.container.ports ?? [];
            const names = new Set(ports.map(p => p?.name).filter(n => typeof n === "string"));
            const numbers = new Set(ports.map(p => Number(p?.containerPort)));
            for (const probeName of PROBES) {
                const probe = c.container[probeName];
                if (!probe) continue;
                for (const handler of ["tcpSocket", "httpGet", "grpc"]) {
                    const port = probe[handler]?.port;
                    if (port === undefined || port === null) continue;
                    const numeric = typeof port === "number" || /^\d+$/.test(String(port));
                    if (numeric ? !numbers.has(Number(port)) : !names.has(port)) {
                        report(`${c.label} ${probeName} ${handler} port ${show(port)} is not a declared containerPort ${numeric ? "number" : "name"}`);
                    }
                }
            }
        }
    }),
};

export const selectorMatchesTemplate: DocumentedResourcePolicy = {
    name: "k8s-selector-matches-template",
    description: "A workload's spec.selector is set, not empty, and matches its own pod template labels.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "A selector that misses the template is rejected or, worse, adopts other pods; an empty one selects the whole namespace.",
    anchor: "kube-linter mismatching-selector",
    url: "https://github.com/stackrox/kube-linter/blob/main/docs/generated/checks.md",
    validateResource: forPods((pod, args, report) => {
        const kind = parseKubeType(args.type)?.kind ?? "";
        const selector = args.props.spec?.selector;
        if (kind === "Pod" || kind === "CronJob") return;
        if (kind === "ReplicationController") {
            if (selector && Object.keys(selector).length > 0 && !mapSelectorMatches(selector, pod.labels)) {
                report(`spec.selector ${showLabels(selector)} does not match the pod template labels ${showLabels(pod.labels)}`);
            }
            return;
        }
        if (selector === undefined || selector === null) {
            if (kind !== "Job") report("spec.selector is not set");
            return;
        }
        if (isEmptySelector(selector as LabelSelector)) {
            report("spec.selector is empty; it would select every pod in the namespace");
        } else if (!selectorMatches(selector as LabelSelector, pod.labels)) {
            report(`spec.selector ${showLabels(selector)} does not match the pod template labels ${showLabels(pod.labels)}`);
        }
    }),
};

const HOSTNAME = "kubernetes.io/hostname";

/** True if the pod spec spreads pods carrying `labels` across nodes: a hostname topology spread constraint or pod anti-affinity term selecting them. */
export function spreadsAcrossNodes(spec: Props, labels: Record<string, string>): boolean {
    for (const t of spec.topologySpreadConstraints ?? []) {
        if (t?.topologyKey === HOSTNAME && selectorMatches(t.labelSelector, labels)) {
            return true;
        }
    }
    const anti = spec.affinity?.podAntiAffinity ?? {};
    const terms: Props[] = [
        ...(anti.requiredDuringSchedulingIgnoredDuringExecution ?? []),
        ...(anti.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w: Props) => w?.podAffinityTerm ?? {}),
    ];
    return terms.some(t => t?.topologyKey === HOSTNAME && selectorMatches(t.labelSelector, labels));
}

function replicasOf(props: Props): number {
    const r = props.spec?.replicas;
    return typeof r === "number" ? r : 1;
}

export const statefulSetSpreadAcrossNodes: DocumentedResourcePolicy = {
    name: "k8s-statefulset-spread-across-nodes",
    description: "A StatefulSet with more than one replica spreads its pods across nodes: a topologySpreadConstraint or podAntiAffinity term on kubernetes.io/hostname that selects its own pods.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "Each memcached pod holds its own shard; two on one node means one node loss drops several shards at once (a miss storm on the backend).",
    anchor: "kube-score deployment-has-host-podantiaffinity / statefulset-has-host-podantiaffinity; Polaris topologySpreadConstraint; kube-linter no-anti-affinity",
    url: "https://github.com/zegl/kube-score/blob/master/README_CHECKS.md",
    validateResource: forPods((pod, args, report) => {
        if (parseKubeType(args.type)?.kind !== "StatefulSet") return;
        const replicas = replicasOf(args.props);
        if (replicas > 1 && !spreadsAcrossNodes(pod.spec, pod.labels)) {
            report(`${replicas} replicas but no topologySpreadConstraint or podAntiAffinity term on ${HOSTNAME} selects its own pods`);
        }
    }),
};

export const deploymentSpreadAcrossNodes: DocumentedResourcePolicy = {
    name: "k8s-deployment-spread-across-nodes",
    description: "A Deployment or ReplicaSet with more than one replica spreads its pods across nodes (kubernetes.io/hostname spread constraint or anti-affinity).",
    enforcementLevel: "advisory",
    severity: "low",
    why: "Stateless replicas survive a node loss as long as one is left elsewhere; advisory because the scheduler's default spreading usually suffices for them.",
    anchor: "kube-score deployment-has-host-podantiaffinity; kube-linter no-anti-affinity",
    url: "https://github.com/zegl/kube-score/blob/master/README_CHECKS.md",
    validateResource: forPods((pod, args, report) => {
        const kind = parseKubeType(args.type)?.kind;
        if (kind !== "Deployment" && kind !== "ReplicaSet") return;
        const replicas = replicasOf(args.props);
        if (replicas > 1 && !spreadsAcrossNodes(pod.spec, pod.labels)) {
            report(`${replicas} replicas but no topologySpreadConstraint or podAntiAffinity term on ${HOSTNAME} selects its own pods`);
        }
    }),
};

// ---- NetworkPolicy and Namespace ---------------------------------------------------------------

/** True for a kubernetes:networking.k8s.io/<v>:NetworkPolicy type token. */
function isNetworkPolicy(type: string): boolean {
    const t = parseKubeType(type);
    return t?.group === "networking.k8s.io" && t.kind === "NetworkPolicy";
}

/** The prefix length of a CIDR ("0.0.0.0/0" -> 0), or undefined if it has none. */
export function cidrPrefix(cidr: unknown): number | undefined {
    const m = /\/(\d{1,3})\s*$/.exec(String(cidr ?? ""));
    return m ? Number(m[1]) : undefined;
}

/** Why a NetworkPolicy peer admits everything (every address, every namespace, every pod of the namespace), or undefined. */
function allowAllPeer(peer: Props, namespace: string): string | undefined {
    if (peer?.ipBlock) {
        return cidrPrefix(peer.ipBlock.cidr) === 0 ? `ipBlock ${show(peer.ipBlock.cidr)} matches every address` : undefined;
    }
    const ns = peer?.namespaceSelector;
    const pods = peer?.podSelector;
    const emptyPods = pods === undefined || pods === null || isEmptySelector(pods);
    if (ns !== undefined && ns !== null && isEmptySelector(ns) && emptyPods) {
        return `selects every pod of every namespace (namespaceSelector {} with ${pods ? "podSelector {}" : "no podSelector"})`;
    }
    if ((ns === undefined || ns === null) && pods !== undefined && pods !== null && isEmptySelector(pods)) {
        return `selects every pod of namespace ${show(namespace)} (podSelector {} without a namespaceSelector)`;
    }
    return undefined;
}

export const networkPolicyNoAllowAll: DocumentedResourcePolicy = {
    name: "k8s-networkpolicy-no-allow-all",
    description: "No NetworkPolicy rule admits every peer: each ingress rule has a non-empty from (egress: to), and no peer is namespaceSelector {} without a podSelector that narrows it, a bare podSelector {} or an ipBlock /0 (0.0.0.0/0, ::/0). A default deny (no rules) is fine.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "An allow-all rule silently undoes the isolation: memcached and mcrouter have no authentication, so whoever the rule admits reads and writes the cache.",
    anchor: "Kubernetes NetworkPolicy: an empty from/to or namespaceSelector {} selects all; GKE hardening guide: restrict traffic among pods",
    url: NETPOL + "#allow-all-ingress-traffic",
    validateResource: (args, report) => {
        if (!isNetworkPolicy(args.type)) return;
        const spec: Props = args.props.spec ?? {};
        const ns = namespaceOf(args.props);
        const types: unknown = spec.policyTypes;
        const typed = Array.isArray(types) && types.length > 0;
        // Unset policyTypes: Ingress always, Egress when the policy has egress rules.
        const directions = [
            { field: "ingress", peers: "from", what: "source", on: !typed || (types as string[]).includes("Ingress") },
            { field: "egress", peers: "to", what: "destination", on: typed ? (types as string[]).includes("Egress") : Array.isArray(spec.egress) && spec.egress.length > 0 },
        ];
        for (const d of directions) {
            if (!d.on || !Array.isArray(spec[d.field])) continue;
            (spec[d.field] as Props[]).forEach((rule, i) => {
                const where = `spec.${d.field}[${i}]`;
                const peers = rule?.[d.peers];
                const everyPort = Array.isArray(rule?.ports) && rule.ports.length > 0 ? "" : ", on every port";
                if (!Array.isArray(peers) || peers.length === 0) {
                    report(`${where} has no ${show(d.peers)} peers: it admits every ${d.what}${everyPort}`);
                    return;
                }
                peers.forEach((peer: Props, j: number) => {
                    const reason = allowAllPeer(peer, ns);
                    if (reason) report(`${where}.${d.peers}[${j}] ${reason}${everyPort}`);
                });
            });
        }
    },
};

export const PSS_ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

/** Production rule: mandatory in code; config/development.json relaxes it (the dev stack creates no namespace anyway). */
export const namespacePssRestricted: DocumentedResourcePolicy = {
    name: "k8s-namespace-pss-restricted",
    description: "Every Namespace the stack creates enforces the restricted Pod Security Standard (label pod-security.kubernetes.io/enforce: restricted) (production rule).",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "The admission controller is the backstop behind these policies: with enforce restricted, a pod that drops a hardening field is refused by the cluster even when it was created outside this program's preview.",
    anchor: "Pod Security Admission: namespace labels; PSS restricted; GKE hardening guide",
    url: "https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces",
    validateResource: (args, report) => {
        const t = parseKubeType(args.type);
        if (t?.group !== "core" || t.kind !== "Namespace") return;
        const level = args.props.metadata?.labels?.[PSS_ENFORCE_LABEL];
        if (level !== "restricted") {
            report(`metadata.labels[${show(PSS_ENFORCE_LABEL)}] must be "restricted" (got ${show(level)})`);
        }
    },
};

export const kubernetesPolicies: DocumentedResourcePolicy[] = [
    memcachedMutualTls,
    hostPortsKnownList,
    noHostPorts,
    noPrivilegedContainers,
    noPrivilegeEscalation,
    noHostNamespaces,
    noHostPathVolumes,
    capabilitiesRestricted,
    seccompRuntimeDefault,
    runAsNonRoot,
    readOnlyRootFilesystem,
    resourceRequestsLimits,
    memcachedMemoryAboveCache,
    imageTagPinned,
    probePortsDeclared,
    selectorMatchesTemplate,
    statefulSetSpreadAcrossNodes,
    deploymentSpreadAcrossNodes,
    networkPolicyNoAllowAll,
    namespacePssRestricted,
];
