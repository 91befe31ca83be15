// Helpers shared by the policies: type tokens, pod templates, label selectors, quantities, images.
// Everything here reads plain property bags (the inputs the engine hands a policy); nothing here
// imports a provider SDK.

export type Props = Record<string, any>;

/** A `kubernetes:<group>/<version>:<Kind>` type token, split. Core objects use the group "core". */
export interface KubeType {
    group: string;
    version: string;
    kind: string;
}

export function parseKubeType(type: string): KubeType | undefined {
    const m = /^kubernetes:([^/:]+)\/([^/:]+):([A-Za-z0-9]+)$/.exec(type);
    return m ? { group: m[1], version: m[2], kind: m[3] } : undefined;
}

// Built-in API groups whose kinds carry a pod template. A CRD that happens to be called "Deployment"
// in some other group is not a workload to these policies.
const WORKLOAD_GROUPS = new Set(["core", "apps", "batch", "extensions"]);
const TEMPLATE_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"]);
/** Long-running controllers: they keep pods up, so probes, spreading and Services apply to them. */
export const CONTROLLER_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"]);

export interface PodTemplate {
    /** The pod's labels (template metadata labels, or the Pod's own). */
    labels: Record<string, string>;
    spec: Props;
}

/** The pod template of a workload type, or undefined when the type carries no pods. */
export function podTemplate(type: string, props: Props): PodTemplate | undefined {
    const t = parseKubeType(type);
    if (!t || !WORKLOAD_GROUPS.has(t.group)) {
        return undefined;
    }
    let meta: Props | undefined;
    let spec: Props | undefined;
    if (t.kind === "Pod") {
        meta = props.metadata;
        spec = props.spec;
    } else if (TEMPLATE_KINDS.has(t.kind)) {
        meta = props.spec?.template?.metadata;
        spec = props.spec?.template?.spec;
    } else if (t.kind === "CronJob") {
        meta = props.spec?.jobTemplate?.spec?.template?.metadata;
        spec = props.spec?.jobTemplate?.spec?.template?.spec;
    } else {
        return undefined;
    }
    return { labels: { ...(meta?.labels ?? {}) }, spec: spec ?? {} };
}

export function isWorkloadType(type: string): boolean {
    const t = parseKubeType(type);
    return !!t && WORKLOAD_GROUPS.has(t.group) && (t.kind === "Pod" || t.kind === "CronJob" || TEMPLATE_KINDS.has(t.kind));
}

export type ContainerKind = "container" | "init container" | "ephemeral container";

export interface ContainerRef {
    kind: ContainerKind;
    container: Props;
    /** `container "memcached"`, used as the subject of every message about a container. */
    label: string;
}

/**
 * The containers of a pod spec. `which` selects the lists: "all" (security checks: PSS covers
 * ephemeral containers too), "running" (containers plus init containers).
 */
export function containersOf(spec: Props, which: "all" | "running" | "main" = "all"): ContainerRef[] {
    const out: ContainerRef[] = [];
    const add = (list: unknown, kind: ContainerKind) => {
        if (Array.isArray(list)) {
            for (const c of list) {
                out.push({ kind, container: c ?? {}, label: `${kind} ${JSON.stringify(c?.name ?? "")}` });
            }
        }
    };
    add(spec.initContainers, "init container");
    add(spec.containers, "container");
    if (which === "all") {
        add(spec.ephemeralContainers, "ephemeral container");
    }
    if (which === "main") {
        return out.filter(c => c.kind === "container");
    }
    return out;
}

/** "Kind namespace/name" of a Kubernetes object, for messages of stack policies. */
export function objectRef(type: string, props: Props): string {
    const kind = parseKubeType(type)?.kind ?? type;
    return `${kind} ${namespaceOf(props)}/${props.metadata?.name ?? "?"}`;
}

/** The namespace of a namespaced object; an unset namespace is the provider's default, "default". */
export function namespaceOf(props: Props): string {
    const ns = props.metadata?.namespace;
    return typeof ns === "string" && ns !== "" ? ns : "default";
}

