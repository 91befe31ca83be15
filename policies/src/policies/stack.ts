// Stack policies: rules that relate several Kubernetes objects (a StatefulSet and its Service, a
// workload and the PodDisruptionBudget or NetworkPolicy that selects it, a Service and its pods, a pod
// that mounts its service-account token and the RBAC bound to that account), or a workload and the GCP
// resources beside it (mcrouter's image and the stack's Artifact Registry).
// Objects relate within one namespace; an unset namespace is "default".

import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import type { DocumentedStackPolicy } from "../meta";
import { cidrPrefix } from "./kubernetes";
import {
    containersOf,
    isWorkloadType,
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
    description: "A StatefulSet with more than one replica is selected by a PodDisruptionBudget in its namespace, and that budget lets at most one of its pods be disrupted at a time.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "Without a PDB, or with one that allows two or more disruptions, a drain or autoscaler scale-down may evict several memcached shards at once: a cache wipe and a miss storm on the backend.",
    anchor: "kube-score statefulset-has-poddisruptionbudget; Polaris missingPodDisruptionBudget; Kubernetes: specifying a disruption budget",
    url: "https://github.com/zegl/kube-score/blob/master/README_CHECKS.md",
    validateStack: (args, report) => {
        const all = pdbs(args.resources);
        const workloads = workloadsOf(args.resources);
        for (const w of workloads.filter(w => w.kind === "StatefulSet" && (w.replicas ?? 1) > 1)) {
            const covering = all.filter(p => namespaceOf(p.props) === w.namespace && selectorMatches(p.props.spec?.selector, w.labels));
            if (covering.length === 0) {
                report(`${w.ref}: ${w.replicas} replicas but no PodDisruptionBudget selects its pods ${showLabels(w.labels)}`, w.resource.urn);
                continue;
            }
            for (const p of covering) {
                const spec = p.props.spec ?? {};
                const selected = workloads.filter(x => x.namespace === w.namespace && selectorMatches(spec.selector, x.labels));
                if (!selected.every(x => x.replicas !== undefined)) continue;
                const total = selected.reduce((n, x) => n + (x.replicas ?? 0), 0);
                let allowed: number | undefined;
                let by: string;
                if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
                    allowed = scaled(spec.maxUnavailable, total);
                    by = `maxUnavailable ${show(spec.maxUnavailable)}`;
                } else if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
                    const min = scaled(spec.minAvailable, total);
                    allowed = min === undefined ? undefined : total - min;
                    by = `minAvailable ${show(spec.minAvailable)}`;
                } else {
                    allowed = total;
                    by = "neither minAvailable nor maxUnavailable";
                }
                if (allowed !== undefined && allowed > 1) {
                    report(
                        `${w.ref}: ${objectRef(p.type, p.props)} (${by}) lets ${allowed} of ${total} pods be disrupted at once; a drain may take several shards down together, allow at most 1`,
                        w.resource.urn,
                    );
                }
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
    description: "Every PodDisruptionBudget allows at least one voluntary disruption of the replicas it selects (maxUnavailable above 0, or minAvailable below the replica count; percentages round up as Kubernetes rounds them), and no workload's pods are selected by two PodDisruptionBudgets.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "A PDB that allows no disruption blocks every node drain: GKE auto-upgrades and auto-repair stall on the node. A pod under two PDBs can't be evicted at all (the eviction API refuses it), with the same effect.",
    anchor: "Polaris pdbDisruptionsIsZero; kube-linter pdb-max-unavailable/pdb-min-available; Kubernetes: API-initiated eviction",
    url: "https://github.com/stackrox/kube-linter/blob/main/docs/generated/checks.md",
    validateStack: (args, report) => {
        const workloads = workloadsOf(args.resources);
        const all = pdbs(args.resources);
        for (const p of all) {
            const ref = objectRef(p.type, p.props);
            const spec = p.props.spec ?? {};
            const selected = workloads.filter(w => w.namespace === namespaceOf(p.props) && selectorMatches(spec.selector, w.labels));
            const countable = selected.length > 0 && selected.every(w => w.replicas !== undefined);
            const total = selected.reduce((n, w) => n + (w.replicas ?? 0), 0);
            const of = countable ? ` of ${total} selected replica${total === 1 ? "" : "s"} (${selected.map(w => w.ref).join(", ")})` : "";
            if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
                // maxUnavailable: a percentage of the expected pods, rounded up.
                if (scaled(spec.maxUnavailable, Math.max(total, 1)) === 0) {
                    report(`${ref}: maxUnavailable ${show(spec.maxUnavailable)} allows no voluntary disruption; node drains and GKE upgrades would stall`, p.urn);
                }
            } else if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
                // minAvailable: a percentage of the expected pods, rounded up; blocking once it reaches all of them.
                const pctAll = typeof spec.minAvailable === "string" && /^\s*(\d+)%\s*$/.test(spec.minAvailable) && parseInt(spec.minAvailable, 10) >= 100;
                const min = scaled(spec.minAvailable, total);
                if (pctAll || (countable && total > 0 && min !== undefined && min >= total)) {
                    report(`${ref}: minAvailable ${show(spec.minAvailable)}${of} allows no voluntary disruption; node drains and GKE upgrades would stall`, p.urn);
                }
            }
        }
        for (const w of workloads) {
            const over = all.filter(p => namespaceOf(p.props) === w.namespace && selectorMatches(p.props.spec?.selector, w.labels));
            if (over.length > 1) {
                report(
                    `${w.ref}: its pods are selected by ${over.length} PodDisruptionBudgets (${over.map(p => objectRef(p.type, p.props)).join(", ")}); the eviction API refuses to evict a pod with more than one, so node drains and GKE upgrades would stall`,
                    w.resource.urn,
                );
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

/** True if the NetworkPolicy has at least one ingress rule (a policy without any only denies). */
function hasIngressRules(np: PolicyResource): boolean {
    return Array.isArray(np.props.spec?.ingress) && np.props.spec.ingress.length > 0;
}

export const networkPolicyAdmitsServiceTraffic: DocumentedStackPolicy = {
    name: "k8s-networkpolicy-admits-service-traffic",
    description: "A workload a Service selects is admitted ingress by some rule of a NetworkPolicy selecting it, not isolated by a default deny alone.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "Under a namespace default deny, a workload whose own NetworkPolicy is gone accepts no connection at all: its Service has endpoints but every client (mcrouter to memcached, the app to mcrouter) times out. An outage the preview can see before the smoke test fails at deploy.",
    anchor: "Kubernetes NetworkPolicy: isolated pods accept only what some policy's ingress rules allow; kube-score pod-networkpolicy",
    url: "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic",
    validateStack: (args, report) => {
        const nps = networkPolicies(args.resources).filter(isIngressPolicy);
        const reported = new Set<string>();
        for (const { svc, selected } of selectingServices(args.resources)) {
            for (const w of selected) {
                if (reported.has(w.resource.urn)) continue;
                const covering = nps.filter(np => namespaceOf(np.props) === w.namespace && selectorMatches(np.props.spec?.podSelector ?? {}, w.labels));
                if (covering.length > 0 && !covering.some(hasIngressRules)) {
                    reported.add(w.resource.urn);
                    report(
                        `${w.ref}: selected by ${objectRef(svc.type, svc.props)}, but the only NetworkPolicies selecting its pods (${covering.map(np => objectRef(np.type, np.props)).join(", ")}) admit no ingress; every client connection is dropped`,
                        w.resource.urn,
                    );
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

// ---- mcrouter's pools and the memcached StatefulSet ------------------------------------------------

/** memcached's default TCP port. */
export const MEMCACHED_DEFAULT_PORT = 11211;

/** The TCP port a memcached command line listens on (-p / --port; the last one wins; default 11211). */
export function memcachedPort(argv: string[]): number {
    let raw: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const a = String(argv[i]);
        if (a === "-p" || a === "--port") {
            raw = argv[i + 1];
            i++;
        } else if (a.startsWith("--port=")) {
            raw = a.slice("--port=".length);
        } else if (/^-p\d/.test(a)) {
            raw = a.slice(2);
        }
    }
    const n = raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    return Number.isInteger(n) && n > 0 ? n : MEMCACHED_DEFAULT_PORT;
}

/** The memcached container of a workload, if it runs one. */
function memcachedContainer(w: Workload): Props | undefined {
    return containersOf(w.spec, "main").find(c => programOf(c.container) === "memcached")?.container;
}

/** True if some pod of the namespace mounts the ConfigMap and runs mcrouter. */
function mountedByMcrouter(cm: PolicyResource, workloads: Workload[]): boolean {
    const name = cm.props.metadata?.name;
    return workloads.some(
        w =>
            w.namespace === namespaceOf(cm.props) &&
            containersOf(w.spec, "main").some(c => programOf(c.container) === "mcrouter") &&
            (w.spec.volumes ?? []).some((v: Props) => v?.configMap?.name === name),
    );
}

/** The pool names a route refers to: "PoolRoute|<name>" strings and {"type": "PoolRoute", "pool": "<name>"} objects, anywhere in the tree. */
export function routePools(route: unknown, out: Set<string> = new Set()): Set<string> {
    if (typeof route === "string") {
        const m = /^\s*PoolRoute\|([^|\s]+)\s*$/.exec(route);
        if (m) out.add(m[1]);
    } else if (Array.isArray(route)) {
        for (const r of route) routePools(r, out);
    } else if (route && typeof route === "object") {
        const o = route as Props;
        if (o.type === "PoolRoute" && typeof o.pool === "string") out.add(o.pool);
        for (const v of Object.values(o)) routePools(v, out);
    }
    return out;
}

/** The StatefulSet of the namespace that pool servers name (<sts>-<i>.<svc>.<ns>.svc...), else its memcached StatefulSet. */
function poolStatefulSet(servers: unknown[], ns: string, workloads: Workload[]): Workload | undefined {
    const statefulSets = workloads.filter(w => w.kind === "StatefulSet" && w.namespace === ns);
    const named = new Map<string, number>();
    for (const s of servers) {
        const m = POD_HOST.exec(String(s));
        if (m && statefulSets.some(w => w.resource.props.metadata?.name === m[1])) named.set(m[1], (named.get(m[1]) ?? 0) + 1);
    }
    const byName = [...named.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    return statefulSets.find(w => w.resource.props.metadata?.name === byName) ?? statefulSets.find(w => memcachedContainer(w));
}

/** The port memcached listens on in a workload (-p, default 11211) and the names its container gives that port. */
function memcachedPortOf(w: Workload): { port: number; names: string[] } {
    const mc = memcachedContainer(w);
    const port = mc ? memcachedPort([...(mc.command ?? []).slice(1), ...(mc.args ?? [])].map(String)) : MEMCACHED_DEFAULT_PORT;
    const names = ((mc?.ports ?? []) as Props[]).filter(p => Number(p?.containerPort) === port && typeof p?.name === "string").map(p => p.name as string);
    return { port, names };
}

/** The mcrouter configs of a stack: ConfigMaps whose config.json parses to an object with a "pools" object. */
function mcrouterConfigs(resources: PolicyResource[]): { cm: PolicyResource; config: Props; servers: unknown[] }[] {
    const out: { cm: PolicyResource; config: Props; servers: unknown[] }[] = [];
    for (const cm of ofKind(resources, "core", "ConfigMap")) {
        const text = cm.props.data?.["config.json"];
        if (typeof text !== "string") continue;
        let config: unknown;
        try {
            config = JSON.parse(text);
        } catch {
            continue;
        }
        const pools = (config as Props | null)?.pools;
        if (!pools || typeof pools !== "object" || Array.isArray(pools)) continue;
        const servers = Object.values(pools as Props).flatMap((p: any) => (Array.isArray(p?.servers) ? p.servers : []));
        out.push({ cm, config: config as Props, servers });
    }
    return out;
}

const POD_HOST = /^(.+)-(\d+)\.([^.]+)\.([^.]+)\.svc\.cluster\.local:(\d+)$/;

export const mcrouterPoolsMatchStatefulSet: DocumentedStackPolicy = {
    name: "k8s-mcrouter-pools-match-statefulset",
    description:
        "An mcrouter config (a ConfigMap whose config.json has pools) lists exactly the memcached StatefulSet's pods, `<sts>-<i>.<serviceName>.<namespace>.svc.cluster.local:<port>` for i below spec.replicas, each once per pool and in ordinal order, and its route uses every pool and only pools it defines.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "mcrouter hashes keys onto the pool's list by position: a host that is no pod fails its share of requests, an unlisted pod holds no keys, a duplicate or reordered list moves keys between shards (a miss storm), and a route to an undefined pool makes mcrouter reject the whole config.",
    anchor: "mcrouter Config-Files (pools, PoolRoute); Kubernetes StatefulSet stable network identity",
    url: "https://github.com/facebook/mcrouter/wiki/Config-Files",
    validateStack: (args, report) => {
        const workloads = workloadsOf(args.resources);
        for (const cm of ofKind(args.resources, "core", "ConfigMap")) {
            const text = cm.props.data?.["config.json"];
            if (typeof text !== "string") continue;
            const ns = namespaceOf(cm.props);
            const at = `${objectRef(cm.type, cm.props)} config.json`;
            const mounted = mountedByMcrouter(cm, workloads);
            let config: Props;
            try {
                config = JSON.parse(text);
            } catch (e: any) {
                if (mounted) report(`${at} is not valid JSON (${e?.message ?? e}); mcrouter can't load it`, cm.urn);
                continue;
            }
            if (!config || typeof config !== "object" || Array.isArray(config)) continue;
            const pools = config.pools;
            if (pools === undefined || pools === null || typeof pools !== "object" || Array.isArray(pools)) {
                if (mounted) report(`${at} has no "pools" object`, cm.urn);
                continue;
            }

            // The pools' servers.
            const servers: { pool: string; list: unknown[] }[] = [];
            for (const [pool, def] of Object.entries(pools as Props)) {
                const list = (def as Props | null)?.servers;
                if (!Array.isArray(list)) {
                    report(`${at}: pool ${show(pool)} has no "servers" list`, cm.urn);
                    continue;
                }
                servers.push({ pool, list });
            }

            // The StatefulSet the hosts name (the memcached one of the namespace if they name none).
            const sts = poolStatefulSet(servers.flatMap(p => p.list), ns, workloads);
            if (!sts) {
                report(`${at}: no memcached StatefulSet in namespace ${show(ns)} backs its pools`, cm.urn);
                continue;
            }
            const stsName = sts.resource.props.metadata?.name;
            const serviceName = sts.resource.props.spec?.serviceName;
            const replicas = sts.replicas ?? 1;
            const { port } = memcachedPortOf(sts);
            const host = (i: number | string) => `${stsName}-${i}.${serviceName}.${ns}.svc.cluster.local:${port}`;
            const expected = Array.from({ length: replicas }, (_, i) => host(i));
            const listed = new Set<string>();

            for (const { pool, list } of servers) {
                const seen = new Set<string>();
                const ordinals: number[] = [];
                for (const s of list) {
                    const server = String(s);
                    if (seen.has(server)) {
                        report(`${at}: pool ${show(pool)} lists ${show(server)} more than once`, cm.urn);
                        continue;
                    }
                    seen.add(server);
                    const i = expected.indexOf(server);
                    if (i < 0) {
                        report(`${at}: pool ${show(pool)} server ${show(server)} is not a pod of ${sts.ref} (${replicas} replicas: ${host("<i>")}, i = 0..${replicas - 1})`, cm.urn);
                        continue;
                    }
                    listed.add(server);
                    ordinals.push(i);
                }
                if (ordinals.some((ord, pos) => ord !== pos)) {
                    report(`${at}: pool ${show(pool)} lists pods ${ordinals.join(", ")} of ${sts.ref}; a pool lists pods 0..${ordinals.length - 1} in ordinal order (mcrouter hashes keys by position)`, cm.urn);
                }
            }
            expected.forEach((e, i) => {
                if (!listed.has(e)) report(`${at}: no pool lists ${show(e)}, pod ${i} of the ${replicas} of ${sts.ref}; its shard takes no keys`, cm.urn);
            });

            // The route's pools.
            if (config.route === undefined && config.routes === undefined) {
                report(`${at} has no "route" (or "routes"); mcrouter routes nothing to its pools`, cm.urn);
                continue;
            }
            const used = routePools([config.route, config.routes]);
            for (const pool of used) {
                if (!Object.prototype.hasOwnProperty.call(pools, pool)) report(`${at}: the route uses pool ${show(pool)}, which "pools" does not define`, cm.urn);
            }
            for (const pool of Object.keys(pools)) {
                if (!used.has(pool)) report(`${at}: pool ${show(pool)} is not used by the route; its servers get no requests`, cm.urn);
            }
        }
    },
};

// ---- NetworkPolicy reachability of the cache path -------------------------------------------------

/** True if the NetworkPolicy isolates its pods for egress (policyTypes unset: only when it has egress rules). */
function isEgressPolicy(np: PolicyResource): boolean {
    const types = np.props.spec?.policyTypes;
    if (Array.isArray(types) && types.length > 0) return types.includes("Egress");
    return Array.isArray(np.props.spec?.egress) && np.props.spec.egress.length > 0;
}

interface PodRef {
    labels: Record<string, string>;
    namespace: string;
}

/**
 * True if a NetworkPolicy peer (of a policy in `policyNs`) admits the pod. Namespace selectors are
 * evaluated on the one namespace label every namespace has, kubernetes.io/metadata.name; an ipBlock
 * admits pods only when it is /0.
 */
function peerAdmits(peer: Props, pod: PodRef, policyNs: string): boolean {
    if (peer?.ipBlock) return cidrPrefix(peer.ipBlock.cidr) === 0;
    const nsSel = peer?.namespaceSelector;
    const podSel = peer?.podSelector;
    if ((nsSel === undefined || nsSel === null) && (podSel === undefined || podSel === null)) return false;
    const nsOk = nsSel === undefined || nsSel === null ? pod.namespace === policyNs : selectorMatches(nsSel, { "kubernetes.io/metadata.name": pod.namespace });
    return nsOk && (podSel === undefined || podSel === null || selectorMatches(podSel, pod.labels));
}

/** True if a rule's ports admit `port` (by number, range or one of its names) over `protocol`; no ports admits every port. */
function portsAdmit(ports: unknown, port: number, names: string[], protocol: string): boolean {
    if (!Array.isArray(ports) || ports.length === 0) return true;
    return ports.some((p: Props) => {
        if ((p?.protocol ?? "TCP") !== protocol) return false;
        const v = p?.port;
        if (v === undefined || v === null) return true;
        if (typeof v === "string") return names.includes(v) || v === String(port);
        return v === port || (typeof p?.endPort === "number" && port >= v && port <= p.endPort);
    });
}

/** True if some rule (field "ingress" with peers "from", or "egress" with "to") of the policies admits the peer pod on the port. */
function policiesAdmit(nps: PolicyResource[], field: "ingress" | "egress", pod: PodRef | undefined, port: number, names: string[], protocol: string): boolean {
    const peersKey = field === "ingress" ? "from" : "to";
    return nps.some(np =>
        ((np.props.spec?.[field] ?? []) as Props[]).some(rule => {
            const peers = rule?.[peersKey];
            const peerOk = !pod || !Array.isArray(peers) || peers.length === 0 || peers.some((p: Props) => peerAdmits(p, pod, namespaceOf(np.props)));
            return peerOk && portsAdmit(rule?.ports, port, names, protocol);
        }),
    );
}

export const mcrouterReachesMemcached: DocumentedStackPolicy = {
    name: "k8s-mcrouter-reaches-memcached",
    description:
        "Where NetworkPolicies isolate them, they let the mcrouter pods reach the memcached StatefulSet their config lists: memcached's ingress admits mcrouter on memcached's port, mcrouter's egress admits memcached on that port and DNS (port 53/UDP) to resolve the pool's host names.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "The NetworkPolicies are the only thing between mcrouter and its pool: a dropped peer, a wrong port or a lost DNS rule leaves every request failing (or, with failover routes, silently missing) while every pod looks healthy.",
    anchor: "Kubernetes NetworkPolicy: ingress and egress of isolated pods; mcrouter Config-Files (pool servers)",
    url: "https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource",
    validateStack: (args, report) => {
        const workloads = workloadsOf(args.resources);
        const nps = networkPolicies(args.resources);
        for (const { cm, servers } of mcrouterConfigs(args.resources)) {
            const ns = namespaceOf(cm.props);
            const sts = poolStatefulSet(servers, ns, workloads);
            if (!sts) continue; // k8s-mcrouter-pools-match-statefulset reports it
            const { port, names } = memcachedPortOf(sts);
            const portText = `port ${port}${names.length > 0 ? ` (${names.map(n => JSON.stringify(n)).join(", ")})` : ""}`;
            const refs = (list: PolicyResource[]) => list.map(np => objectRef(np.type, np.props)).join(", ");
            const proxies = workloads.filter(
                w =>
                    w.namespace === ns &&
                    containersOf(w.spec, "main").some(c => programOf(c.container) === "mcrouter") &&
                    (w.spec.volumes ?? []).some((v: Props) => v?.configMap?.name === cm.props.metadata?.name),
            );
            for (const m of proxies) {
                const into = nps.filter(np => isIngressPolicy(np) && namespaceOf(np.props) === sts.namespace && selectorMatches(np.props.spec?.podSelector ?? {}, sts.labels));
                if (into.length > 0 && !policiesAdmit(into, "ingress", { labels: m.labels, namespace: m.namespace }, port, names, "TCP")) {
                    report(`${sts.ref}: its NetworkPolicies (${refs(into)}) admit no ingress from the mcrouter pods of ${m.ref} on ${portText}; mcrouter can't reach its pool`, sts.resource.urn);
                }
                const out = nps.filter(np => isEgressPolicy(np) && namespaceOf(np.props) === m.namespace && selectorMatches(np.props.spec?.podSelector ?? {}, m.labels));
                if (out.length === 0) continue;
                if (!policiesAdmit(out, "egress", { labels: sts.labels, namespace: sts.namespace }, port, names, "TCP")) {
                    report(`${m.ref}: its NetworkPolicies (${refs(out)}) admit no egress to the memcached pods of ${sts.ref} on ${portText}; mcrouter can't reach its pool`, m.resource.urn);
                }
                if (!policiesAdmit(out, "egress", undefined, 53, ["dns"], "UDP")) {
                    report(`${m.ref}: its NetworkPolicies (${refs(out)}) admit no egress on port 53/UDP (DNS); mcrouter can't resolve its pool's host names`, m.resource.urn);
                }
            }
        }
    },
};

// ---- mcrouter's image and the stack's own registry --------------------------------------------------

// The SDK's proxy throws UnknownValueError on reading a value unknown during preview. Internal to
// @pulumi/policy (its .d.ts exports nothing), as src/engine.ts notes.
const { UnknownValueError }: { UnknownValueError: new (...args: any[]) => Error } = require("@pulumi/policy/proxy");

/** What `read` returns, or undefined when the value is unknown during preview (the policy sees it at `pulumi up`). */
function known<T>(read: () => T): T | undefined {
    try {
        return read();
    } catch (e) {
        if (e instanceof UnknownValueError) return undefined;
        throw e;
    }
}

const isName = (v: unknown): v is string => typeof v === "string" && v !== "";

/**
 * The image prefixes of the stack's Docker repositories, `<location>-docker.pkg.dev/<project>/<repositoryId>/`;
 * undefined when a repository's prefix can't be told (a part unset, the provider's default project, or
 * unknown during preview): an image might be in it.
 */
function ownRegistries(resources: PolicyResource[]): string[] | undefined {
    const out: string[] = [];
    for (const r of resources.filter(r => r.type === "gcp:artifactregistry/repository:Repository")) {
        const format = known(() => r.props.format);
        if (isName(format) && format.toUpperCase() !== "DOCKER") continue;
        const [location, project, id] = [known(() => r.props.location), known(() => r.props.project), known(() => r.props.repositoryId)];
        if (!isName(format) || !isName(location) || !isName(project) || !isName(id)) return undefined;
        out.push(`${location}-docker.pkg.dev/${project}/${id}/`);
    }
    return out;
}

export const mcrouterImageOwnRegistry: DocumentedStackPolicy = {
    name: "mcrouter-image-own-registry",
    description:
        "In a stack that declares Docker repositories in Artifact Registry (gcp:artifactregistry/repository:Repository), every container running mcrouter takes its image from one of them (`<location>-docker.pkg.dev/<project>/<repositoryId>/`).",
    enforcementLevel: "advisory",
    severity: "medium",
    why: "A third-party image (the lab's jphalip/mcrouter:0.36.0, built in 2018 on Ubuntu 14.04) gets no security fixes and can disappear from Docker Hub; the project's own build (images/mcrouter, .github/workflows/mcrouter-image.yml) is pinned to an upstream release and proven before it is pushed. Advisory, not blocking: prod runs the lab's image until that build is pushed and switched to. Off in development, which keeps the lab's image for parity.",
    anchor: "GKE hardening: use Artifact Registry and Binary Authorization for trusted images",
    url: "https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster",
    validateStack: (args, report) => {
        const registries = ownRegistries(args.resources);
        // No repository (the local stack: no GCP) is no registry to hold the image to.
        if (!registries || registries.length === 0) return;
        for (const w of workloadsOf(args.resources)) {
            for (const c of containersOf(w.spec, "main")) {
                if (known(() => programOf(c.container)) !== "mcrouter") continue;
                const image = known(() => c.container.image);
                if (!isName(image) || registries.some(prefix => image.startsWith(prefix))) continue;
                report(
                    `${w.ref}: ${c.label} runs mcrouter image ${show(image)} from outside the stack's own registry (${registries.join(", ")}); ` +
                        "build it with the mcrouter-image workflow and set memcached-gke:mcrouter.image to it (docs/delivery.md)",
                    w.resource.urn,
                );
            }
        }
    },
};

// ---- service-account tokens and the RBAC behind them ------------------------------------------------

/** Stands for a value unknown during preview. */
const UNKNOWN = Symbol("unknown during preview");
type Maybe<T> = T | typeof UNKNOWN;

/** What `read` returns, or UNKNOWN when it reads a value unknown during preview (unlike `known`, unset stays undefined). */
function peek<T>(read: () => T): Maybe<T> {
    try {
        return read();
    } catch (e) {
        if (e instanceof UnknownValueError) return UNKNOWN;
        throw e;
    }
}

const RBAC_GROUP = "rbac.authorization.k8s.io";
/** The verbs a Role bound to a token-mounting pod may grant. */
export const TOKEN_ROLE_VERBS = ["get", "list", "watch", "create"];
/** Resources (and subresources) a Role bound to a token-mounting pod may not cover: each reads credentials or runs code in other pods. */
export const TOKEN_ROLE_FORBIDDEN_RESOURCES = ["secrets", "pods/exec", "pods/attach", "pods/portforward", "serviceaccounts/token"];

/** The pod spec of a pod-carrying object ({} when absent), undefined for other types, UNKNOWN when unknown during preview. */
function podSpecOf(r: PolicyResource): Maybe<Props | undefined> {
    if (!isWorkloadType(r.type)) return undefined;
    const kind = parseKubeType(r.type)!.kind;
    return peek(() => (kind === "Pod" ? r.props.spec : kind === "CronJob" ? r.props.spec?.jobTemplate?.spec?.template?.spec : r.props.spec?.template?.spec) ?? {});
}

const nameOf = (r: PolicyResource): Maybe<unknown> => peek(() => r.props.metadata?.name);
const namespaceOfMaybe = (r: PolicyResource): Maybe<string> => peek(() => namespaceOf(r.props));
const shownName = (v: Maybe<unknown>) => (isName(v) ? v : "?");

/**
 * The objects among `candidates` named `name` in namespace `ns`; UNKNOWN when none is but one whose
 * name or namespace is unknown during preview might be.
 */
function named(candidates: PolicyResource[], ns: string, name: string): Maybe<PolicyResource[]> {
    let maybe = false;
    const out: PolicyResource[] = [];
    for (const c of candidates) {
        const [n, cns] = [nameOf(c), namespaceOfMaybe(c)];
        if (n === UNKNOWN || cns === UNKNOWN) maybe = true;
        else if (n === name && cns === ns) out.push(c);
    }
    return out.length === 0 && maybe ? UNKNOWN : out;
}

/**
 * True if a subject of the binding (in namespace `bindingNs`; "" for a ClusterRoleBinding) is the
 * ServiceAccount `ns`/`name`: the account itself, its user name, or a group every service account
 * (of the namespace) or every authenticated identity is in. UNKNOWN when only a subject unknown
 * during preview might be.
 */
function bindsAccount(binding: PolicyResource, bindingNs: string, ns: string, name: string): Maybe<boolean> {
    const subjects = peek(() => binding.props.subjects);
    if (subjects === UNKNOWN) return UNKNOWN;
    if (!Array.isArray(subjects)) return false;
    let maybe = false;
    for (let i = 0; i < subjects.length; i++) {
        const s = peek(() => ({ kind: subjects[i]?.kind, name: subjects[i]?.name, namespace: subjects[i]?.namespace }));
        if (s === UNKNOWN) {
            maybe = true;
            continue;
        }
        const hit =
            (s.kind === "ServiceAccount" && s.name === name && (isName(s.namespace) ? s.namespace : bindingNs) === ns) ||
            (s.kind === "User" && s.name === `system:serviceaccount:${ns}:${name}`) ||
            (s.kind === "Group" && ["system:serviceaccounts", `system:serviceaccounts:${ns}`, "system:authenticated"].includes(s.name));
        if (hit) return true;
    }
    return maybe ? UNKNOWN : false;
}

/** Why each rule of a Role is too broad for a token-mounting pod: "rules[i] <reason>" (values unknown during preview are skipped). */
function broadRules(role: PolicyResource): string[] {
    const rules = peek(() => role.props.rules);
    if (rules === UNKNOWN || !Array.isArray(rules)) return [];
    const out: string[] = [];
    for (let i = 0; i < rules.length; i++) {
        const list = (field: string): string[] => {
            const v = peek(() => rules[i]?.[field]);
            if (v === UNKNOWN || !Array.isArray(v)) return [];
            const items: string[] = [];
            for (let j = 0; j < v.length; j++) {
                const item = peek(() => v[j]);
                if (item !== UNKNOWN && item !== undefined && item !== null) items.push(String(item));
            }
            return items;
        };
        const [apiGroups, resources, verbs] = [list("apiGroups"), list("resources"), list("verbs")];
        const at = `rules[${i}]`;
        for (const [field, items] of [["apiGroups", apiGroups], ["resources", resources], ["verbs", verbs]] as const) {
            for (const item of items.filter(x => x.includes("*"))) out.push(`${at} has the wildcard ${show(item)} in ${field}`);
        }
        for (const g of apiGroups.filter(g => g.toLowerCase() === RBAC_GROUP)) out.push(`${at} covers API group ${show(g)}`);
        for (const r of resources.filter(r => TOKEN_ROLE_FORBIDDEN_RESOURCES.includes(r.toLowerCase()))) out.push(`${at} covers resource ${show(r)}`);
        for (const v of verbs.filter(v => !v.includes("*") && !TOKEN_ROLE_VERBS.includes(v))) {
            out.push(`${at} grants verb ${show(v)} (allowed: ${TOKEN_ROLE_VERBS.join(", ")})`);
        }
    }
    return out;
}

export const noServiceAccountTokenAutomount: DocumentedStackPolicy = {
    name: "k8s-no-service-account-token-automount",
    description:
        "A pod template mounts its service-account token (automountServiceAccountToken true or unset) only when its serviceAccountName names a ServiceAccount the stack declares in its namespace (not default, not unset), " +
        "and every RoleBinding or ClusterRoleBinding of the stack whose subjects include that account is a RoleBinding of its namespace to a Role of the stack there whose every rule is narrow: " +
        'no "*" in apiGroups, resources or verbs; verbs only get, list, watch, create; none of secrets, pods/exec, pods/attach, pods/portforward, serviceaccounts/token; nothing in rbac.authorization.k8s.io. ' +
        "Every other pod template sets automountServiceAccountToken: false.",
    enforcementLevel: "mandatory",
    severity: "high",
    why:
        "A mounted token hands anyone who gets code execution in the pod its Kubernetes API identity. memcached, mcrouter, the app and the smoke test never call the API, so they carry no token; " +
        "the two pods that do (the managed Prometheus admission check, kubectl create --dry-run=server of a PodMonitoring and a Rules object; the shards' roll check, kubectl rollout status of one StatefulSet) each run as an account of their own with a Role that lets them do that and nothing that escalates: " +
        "no reading secrets, exec or port-forward into pods, minting tokens or editing RBAC, and nothing outside its namespace.",
    anchor:
        "CIS Kubernetes 5.1.6 (mount service account tokens only where necessary), 5.1.5 (don't use default service accounts) and 5.1.3 (minimize wildcards in Roles): least-privilege RBAC; Kubernetes RBAC good practices",
    url: "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    validateStack: (args, report) => {
        const rs = args.resources;
        const accounts = ofKind(rs, "core", "ServiceAccount");
        const roles = ofKind(rs, RBAC_GROUP, "Role");
        const bindings = [...ofKind(rs, RBAC_GROUP, "RoleBinding"), ...ofKind(rs, RBAC_GROUP, "ClusterRoleBinding")];
        for (const w of rs) {
            const spec = podSpecOf(w);
            if (spec === undefined || spec === UNKNOWN) continue;
            const automount = peek(() => spec.automountServiceAccountToken);
            if (automount === UNKNOWN || automount === false) continue;
            const ns = namespaceOfMaybe(w);
            const account = peek(() => (isName(spec.serviceAccountName) ? spec.serviceAccountName : spec.serviceAccount));
            if (ns === UNKNOWN || account === UNKNOWN) continue;
            const must = `pod spec must set automountServiceAccountToken: false (got ${show(automount)})`;
            if (!isName(account)) {
                report(must, w.urn);
                continue;
            }
            if (account === "default") {
                report(`${must}: it runs as the namespace's "default" ServiceAccount; a pod that calls the Kubernetes API runs as a ServiceAccount of its own, declared in the stack`, w.urn);
                continue;
            }
            const token = `pod spec mounts the token of ServiceAccount ${ns}/${account} (automountServiceAccountToken ${show(automount)})`;
            const declared = named(accounts, ns, account);
            if (declared !== UNKNOWN && declared.length === 0) {
                report(`${token}, which the stack does not declare; declare the ServiceAccount and its Role in the stack, or set automountServiceAccountToken: false`, w.urn);
                continue;
            }
            const problems = new Set<string>();
            for (const b of bindings) {
                const cluster = parseKubeType(b.type)!.kind === "ClusterRoleBinding";
                const bns = cluster ? "" : namespaceOfMaybe(b);
                if (bns === UNKNOWN || bindsAccount(b, bns, ns, account) !== true) continue;
                const roleKind = peek(() => b.props.roleRef?.kind);
                const roleName = peek(() => b.props.roleRef?.name);
                if (cluster) {
                    const to = roleKind === UNKNOWN ? "" : ` (to ${isName(roleKind) ? roleKind : "?"} ${shownName(roleName)})`;
                    problems.add(`${token}; ClusterRoleBinding ${shownName(nameOf(b))} binds it cluster-wide${to}; only RoleBindings in namespace ${show(ns)} to Roles of the stack may bind it`);
                    continue;
                }
                const bref = `RoleBinding ${bns}/${shownName(nameOf(b))}`;
                if (bns !== ns) {
                    problems.add(`${token}; ${bref} binds it in namespace ${show(bns)}, outside its own namespace ${show(ns)}`);
                    continue;
                }
                if (roleKind === UNKNOWN) continue;
                if (roleKind !== "Role") {
                    problems.add(`${token}; ${bref} binds it to ${isName(roleKind) ? roleKind : "?"} ${shownName(roleName)}; only Roles of the stack in namespace ${show(ns)} may be bound to it`);
                    continue;
                }
                if (roleName === UNKNOWN) continue;
                const role = `Role ${ns}/${shownName(roleName)}`;
                const found = isName(roleName) ? named(roles, ns, roleName) : [];
                if (found === UNKNOWN) continue;
                if (found.length === 0) {
                    problems.add(`${token}; ${bref} binds it to ${role}, which the stack does not declare`);
                    continue;
                }
                for (const why of found.flatMap(broadRules)) problems.add(`${token}; ${bref} binds it to ${role}, whose ${why}`);
            }
            for (const p of problems) report(p, w.urn);
        }
    },
};

export const stackPolicies: DocumentedStackPolicy[] = [
    statefulSetHeadlessService,
    statefulSetHasPdb,
    pdbAllowsDisruption,
    networkPolicyCoversWorkloads,
    networkPolicyAdmitsServiceTraffic,
    serviceSelectsWorkload,
    readinessProbeBehindService,
    cacheServiceInternal,
    mcrouterPoolsMatchStatefulSet,
    mcrouterReachesMemcached,
    noServiceAccountTokenAutomount,
    mcrouterImageOwnRegistry,
];
