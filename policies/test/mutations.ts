// The mutation catalogue: realistic single mistakes a reviewer could let through, each applied to a
// deep copy of a stack's render (resources.json). test/mutation.test.ts runs the whole pack on every
// mutated render and counts a mutation killed when it draws a mandatory violation the unmutated render
// doesn't have.
//
// Mutations find their targets by type, kind, labels and the program a container runs, never by
// array index, and throw "mutation <name>: target not found (...)" when the render no longer has
// what they edit; the test also fails a mutation that leaves the render unchanged. So a change of
// the renders that breaks a mutation fails loudly instead of silently dropping it.

import type { RenderedResource } from "../src/engine";
import { memcachedCacheMiB } from "../src/policies/kubernetes";
import { containersOf, mapSelectorMatches, parseKubeType, podTemplate, programOf, Props, selectorMatches } from "../src/util";

export type Stack = "dev" | "prod";

export interface Mutation {
    name: string;
    /** The stacks it applies to (each stack is a separate case). */
    stacks: Stack[];
    /** The mistake, applied in place to a deep copy of the stack's render. */
    apply: (rs: RenderedResource[]) => void;
    /**
     * Set only for a mistake the pack knowingly lets through: why that is acceptable. The test fails
     * on a survivor without a reason, and on a reason whose mutation is killed after all.
     */
    survives?: string;
}

export class TargetNotFound extends Error {}

const BOTH: Stack[] = ["dev", "prod"];
const PROD: Stack[] = ["prod"];
const DEV: Stack[] = ["dev"];

// ---- finders --------------------------------------------------------------------------------------

function find(rs: RenderedResource[], what: string, pred: (r: RenderedResource) => boolean): RenderedResource {
    const r = rs.find(pred);
    if (!r) throw new TargetNotFound(what);
    return r;
}

const kind = (k: string) => (r: RenderedResource) => parseKubeType(r.type)?.kind === k;

/** The pod-carrying resource one of whose main containers runs `program` (memcached, mcrouter). */
function running(rs: RenderedResource[], program: string, k?: string): RenderedResource {
    return find(rs, `a ${k ?? "workload"} running ${program}`, r => {
        if (k && parseKubeType(r.type)?.kind !== k) return false;
        const pod = podTemplate(r.type, r.inputs);
        return !!pod && containersOf(pod.spec, "main").some(c => programOf(c.container) === program);
    });
}

const memcached = (rs: RenderedResource[]) => running(rs, "memcached", "StatefulSet");
const mcrouter = (rs: RenderedResource[]) => running(rs, "mcrouter");
const sampleApp = (rs: RenderedResource[]) =>
    find(rs, "the sample app Deployment", r => kind("Deployment")(r) && podTemplate(r.type, r.inputs)?.labels["app.kubernetes.io/name"] === "sample-app");
const smokeTest = (rs: RenderedResource[]) =>
    find(rs, "the smoke-test Job", r => kind("Job")(r) && r.inputs.metadata?.labels?.["app.kubernetes.io/name"] === "smoke-test");

function podSpec(r: RenderedResource): Props {
    const spec = podTemplate(r.type, r.inputs)?.spec;
    if (!spec || Object.keys(spec).length === 0) throw new TargetNotFound(`pod spec of ${r.type}::${r.name}`);
    return spec;
}

function podLabels(r: RenderedResource): Record<string, string> {
    return podTemplate(r.type, r.inputs)?.labels ?? {};
}

/** The container of a workload running `program` (or named `program`). */
function container(r: RenderedResource, program: string): Props {
    const c = containersOf(podSpec(r), "main").find(c => programOf(c.container) === program || c.container.name === program);
    if (!c) throw new TargetNotFound(`container ${program} of ${r.type}::${r.name}`);
    return c.container;
}

/** The first container of the workload (the sample app and the smoke test run `sh`). */
function firstContainer(r: RenderedResource): Props {
    const c = containersOf(podSpec(r), "main")[0];
    if (!c) throw new TargetNotFound(`a container of ${r.type}::${r.name}`);
    return c.container;
}

const ns = (r: RenderedResource) => r.inputs.metadata?.namespace ?? "default";

