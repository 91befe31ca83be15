// Stack policies: rules that relate several Kubernetes objects (a StatefulSet and its Service, a
// workload and the PodDisruptionBudget or NetworkPolicy that selects it, a Service and its pods).
// Objects relate within one namespace; an unset namespace is "default".

import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import type { DocumentedStackPolicy } from "../meta";
import {
    containersOf,
    mapSelectorMatches,
    namespaceOf,
    objectRef,
    parseKubeType,
    podTemplate,
    programOf,
    Props,
    selectorMatches,
    show,
    showLabels,
} from "../util";

/** A pod-carrying object of the stack. */
export interface Workload {
    resource: PolicyResource;
    kind: string;
    namespace: string;
    ref: string;
    labels: Record<string, string>;
    spec: Props;
    /** spec.replicas (default 1) for replica-counted kinds; undefined for DaemonSets, Jobs, CronJobs. */
    replicas?: number;
}

const REPLICA_KINDS = new Set(["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"]);

export function workloadsOf(resources: PolicyResource[]): Workload[] {
    const out: Workload[] = [];
    for (const r of resources) {
        const pod = podTemplate(r.type, r.props);
        if (!pod) continue;
        const kind = parseKubeType(r.type)!.kind;
        let replicas: number | undefined;
        if (REPLICA_KINDS.has(kind)) {
            replicas = typeof r.props.spec?.replicas === "number" ? r.props.spec.replicas : 1;
        } else if (kind === "Pod") {
            replicas = 1;
        }
        out.push({ resource: r, kind, namespace: namespaceOf(r.props), ref: objectRef(r.type, r.props), labels: pod.labels, spec: pod.spec, replicas });
    }
    return out;
}

function ofKind(resources: PolicyResource[], group: string, kind: string): PolicyResource[] {
    return resources.filter(r => {
        const t = parseKubeType(r.type);
        return t !== undefined && t.group === group && t.kind === kind;
    });
}

const services = (rs: PolicyResource[]) => ofKind(rs, "core", "Service");
const pdbs = (rs: PolicyResource[]) => ofKind(rs, "policy", "PodDisruptionBudget");
const networkPolicies = (rs: PolicyResource[]) => ofKind(rs, "networking.k8s.io", "NetworkPolicy");

/** A Service's selector as a map, or undefined when it has none (manual endpoints, ExternalName). */
function serviceSelector(svc: PolicyResource): Record<string, string> | undefined {
    const sel = svc.props.spec?.selector;
    if (svc.props.spec?.type === "ExternalName" || !sel || Object.keys(sel).length === 0) {
        return undefined;
    }
    return sel;
}

export const statefulSetHeadlessService: DocumentedStackPolicy = {
    name: "k8s-statefulset-headless-service",
    description: "A StatefulSet's spec.serviceName names a headless Service (clusterIP None) in its namespace that selects its pods.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "mcrouter addresses each shard as `<pod>.<service>.<namespace>.svc`; without the headless governing Service those names don't resolve and every request fails.",
    anchor: "kube-score statefulset-has-servicename; cdk8s-plus StatefulSet owns its headless Service",
    url: "https://github.com/zegl/kube-score/blob/master/README_CHECKS.md",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const svcs = services(args.resources);
        for (const w of workloadsOf(args.resources).filter(w => w.kind === "StatefulSet")) {
            const name = w.resource.props.spec?.serviceName;
            if (typeof name !== "string" || name === "") {
                report(`${w.ref}: spec.serviceName is not set; its pods get no stable DNS names`, w.resource.urn);
                continue;
            }
            const svc = svcs.find(s => namespaceOf(s.props) === w.namespace && s.props.metadata?.name === name);
            if (!svc) {
                report(`${w.ref}: spec.serviceName ${show(name)} names no Service in namespace ${show(w.namespace)}`, w.resource.urn);
                continue;
            }
            const svcRef = objectRef(svc.type, svc.props);
            if (svc.props.spec?.clusterIP !== "None") {
                report(`${w.ref}: ${svcRef} is not headless (spec.clusterIP is ${show(svc.props.spec?.clusterIP)}, must be "None")`, w.resource.urn);
            }
            const sel = serviceSelector(svc);
            if (!sel || !mapSelectorMatches(sel, w.labels)) {
                report(`${w.ref}: ${svcRef} selector ${showLabels(sel)} does not select its pods ${showLabels(w.labels)}`, w.resource.urn);
            }
        }
    },
};