// ---- label selectors ----------------------------------------------------------------------------

export interface LabelSelector {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** metav1.LabelSelector semantics: an empty selector ({}) matches everything. */
export function selectorMatches(selector: LabelSelector | undefined | null, labels: Record<string, string>): boolean {
    if (!selector) {
        return false;
    }
    for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
        if (labels[k] !== v) {
            return false;
        }
    }
    for (const e of selector.matchExpressions ?? []) {
        const has = Object.prototype.hasOwnProperty.call(labels, e.key);
        const values = e.values ?? [];
        switch (e.operator) {
            case "In":
                if (!has || !values.includes(labels[e.key])) return false;
                break;
            case "NotIn":
                if (has && values.includes(labels[e.key])) return false;
                break;
            case "Exists":
                if (!has) return false;
                break;
            case "DoesNotExist":
                if (has) return false;
                break;
            default:
                return false;
        }
    }
    return true;
}

export function isEmptySelector(selector: LabelSelector): boolean {
    return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** Service / ReplicationController selectors: a plain map, every pair must match. */
export function mapSelectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

// ---- quantities ---------------------------------------------------------------------------------

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** A Kubernetes resource quantity ("112Mi", "1.5Gi", "500M", "1e9", 134217728) in base units; undefined if malformed. */
export function parseQuantity(q: unknown): number | undefined {
    if (typeof q === "number") {
        return Number.isFinite(q) ? q : undefined;
    }
    if (typeof q !== "string") {
        return undefined;
    }
    const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E)?)$/.exec(q.trim());
    if (!m) {
        return undefined;
    }
    const n = Number(m[1]);
    if (m[2]) return n * BINARY[m[2]];
    if (m[3]) return n * 10 ** Number(m[3].slice(1));
    return n * DECIMAL[m[4] ?? ""];
}

export const MiB = 2 ** 20;

// ---- images -------------------------------------------------------------------------------------

export interface ImageRef {
    /** Repository path without registry host, tag or digest, e.g. "library/memcached" or "memcached". */
    repository: string;
    tag?: string;
    digest?: string;
}

export function parseImage(image: string): ImageRef {
    let rest = image.trim();
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
    }
    let tag: string | undefined;
    const slash = rest.lastIndexOf("/");
    const colon = rest.lastIndexOf(":");
    if (colon > slash) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
    }
    // Drop a registry host ("gcr.io/", "localhost:5000/", "registry.example.com/").
    const parts = rest.split("/");
    if (parts.length > 1 && (parts[0].includes(".") || parts[0].includes(":") || parts[0] === "localhost")) {
        parts.shift();
    }
    return { repository: parts.join("/"), tag, digest };
}

/** The last path segment of an image repository or a command: "memcached" for "docker.io/library/memcached:1.6". */
export function baseName(pathLike: string): string {
    const segs = pathLike.split("/");
    return segs[segs.length - 1];
}

/** The program a container runs: basename of command[0], else of the image repository. */
export function programOf(container: Props): string {
    const cmd = Array.isArray(container.command) ? container.command : [];
    if (cmd.length > 0 && typeof cmd[0] === "string" && cmd[0] !== "") {
        return baseName(cmd[0]);
    }
    return typeof container.image === "string" ? baseName(parseImage(container.image).repository) : "";
}

// ---- formatting ---------------------------------------------------------------------------------

/** A value as it appears in messages: strings quoted, unset as "unset". */
export function show(v: unknown): string {
    return v === undefined || v === null ? "unset" : JSON.stringify(v);
}

/** Labels or a selector in messages, keys sorted so messages are stable. */
export function showLabels(obj: unknown): string {
    return JSON.stringify(sortKeys(obj ?? {}));
}

function sortKeys(v: any): any {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === "object") {
        return Object.fromEntries(Object.keys(v).sort().map(k => [k, sortKeys(v[k])]));
    }
    return v;
}