/** The objects of a kind in the workload's namespace whose selector (at `path`) selects its pods. */
function selecting(rs: RenderedResource[], k: string, w: RenderedResource, selectorOf: (o: Props) => any): RenderedResource {
    const labels = podLabels(w);
    return find(rs, `a ${k} selecting the pods of ${w.type}::${w.name}`, r => {
        if (!kind(k)(r) || ns(r) !== ns(w)) return false;
        const sel = selectorOf(r.inputs);
        if (!sel || Object.keys(sel).length === 0) return false;
        return k === "Service" ? mapSelectorMatches(sel, labels) : selectorMatches(sel, labels);
    });
}

const pdbOf = (rs: RenderedResource[], w: RenderedResource) => selecting(rs, "PodDisruptionBudget", w, o => o.spec?.selector);
const netpolOf = (rs: RenderedResource[], w: RenderedResource) =>
    selecting(rs, "NetworkPolicy", w, o => (o.spec?.podSelector && Object.keys(o.spec.podSelector).length > 0 ? o.spec.podSelector : undefined));
const serviceOf = (rs: RenderedResource[], w: RenderedResource) => selecting(rs, "Service", w, o => o.spec?.selector);
const defaultDeny = (rs: RenderedResource[]) =>
    find(rs, "the namespace default-deny NetworkPolicy", r => kind("NetworkPolicy")(r) && Object.keys(r.inputs.spec?.podSelector ?? { x: 1 }).length === 0);
/** The StatefulSet's governing headless Service (the one its spec.serviceName names). */
const headless = (rs: RenderedResource[]) => {
    const sts = find(rs, "the memcached StatefulSet", kind("StatefulSet"));
    return find(rs, "the headless Service", r => kind("Service")(r) && r.inputs.spec?.clusterIP === "None"
        && r.inputs.metadata?.name === sts.inputs.spec?.serviceName);
};
const cacheNamespace = (rs: RenderedResource[]) => find(rs, "the cache Namespace", kind("Namespace"));

const cluster = (rs: RenderedResource[]) => find(rs, "the GKE cluster", r => r.type === "gcp:container/cluster:Cluster").inputs;
const nodePool = (rs: RenderedResource[]) => find(rs, "the GKE node pool", r => r.type === "gcp:container/nodePool:NodePool").inputs;
const nodeConfig = (rs: RenderedResource[]) => {
    const nc = nodePool(rs).nodeConfig;
    if (!nc) throw new TargetNotFound("the node pool's nodeConfig");
    return nc;
};
const nodeRoleMember = (rs: RenderedResource[]) =>
    find(rs, "the node service account's project IAMMember", r => r.type === "gcp:projects/iAMMember:IAMMember" && String(r.inputs.member).startsWith("serviceAccount:")).inputs;

/**
 * The Role bound to the account of the pod that mounts its service-account token (the managed
 * Prometheus admission check): pod -> serviceAccountName -> a RoleBinding with that subject -> its Role.
 */
function tokenRole(rs: RenderedResource[]): RenderedResource {
    const pod = find(rs, "a pod template with automountServiceAccountToken: true", r => podTemplate(r.type, r.inputs)?.spec.automountServiceAccountToken === true);
    const account = podSpec(pod).serviceAccountName;
    const binding = find(
        rs,
        `a RoleBinding of ServiceAccount ${account}`,
        r => kind("RoleBinding")(r) && ns(r) === ns(pod) && (r.inputs.subjects ?? []).some((s: Props) => s?.kind === "ServiceAccount" && s.name === account),
    );
    const name = binding.inputs.roleRef?.name;
    return find(rs, `Role ${name}`, r => kind("Role")(r) && ns(r) === ns(pod) && r.inputs.metadata?.name === name);
}

/** A field that must exist before it is changed, so a renamed field fails instead of being added. */
function existing(o: Props | undefined, key: string, what: string): Props {
    if (!o || !(key in o)) throw new TargetNotFound(what);
    return o;
}

// ---- the mcrouter config ------------------------------------------------------------------------

function mcrouterConfigMap(rs: RenderedResource[]): RenderedResource {
    return find(rs, "the mcrouter ConfigMap (config.json with pools)", r => kind("ConfigMap")(r) && /"pools"/.test(String(r.inputs.data?.["config.json"] ?? "")));
}