export const statefulSetHasPdb: DocumentedStackPolicy = {
    name: "k8s-statefulset-has-pdb",
    description: "A StatefulSet with more than one replica is selected by a PodDisruptionBudget in its namespace.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "Without a PDB a drain or autoscaler scale-down may evict several memcached shards at once: a cache wipe and a miss storm on the backend.",
    anchor: "kube-score statefulset-has-poddisruptionbudget; Polaris missingPodDisruptionBudget",
    url: "https://github.com/zegl/kube-score/blob/master/README_CHECKS.md",
    validateStack: (args, report) => {
        const all = pdbs(args.resources);
        for (const w of workloadsOf(args.resources).filter(w => w.kind === "StatefulSet" && (w.replicas ?? 1) > 1)) {
            const covered = all.some(p => namespaceOf(p.props) === w.namespace && selectorMatches(p.props.spec?.selector, w.labels));
            if (!covered) {
                report(`${w.ref}: ${w.replicas} replicas but no PodDisruptionBudget selects its pods ${showLabels(w.labels)}`, w.resource.urn);
            }
        }
    },
};

/** An IntOrString of a PDB scaled to `total` the way Kubernetes does (percentages round up). */
function scaled(v: unknown, total: number): number | undefined {
    if (typeof v === "number") return v;
    if (typeof v !== "string") return undefined;
    const pct = /^(\d+)%$/.exec(v.trim());
    if (pct) return Math.ceil((Number(pct[1]) * total) / 100);
    return /^\d+$/.test(v.trim()) ? Number(v) : undefined;
}

export const pdbAllowsDisruption: DocumentedStackPolicy = {
    name: "k8s-pdb-allows-disruption",
    description: "Every PodDisruptionBudget allows at least one voluntary disruption of the replicas it selects (maxUnavailable > 0, or minAvailable below the replica count).",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "A PDB that allows no disruption blocks every node drain: GKE auto-upgrades and auto-repair stall on the node.",
    anchor: "Polaris pdbDisruptionsIsZero; kube-linter pdb-max-unavailable/pdb-min-available",
    url: "https://github.com/stackrox/kube-linter/blob/main/docs/generated/checks.md",
    validateStack: (args, report) => {
        const workloads = workloadsOf(args.resources);
        for (const p of pdbs(args.resources)) {
            const ref = objectRef(p.type, p.props);
            const spec = p.props.spec ?? {};
            const selected = workloads.filter(w => w.namespace === namespaceOf(p.props) && selectorMatches(spec.selector, w.labels));
            const countable = selected.length > 0 && selected.every(w => w.replicas !== undefined);
            const total = selected.reduce((n, w) => n + (w.replicas ?? 0), 0);
            if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
                if (scaled(spec.maxUnavailable, Math.max(total, 1)) === 0) {
                    report(`${ref}: maxUnavailable ${show(spec.maxUnavailable)} allows no voluntary disruption; node drains and GKE upgrades would stall`, p.urn);
                }
            } else if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
                const pctAll = typeof spec.minAvailable === "string" && spec.minAvailable.trim() === "100%";
                const min = scaled(spec.minAvailable, total);
                if (pctAll || (countable && min !== undefined && min >= total)) {
                    const of = countable ? ` of ${total} selected replicas (${selected.map(w => w.ref).join(", ")})` : "";
                    report(`${ref}: minAvailable ${show(spec.minAvailable)}${of} allows no voluntary disruption; node drains and GKE upgrades would stall`, p.urn);
                }
            }
        }
    },
};

/** True if the NetworkPolicy isolates its pods for ingress (policyTypes unset always includes Ingress). */
function isIngressPolicy(np: PolicyResource): boolean {
    const types = np.props.spec?.policyTypes;
    return !Array.isArray(types) || types.length === 0 || types.includes("Ingress");
}

export const networkPolicyCoversWorkloads: DocumentedStackPolicy = {
    name: "k8s-networkpolicy-covers-workloads",
    description: "Every workload's pods are selected by an Ingress NetworkPolicy in their namespace (a default-deny {} selector counts).",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "memcached and mcrouter have no authentication: an unselected pod accepts connections from every pod in the cluster.",
    anchor: "kube-score pod-networkpolicy; kube-linter non-isolated-pod",
    url: "https://github.com/zegl/kube-score/blob/master/README_CHECKS.md",
    validateStack: (args, report) => {
        const nps = networkPolicies(args.resources).filter(isIngressPolicy);
        for (const w of workloadsOf(args.resources)) {
            const covered = nps.some(np => namespaceOf(np.props) === w.namespace && selectorMatches(np.props.spec?.podSelector ?? {}, w.labels));
            if (!covered) {
                report(`${w.ref}: no NetworkPolicy with policyType Ingress selects its pods ${showLabels(w.labels)}; any pod in the cluster can reach them`, w.resource.urn);
            }
        }
    },
};