/** Edits the parsed config.json of the mcrouter ConfigMap and writes it back. */
function editConfig(rs: RenderedResource[], edit: (config: Props) => void): void {
    const cm = mcrouterConfigMap(rs);
    const config = JSON.parse(cm.inputs.data["config.json"]);
    edit(config);
    cm.inputs.data["config.json"] = JSON.stringify(config, null, 2) + "\n";
}

/** The servers of the first pool with at least `n` of them. */
function poolServers(config: Props, n: number): string[] {
    const pool = Object.values(config.pools ?? {}).find((p: any) => Array.isArray(p?.servers) && p.servers.length >= n) as Props | undefined;
    if (!pool) throw new TargetNotFound(`a pool with ${n} servers`);
    return pool.servers;
}

// ---- the catalogue --------------------------------------------------------------------------------

const m = (name: string, stacks: Stack[], apply: (rs: RenderedResource[]) => void, survives?: string): Mutation => ({ name, stacks, apply, ...(survives ? { survives } : {}) });

/** The first ingress rule of a NetworkPolicy with a `from` list; the peer that selects `labels` in it is what callers edit. */
function ingressRuleWith(np: RenderedResource, pred: (peer: Props) => boolean): { rule: Props; peer: number } {
    for (const rule of np.inputs.spec?.ingress ?? []) {
        const i = (rule?.from ?? []).findIndex(pred);
        if (i >= 0) return { rule, peer: i };
    }
    throw new TargetNotFound(`an ingress peer of ${np.type}::${np.name}`);
}

/** True if a NetworkPolicy peer's podSelector selects the workload's pods (same namespace, no namespaceSelector). */
const peerSelects = (w: RenderedResource) => (peer: Props) => !peer?.namespaceSelector && !!peer?.podSelector && Object.keys(peer.podSelector).length > 0 && selectorMatches(peer.podSelector, podLabels(w));