/** Every Service with a selector, with the workloads of its namespace whose pods it selects. */
function selectingServices(resources: PolicyResource[]) {
    const workloads = workloadsOf(resources);
    return services(resources).flatMap(svc => {
        const sel = serviceSelector(svc);
        if (!sel) return [];
        const ns = namespaceOf(svc.props);
        return [{ svc, sel, ns, selected: workloads.filter(w => w.namespace === ns && mapSelectorMatches(sel, w.labels)) }];
    });
}

export const serviceSelectsWorkload: DocumentedStackPolicy = {
    name: "k8s-service-selects-workload",
    description: "Every Service with a selector selects the pods of some workload of the stack in its namespace.",
    enforcementLevel: "mandatory",
    severity: "medium",
    why: "A Service that selects nothing has no endpoints: clients get connection refused (typically a label typo).",
    anchor: "kube-score service-targets-pod; kube-linter dangling-service",
    url: "https://github.com/stackrox/kube-linter/blob/main/docs/generated/checks.md",
    validateStack: (args, report) => {
        for (const { svc, sel, ns, selected } of selectingServices(args.resources)) {
            if (selected.length === 0) {
                report(`${objectRef(svc.type, svc.props)}: selector ${showLabels(sel)} selects no workload's pods in namespace ${show(ns)}`, svc.urn);
            }
        }
    },
};

export const readinessProbeBehindService: DocumentedStackPolicy = {
    name: "k8s-readiness-probe-behind-service",
    description: "A workload whose pods a Service selects has a readinessProbe on one of its containers.",
    enforcementLevel: "mandatory",
    severity: "medium",
    why: "Service endpoints and the headless Service's pod DNS names (mcrouter's server list) follow pod readiness: without a probe clients connect before the process listens, on every rollout. (A pod is ready when all its containers are, so one probe gates a metrics sidecar too.)",
    anchor: "kube-score pod-probes; Polaris readinessProbeMissing",
    url: "https://github.com/zegl/kube-score/blob/master/README_CHECKS.md",
    validateStack: (args, report) => {
        for (const { svc, selected } of selectingServices(args.resources)) {
            for (const w of selected) {
                if (!containersOf(w.spec, "main").some(c => c.container.readinessProbe)) {
                    report(`${w.ref}: selected by ${objectRef(svc.type, svc.props)} but none of its containers has a readinessProbe`, w.resource.urn);
                }
            }
        }
    },
};

/** Programs whose pods make a Service a cache Service. */
export const CACHE_PROGRAMS = ["memcached", "mcrouter"];

function cacheProgram(w: Workload): string | undefined {
    return containersOf(w.spec, "main").map(c => programOf(c.container)).find(p => CACHE_PROGRAMS.includes(p));
}

export const cacheServiceInternal: DocumentedStackPolicy = {
    name: "k8s-cache-service-internal",
    description: "A Service that selects memcached or mcrouter pods is never type LoadBalancer or NodePort and has no externalIPs.",
    enforcementLevel: "mandatory",
    severity: "critical",
    why: "memcached and mcrouter speak an unauthenticated protocol: exposed outside the cluster they leak and accept any data (and serve UDP amplification).",
    anchor: "kube-score service-type; kube-linter exposed-services; memcached security notes",
    url: "https://github.com/memcached/memcached/wiki/SecurityNotes",
    validateStack: (args, report) => {
        const workloads = workloadsOf(args.resources);
        for (const svc of services(args.resources)) {
            const spec = svc.props.spec ?? {};
            const problems: string[] = [];
            if (spec.type === "LoadBalancer" || spec.type === "NodePort") problems.push(`is type ${spec.type}`);
            if (Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0) problems.push(`sets externalIPs ${JSON.stringify(spec.externalIPs)}`);
            if (problems.length === 0) continue;
            const sel = serviceSelector(svc);
            if (!sel) continue;
            const ns = namespaceOf(svc.props);
            for (const w of workloads.filter(w => w.namespace === ns && mapSelectorMatches(sel, w.labels))) {
                const program = cacheProgram(w);
                if (program) {
                    report(`${objectRef(svc.type, svc.props)} ${problems.join(" and ")} and selects the ${program} pods of ${w.ref}; cache Services must stay inside the cluster (ClusterIP)`, svc.urn);
                }
            }
        }
    },
};

export const stackPolicies: DocumentedStackPolicy[] = [
    statefulSetHeadlessService,
    statefulSetHasPdb,
    pdbAllowsDisruption,
    networkPolicyCoversWorkloads,
    serviceSelectsWorkload,
    readinessProbeBehindService,
    cacheServiceInternal,
];