export const MUTATIONS: Mutation[] = [
    // IAM
    m("node service account granted roles/editor", BOTH, rs => (existing(nodeRoleMember(rs), "role", "role").role = "roles/editor")),
    m("a project IAMBinding grants roles/owner to a user", BOTH, rs => {
        const project = nodeRoleMember(rs).project;
        rs.push({ type: "gcp:projects/iAMBinding:IAMBinding", name: "ops-owner", parent: null, inputs: { project, role: "roles/owner", members: ["user:ops@example.com"] } });
    }),

    // Production-only: the control plane, private nodes, deletion protection, the namespace, host ports
    m("control plane authorized networks opened to 0.0.0.0/0", PROD, rs => {
        existing(cluster(rs).masterAuthorizedNetworksConfig, "cidrBlocks", "masterAuthorizedNetworksConfig.cidrBlocks").cidrBlocks.push({ cidrBlock: "0.0.0.0/0", displayName: "anywhere" });
    }),
    m("masterAuthorizedNetworksConfig removed (public control plane)", PROD, rs => delete existing(cluster(rs), "masterAuthorizedNetworksConfig", "masterAuthorizedNetworksConfig").masterAuthorizedNetworksConfig),
    m("authorized networks emptied", PROD, rs => (existing(cluster(rs).masterAuthorizedNetworksConfig, "cidrBlocks", "cidrBlocks").cidrBlocks = [])),
    m("authorized networks admit every Google Cloud IP (gcpPublicCidrsAccessEnabled)", PROD, rs => {
        existing(cluster(rs), "masterAuthorizedNetworksConfig", "masterAuthorizedNetworksConfig").masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled = true;
    }),
    m("private nodes turned off", PROD, rs => (existing(cluster(rs).privateClusterConfig, "enablePrivateNodes", "privateClusterConfig.enablePrivateNodes").enablePrivateNodes = false)),
    m("deletionProtection false", PROD, rs => (existing(cluster(rs), "deletionProtection", "deletionProtection").deletionProtection = false)),
    m("cache namespace enforces baseline", PROD, rs => (existing(cacheNamespace(rs).inputs.metadata?.labels, "pod-security.kubernetes.io/enforce", "enforce label")["pod-security.kubernetes.io/enforce"] = "baseline")),
    m("cache namespace enforces privileged", PROD, rs => (existing(cacheNamespace(rs).inputs.metadata?.labels, "pod-security.kubernetes.io/enforce", "enforce label")["pod-security.kubernetes.io/enforce"] = "privileged")),
    m("cache namespace loses its enforce label (warn/audit only)", PROD, rs => delete existing(cacheNamespace(rs).inputs.metadata?.labels, "pod-security.kubernetes.io/enforce", "enforce label")["pod-security.kubernetes.io/enforce"]),
    m("mcrouter on hostPort 5000 (the dev setting) in prod", PROD, rs => {
        const port = (container(mcrouter(rs), "mcrouter").ports ?? []).find((p: Props) => p?.name === "mcrouter");
        if (!port) throw new TargetNotFound("mcrouter's port");
        port.hostPort = 5000;
    }),
    m("mcrouter hostPort changed to 6000", DEV, rs => {
        const port = (container(mcrouter(rs), "mcrouter").ports ?? []).find((p: Props) => p?.hostPort === 5000);
        if (!port) throw new TargetNotFound("mcrouter's hostPort 5000");
        port.hostPort = 6000;
    }),

    // GKE hardening
    m("legacy ABAC enabled", BOTH, rs => (existing(cluster(rs), "enableLegacyAbac", "enableLegacyAbac").enableLegacyAbac = true)),
    m("client certificate issued", BOTH, rs => {
        existing(cluster(rs).masterAuth?.clientCertificateConfig, "issueClientCertificate", "issueClientCertificate").issueClientCertificate = true;
    }),
    m("shielded nodes off on the cluster", BOTH, rs => (existing(cluster(rs), "enableShieldedNodes", "enableShieldedNodes").enableShieldedNodes = false)),
    m("secure boot off on the node pool", BOTH, rs => (existing(nodeConfig(rs).shieldedInstanceConfig, "enableSecureBoot", "enableSecureBoot").enableSecureBoot = false)),
    m("workload identity pool removed from the cluster", BOTH, rs => delete existing(cluster(rs), "workloadIdentityConfig", "workloadIdentityConfig").workloadIdentityConfig),
    m("node pool exposes the node metadata server (GCE_METADATA)", BOTH, rs => (existing(nodeConfig(rs).workloadMetadataConfig, "mode", "workloadMetadataConfig.mode").mode = "GCE_METADATA")),
    m("release channel UNSPECIFIED", BOTH, rs => (existing(cluster(rs).releaseChannel, "channel", "releaseChannel.channel").channel = "UNSPECIFIED")),
    m("node auto-repair off", BOTH, rs => (existing(nodePool(rs).management, "autoRepair", "management.autoRepair").autoRepair = false)),
    m("node auto-upgrade off", BOTH, rs => (existing(nodePool(rs).management, "autoUpgrade", "management.autoUpgrade").autoUpgrade = false)),
    m("node image UBUNTU_CONTAINERD", BOTH, rs => (existing(nodeConfig(rs), "imageType", "nodeConfig.imageType").imageType = "UBUNTU_CONTAINERD")),
    m("nodes run as the Compute Engine default service account", BOTH, rs => (existing(nodeConfig(rs), "serviceAccount", "nodeConfig.serviceAccount").serviceAccount = "default")),
    m("legacy metadata endpoints on (disable-legacy-endpoints false)", BOTH, rs => {
        existing(nodeConfig(rs).metadata, "disable-legacy-endpoints", "disable-legacy-endpoints")["disable-legacy-endpoints"] = "false";
    }),
    m("node pool metadata dropped (legacy endpoints no longer pinned off)", BOTH, rs => delete existing(nodeConfig(rs), "metadata", "nodeConfig.metadata").metadata),
    m("Dataplane V2 off, no NetworkPolicy enforcement", BOTH, rs => (existing(cluster(rs), "datapathProvider", "datapathProvider").datapathProvider = "LEGACY_DATAPATH")),

    // Service account tokens
    m("memcached pods automount the service account token (field removed)", BOTH, rs => delete existing(podSpec(memcached(rs)), "automountServiceAccountToken", "automount").automountServiceAccountToken),
    m("mcrouter pods automount the service account token (true)", BOTH, rs => (existing(podSpec(mcrouter(rs)), "automountServiceAccountToken", "automount").automountServiceAccountToken = true)),
    m("sample app pods automount the service account token (field removed)", BOTH, rs => delete existing(podSpec(sampleApp(rs)), "automountServiceAccountToken", "automount").automountServiceAccountToken),
    m("smoke-test pod automounts the service account token (true)", BOTH, rs => (existing(podSpec(smokeTest(rs)), "automountServiceAccountToken", "automount").automountServiceAccountToken = true)),
    m("the admission check's Role widened to every verb (verbs [\"*\"])", BOTH, rs => {
        const rules: Props[] = tokenRole(rs).inputs.rules ?? [];
        if (rules.length === 0) throw new TargetNotFound("a rule of the admission check's Role");
        for (const rule of rules) existing(rule, "verbs", "a rule's verbs").verbs = ["*"];
    }),

    // NetworkPolicies
    m("memcached NetworkPolicy: an ingress rule without from (admits all)", BOTH, rs => {
        const rule = (netpolOf(rs, memcached(rs)).inputs.spec.ingress ?? []).find((r: Props) => Array.isArray(r?.from));
        if (!rule) throw new TargetNotFound("an ingress rule with from");
        delete rule.from;
    }),
    m("mcrouter NetworkPolicy admits namespaceSelector {} (every namespace)", BOTH, rs => {
        const rule = (netpolOf(rs, mcrouter(rs)).inputs.spec.ingress ?? []).find((r: Props) => Array.isArray(r?.from));
        if (!rule) throw new TargetNotFound("an ingress rule with from");
        rule.from.push({ namespaceSelector: {} });
    }),
    m("memcached NetworkPolicy admits ipBlock 0.0.0.0/0", BOTH, rs => {
        const rule = (netpolOf(rs, memcached(rs)).inputs.spec.ingress ?? []).find((r: Props) => Array.isArray(r?.from));
        if (!rule) throw new TargetNotFound("an ingress rule with from");
        rule.from.push({ ipBlock: { cidr: "0.0.0.0/0" } });
    }),
    m("mcrouter NetworkPolicy: an egress rule without to (anywhere)", BOTH, rs => {
        const rule = (netpolOf(rs, mcrouter(rs)).inputs.spec.egress ?? []).find((r: Props) => Array.isArray(r?.to));
        if (!rule) throw new TargetNotFound("an egress rule with to");
        delete rule.to;
    }),
    m("memcached NetworkPolicy admits every pod of the namespace (podSelector {})", BOTH, rs => {
        const rule = (netpolOf(rs, memcached(rs)).inputs.spec.ingress ?? []).find((r: Props) => Array.isArray(r?.from));
        if (!rule) throw new TargetNotFound("an ingress rule with from");
        rule.from = [{ podSelector: {} }];
    }),
    m("memcached NetworkPolicy drops the mcrouter peer", BOTH, rs => {
        const { rule, peer } = ingressRuleWith(netpolOf(rs, memcached(rs)), peerSelects(mcrouter(rs)));
        rule.from.splice(peer, 1);
    }),
    m("mcrouter egress to memcached on the wrong port", BOTH, rs => {
        const w = memcached(rs);
        const rule = (netpolOf(rs, mcrouter(rs)).inputs.spec.egress ?? []).find((r: Props) => (r?.to ?? []).some(peerSelects(w)));
        const port = (rule?.ports ?? [])[0];
        if (!port) throw new TargetNotFound("mcrouter's egress port to memcached");
        port.port = typeof port.port === "number" ? port.port + 1 : "memcached";
    }),
    m("mcrouter NetworkPolicy loses its DNS egress rule", BOTH, rs => {
        const egress: Props[] = netpolOf(rs, mcrouter(rs)).inputs.spec.egress ?? [];
        const i = egress.findIndex(r => (r?.ports ?? []).some((p: Props) => p?.port === 53));
        if (i < 0) throw new TargetNotFound("mcrouter's DNS egress rule");
        egress.splice(i, 1);
    }),
    m(
        "memcached NetworkPolicy drops the direct-client peer (the smoke test's path to the shards)",
        BOTH,
        rs => {
            const { rule, peer } = ingressRuleWith(netpolOf(rs, memcached(rs)), peerSelects(smokeTest(rs)));
            if (peerSelects(mcrouter(rs))(rule.from[peer])) throw new TargetNotFound("a direct-client peer that is not mcrouter's");
            rule.from.splice(peer, 1);
        },
        "Only the smoke test reads the shards directly, and it fails `pulumi up` the moment that path is gone (\"get ... from shard ...: no reply\"); the pack checks the serving path mcrouter -> memcached, not every client's.",
    ),
    m(
        "sample app's MCROUTER_PORT names the wrong port",
        BOTH,
        rs => {
            const env = (firstContainer(sampleApp(rs)).env ?? []).find((e: Props) => e?.name === "MCROUTER_PORT" && typeof e.value === "string");
            if (!env) throw new TargetNotFound("the sample app's MCROUTER_PORT");
            env.value = String(Number(env.value) + 1);
        },
        "Client configuration, not infrastructure: nothing in the render ties an environment variable to mcrouter's port. The Java tests pin the value (SampleAppTest; SmokeTestTest for the smoke test's own copy), and the sample app is a sleep loop that never connects.",
    ),
    m("namespace default-deny NetworkPolicy removed", PROD, rs => rs.splice(rs.indexOf(defaultDeny(rs)), 1)),
    m("namespace default-deny NetworkPolicy removed in development", DEV, rs => rs.splice(rs.indexOf(defaultDeny(rs)), 1),
        "NetworkPolicy coverage is a production guard (shared/guards.json: networkPolicy.enabled): development may run "
        + "without NetworkPolicies, as the program allows there, so k8s-networkpolicy-covers-workloads only advises"),
    m("memcached NetworkPolicy removed (default deny only: mcrouter can't connect)", BOTH, rs => rs.splice(rs.indexOf(netpolOf(rs, memcached(rs))), 1)),

    // mcrouter's pools
    m("mcrouter pool lists a host in the other stack's namespace", BOTH, rs =>
        editConfig(rs, c => {
            const servers = poolServers(c, 2);
            const [host, rest] = [servers[1].split(".svc.")[0], servers[1].split(".svc.")[1]];
            const parts = host.split(".");
            parts[2] = parts[2] === "default" ? "memcached" : "default";
            servers[1] = `${parts.join(".")}.svc.${rest}`;
        }),
    ),
    m("mcrouter pools miss the last pod", BOTH, rs =>
        editConfig(rs, c => {
            // Every pool drops the highest-ordinal server, so a second pool during a resize can't still list it.
            const ordinal = (h: string) => Number(/-(\d+)\./.exec(h)?.[1] ?? -1);
            const last = Object.values(c.pools ?? {}).flatMap((p: any) => p?.servers ?? []).sort((a: string, b: string) => ordinal(b) - ordinal(a))[0];
            if (!last) throw new TargetNotFound("a pool server");
            for (const p of Object.values(c.pools) as Props[]) p.servers = p.servers.filter((h: string) => h !== last);
        }),
    ),
    m("mcrouter pool lists a pod twice", BOTH, rs => editConfig(rs, c => poolServers(c, 2).push(poolServers(c, 2)[0]))),
    m("mcrouter pool out of ordinal order", BOTH, rs =>
        editConfig(rs, c => {
            const s = poolServers(c, 2);
            [s[0], s[1]] = [s[1], s[0]];
        }),
    ),
    m("memcached scaled up, mcrouter config not", BOTH, rs => (existing(memcached(rs).inputs.spec, "replicas", "spec.replicas").replicas += 1)),
    m("memcached scaled down, mcrouter config not", BOTH, rs => (existing(memcached(rs).inputs.spec, "replicas", "spec.replicas").replicas -= 1)),
    m("mcrouter route to a pool the config doesn't define", BOTH, rs =>
        editConfig(rs, c => {
            existing(c, "route", "route");
            c.route = "PoolRoute|B";
        }),
    ),
    m("mcrouter config gains a pool no route uses", BOTH, rs => editConfig(rs, c => (c.pools.spare = { servers: [...poolServers(c, 1)] }))),

    // PodDisruptionBudgets
    m("memcached replicas 1 with PDB minAvailable 1", BOTH, rs => {
        const sts = memcached(rs);
        existing(sts.inputs.spec, "replicas", "spec.replicas").replicas = 1;
        const pdb = pdbOf(rs, sts).inputs.spec;
        delete pdb.maxUnavailable;
        pdb.minAvailable = 1;
    }),
    m("memcached PDB maxUnavailable 0", BOTH, rs => (existing(pdbOf(rs, memcached(rs)).inputs.spec, "maxUnavailable", "maxUnavailable").maxUnavailable = 0)),
    m("memcached PDB minAvailable equal to the replicas", BOTH, rs => {
        const sts = memcached(rs);
        const pdb = pdbOf(rs, sts).inputs.spec;
        delete pdb.maxUnavailable;
        pdb.minAvailable = sts.inputs.spec.replicas;
    }),
    m("a second PDB over the memcached pods", BOTH, rs => {
        const pdb = pdbOf(rs, memcached(rs));
        const copy = structuredClone(pdb);
        copy.name = `${pdb.name}-extra`;
        copy.inputs.metadata.name = `${pdb.inputs.metadata.name}-extra`;
        rs.push(copy);
    }),
    m("memcached PDB maxUnavailable 2 (two shards at once)", BOTH, rs => (existing(pdbOf(rs, memcached(rs)).inputs.spec, "maxUnavailable", "maxUnavailable").maxUnavailable = 2)),
    m("memcached PDB selector typo (protects nothing)", BOTH, rs => {
        const sel = pdbOf(rs, memcached(rs)).inputs.spec.selector;
        sel.matchLabels = { ...sel.matchLabels, app: "mycache-memcache" };
    }),

    // Pod security
    m("memcached container privileged", BOTH, rs => (existing(container(memcached(rs), "memcached").securityContext, "privileged", "privileged").privileged = true)),
    m("mcrouter allowPrivilegeEscalation true", BOTH, rs => {
        existing(container(mcrouter(rs), "mcrouter").securityContext, "allowPrivilegeEscalation", "allowPrivilegeEscalation").allowPrivilegeEscalation = true;
    }),
    m("sample app runAsNonRoot false", BOTH, rs => (existing(firstContainer(sampleApp(rs)).securityContext, "runAsNonRoot", "runAsNonRoot").runAsNonRoot = false)),
    m("memcached runAsNonRoot removed (pod and container)", BOTH, rs => {
        const sts = memcached(rs);
        delete existing(podSpec(sts).securityContext, "runAsNonRoot", "pod runAsNonRoot").runAsNonRoot;
        for (const c of containersOf(podSpec(sts), "all")) delete c.container.securityContext?.runAsNonRoot;
    }),
    m("smoke test runs as UID 0", BOTH, rs => (existing(podSpec(smokeTest(rs)).securityContext, "runAsUser", "runAsUser").runAsUser = 0)),
    m("smoke test readOnlyRootFilesystem false", BOTH, rs => {
        existing(firstContainer(smokeTest(rs)).securityContext, "readOnlyRootFilesystem", "readOnlyRootFilesystem").readOnlyRootFilesystem = false;
    }),
    m("mcrouter adds capability NET_ADMIN", BOTH, rs => (existing(container(mcrouter(rs), "mcrouter").securityContext, "capabilities", "capabilities").capabilities.add = ["NET_ADMIN"])),
    m("memcached no longer drops ALL capabilities", BOTH, rs => delete existing(container(memcached(rs), "memcached").securityContext?.capabilities, "drop", "drop").drop),
    m("memcached seccomp profile removed", BOTH, rs => delete existing(podSpec(memcached(rs)).securityContext, "seccompProfile", "seccompProfile").seccompProfile),
    m("mcrouter hostNetwork true", BOTH, rs => (podSpec(mcrouter(rs)).hostNetwork = true)),
    m("mcrouter mounts a hostPath volume", BOTH, rs => {
        const spec = podSpec(mcrouter(rs));
        existing(spec, "volumes", "volumes").volumes.push({ name: "host-run", hostPath: { path: "/var/run" } });
        container(mcrouter(rs), "mcrouter").volumeMounts.push({ name: "host-run", mountPath: "/host/run" });
    }),

    // Images, resources, probes
    m("memcached image :latest", BOTH, rs => {
        const c = container(memcached(rs), "memcached");
        c.image = String(existing(c, "image", "image").image).replace(/:[^:/@]+$/, ":latest");
    }),
    m("sample app image untagged", BOTH, rs => {
        const c = firstContainer(sampleApp(rs));
        c.image = String(existing(c, "image", "image").image).replace(/:[^:/@]+$/, "");
    }),
    m("mcrouter resource limits removed", BOTH, rs => delete existing(container(mcrouter(rs), "mcrouter").resources, "limits", "limits").limits),
    m("memcached memory limit equal to its -m", BOTH, rs => {
        const c = container(memcached(rs), "memcached");
        const { mib } = memcachedCacheMiB([...(c.command ?? []).slice(1), ...(c.args ?? [])].map(String));
        existing(c.resources?.limits, "memory", "limits.memory").memory = `${mib}Mi`;
    }),
    m("memcached -m given with a unit", BOTH, rs => {
        const args: string[] = container(memcached(rs), "memcached").args ?? [];
        const i = args.indexOf("-m");
        if (i < 0) throw new TargetNotFound("memcached -m");
        args[i + 1] = `${args[i + 1]}m`;
    }),
    // Mutual TLS (k8s-memcached-mutual-tls, production): each way a shard would answer a client the cache's CA did
    // not sign, or in plain text.
    m("memcached without -Z (TLS off)", PROD, rs => {
        const args: string[] = container(memcached(rs), "memcached").args ?? [];
        const i = args.indexOf("-Z");
        if (i < 0) throw new TargetNotFound("memcached -Z");
        args.splice(i, 1);
    }),
    m("memcached ssl_verify_mode=0 (no client certificate required)", PROD, rs => {
        const args: string[] = container(memcached(rs), "memcached").args ?? [];
        const i = args.findIndex(a => String(a).includes("ssl_verify_mode=2"));
        if (i < 0) throw new TargetNotFound("memcached ssl_verify_mode=2");
        args[i] = String(args[i]).replace("ssl_verify_mode=2", "ssl_verify_mode=0");
    }),
    m("memcached without ssl_ca_cert (no CA to check clients against)", PROD, rs => {
        const args: string[] = container(memcached(rs), "memcached").args ?? [];
        const i = args.findIndex(a => String(a).includes("ssl_ca_cert="));
        if (i < 0) throw new TargetNotFound("memcached ssl_ca_cert");
        args[i] = String(args[i]).split(",").filter(o => !o.startsWith("ssl_ca_cert=")).join(",");
    }),
    m("memcached with a notls: listener beside the TLS one", PROD, rs => {
        const args: string[] = container(memcached(rs), "memcached").args ?? [];
        args.push("-l", "notls:0.0.0.0:11212");
    }),
    m("memcached readiness probe on an undeclared port name", BOTH, rs => {
        const probe = existing(container(memcached(rs), "memcached"), "readinessProbe", "readinessProbe").readinessProbe;
        existing(probe.tcpSocket, "port", "tcpSocket.port").port = "memcached";
    }),
    m("memcached readinessProbe removed", BOTH, rs => delete existing(container(memcached(rs), "memcached"), "readinessProbe", "readinessProbe").readinessProbe),

    // Services, selectors, spreading
    m("StatefulSet serviceName points at a Service that doesn't exist", BOTH, rs => (existing(memcached(rs).inputs.spec, "serviceName", "serviceName").serviceName += "-headless")),
    m("headless Service given a cluster IP", BOTH, rs => delete headless(rs).inputs.spec.clusterIP),
    m("a LoadBalancer Service in front of memcached", BOTH, rs => {
        const svc = structuredClone(serviceOf(rs, memcached(rs)));
        svc.name = `${svc.name}-lb`;
        svc.inputs.metadata.name = `${svc.inputs.metadata.name}-lb`;
        delete svc.inputs.spec.clusterIP;
        svc.inputs.spec.type = "LoadBalancer";
        rs.push(svc);
    }),
    m("mcrouter Service type NodePort", BOTH, rs => (serviceOf(rs, mcrouter(rs)).inputs.spec.type = "NodePort")),
    m("mcrouter Service selector typo", BOTH, rs => {
        const svc = serviceOf(rs, mcrouter(rs)).inputs.spec;
        svc.selector = { ...svc.selector, app: "mcrouter" };
    }),
    m("sample app selector doesn't match its template", BOTH, rs => {
        const sel = existing(sampleApp(rs).inputs.spec?.selector, "matchLabels", "selector.matchLabels");
        sel.matchLabels = { ...sel.matchLabels, app: "sample-app" };
    }),
    m("memcached spread across nodes removed (spread constraint and anti-affinity)", BOTH, rs => {
        const spec = podSpec(memcached(rs));
        existing(spec, "topologySpreadConstraints", "topologySpreadConstraints");
        delete spec.topologySpreadConstraints;
        delete spec.affinity?.podAntiAffinity;
    }),
];
