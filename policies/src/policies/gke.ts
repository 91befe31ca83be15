// Resource policies on GKE: gcp:container/cluster:Cluster and gcp:container/nodePool:NodePool,
// matched on their type tokens and read with the provider's camelCase input names.

import { OPEN_CIDR_PREFIX_LENGTH, REGION } from "../shared";
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import type { DocumentedResourcePolicy } from "../meta";
import { Props, show } from "../util";

export const CLUSTER = "gcp:container/cluster:Cluster";
export const NODE_POOL = "gcp:container/nodePool:NodePool";

const CIS = "https://github.com/google/gke-policy-automation/tree/main/gke-policies-v2/policy/";

function isAutopilot(props: Props): boolean {
    return props.enableAutopilot === true;
}

/** A node configuration and where it sits, for messages ("nodeConfig", "nodePools[0].nodeConfig"). */
interface NodeConfigRef {
    path: string;
    nodeConfig: Props;
    management?: Props;
    managementPath: string;
}

/**
 * Every node configuration a resource declares: a NodePool's nodeConfig (always, even when unset:
 * GKE then applies its defaults), a Cluster's nodeConfig (its default pool) when set, and the
 * nodeConfig of each inline nodePools entry. Autopilot clusters manage nodes themselves: none.
 */
function nodeConfigs(args: ResourceValidationArgs): NodeConfigRef[] {
    const p = args.props;
    if (args.type === NODE_POOL) {
        return [{ path: "nodeConfig", nodeConfig: p.nodeConfig ?? {}, management: p.management, managementPath: "management" }];
    }
    if (args.type !== CLUSTER || isAutopilot(p)) {
        return [];
    }
    const out: NodeConfigRef[] = [];
    if (p.nodeConfig) {
        out.push({ path: "nodeConfig", nodeConfig: p.nodeConfig, managementPath: "management" });
    }
    (p.nodePools ?? []).forEach((np: Props, i: number) => {
        out.push({
            path: `nodePools[${i}].nodeConfig`,
            nodeConfig: np?.nodeConfig ?? {},
            management: np?.management,
            managementPath: `nodePools[${i}].management`,
        });
    });
    return out;
}

function forCluster(check: (props: Props, args: ResourceValidationArgs, report: ReportViolation) => void) {
    return (args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type === CLUSTER) check(args.props, args, report);
    };
}

function forNodeConfigs(check: (ref: NodeConfigRef, args: ResourceValidationArgs, report: ReportViolation) => void) {
    return (args: ResourceValidationArgs, report: ReportViolation) => {
        for (const ref of nodeConfigs(args)) check(ref, args, report);
    };
}

export const legacyAbacDisabled: DocumentedResourcePolicy = {
    name: "gke-legacy-abac-disabled",
    description: "The cluster keeps legacy ABAC off (enableLegacyAbac is not true).",
    enforcementLevel: "mandatory",
    severity: "critical",
    why: "Legacy ABAC grants static, broad permissions that RBAC can't take back.",
    anchor: "CIS GKE 5.8.4; gke-policies-v2 control_plane_disable_legacy_authorization",
    url: CIS + "control_plane_disable_legacy_authorization.rego",
    validateResource: forCluster((p, _args, report) => {
        if (p.enableLegacyAbac === true) {
            report("enableLegacyAbac must be false (got true)");
        }
    }),
};

export const noClientCertificate: DocumentedResourcePolicy = {
    name: "gke-no-client-certificate",
    description: "The cluster issues no client certificate (masterAuth.clientCertificateConfig.issueClientCertificate is not true).",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "A client certificate is a non-revocable cluster-admin credential stored in state; authentication goes through Google identities.",
    anchor: "CIS GKE 5.8.2; gke-policies-v2 control_plane_disable_cert_authentication",
    url: CIS + "control_plane_disable_cert_authentication.rego",
    validateResource: forCluster((p, _args, report) => {
        if (p.masterAuth?.clientCertificateConfig?.issueClientCertificate === true) {
            report("masterAuth.clientCertificateConfig.issueClientCertificate must be false (got true)");
        }
    }),
};

export const networkPolicyEnforced: DocumentedResourcePolicy = {
    name: "gke-network-policy-enforced",
    description: "The cluster enforces NetworkPolicy: datapathProvider ADVANCED_DATAPATH (Dataplane V2), or networkPolicy.enabled with the addon not disabled.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "Without an enforcing dataplane the NetworkPolicies this program ships are silently ignored, and memcached has no authentication.",
    anchor: "CIS GKE 5.6.7; gke-policies-v2 network_policies",
    url: CIS + "network_policies.rego",
    validateResource: forCluster((p, _args, report) => {
        if (isAutopilot(p) || p.datapathProvider === "ADVANCED_DATAPATH") return;
        const enabled = p.networkPolicy?.enabled;
        const addonDisabled = p.addonsConfig?.networkPolicyConfig?.disabled === true;
        if (enabled === true && addonDisabled) {
            report("networkPolicy.enabled is true but addonsConfig.networkPolicyConfig.disabled is true; NetworkPolicy is not enforced");
        } else if (enabled !== true) {
            report(`NetworkPolicy is not enforced: set datapathProvider "ADVANCED_DATAPATH" or networkPolicy.enabled true (got datapathProvider ${show(p.datapathProvider)}, networkPolicy.enabled ${show(enabled)})`);
        }
    }),
};

export const shieldedNodes: DocumentedResourcePolicy = {
    name: "gke-shielded-nodes",
    description: "Shielded GKE nodes: the cluster doesn't turn enableShieldedNodes off, and every node config has secure boot on and integrity monitoring not off.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "Shielded nodes prove their boot chain to the control plane; without them a compromised node can impersonate others and persist rootkits.",
    anchor: "CIS GKE 5.5.5, 5.5.6, 5.5.7; gke-policies-v2 shielded_nodes, node_pool_integrity_monitoring, node_pool_secure_boot",
    url: CIS + "shielded_nodes.rego",
    validateResource: [
        forCluster((p, _args, report) => {
            if (!isAutopilot(p) && p.enableShieldedNodes === false) {
                report("enableShieldedNodes must not be false");
            }
        }),
        forNodeConfigs((ref, _args, report) => {
            const sic = ref.nodeConfig.shieldedInstanceConfig ?? {};
            if (sic.enableSecureBoot !== true) {
                report(`${ref.path}.shieldedInstanceConfig.enableSecureBoot must be true (got ${show(sic.enableSecureBoot)})`);
            }
            if (sic.enableIntegrityMonitoring === false) {
                report(`${ref.path}.shieldedInstanceConfig.enableIntegrityMonitoring must not be false`);
            }
        }),
    ],
};

export const workloadIdentity: DocumentedResourcePolicy = {
    name: "gke-workload-identity",
    description: "Workload Identity: the cluster sets workloadIdentityConfig.workloadPool, and every node config sets workloadMetadataConfig.mode GKE_METADATA.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "Without it every pod can read the node's metadata server and act as the node's service account.",
    anchor: "CIS GKE 5.2.2, 5.4.2; gke-policies-v2 workload_identity",
    url: CIS + "workload_identity.rego",
    validateResource: [
        forCluster((p, _args, report) => {
            const pool = p.workloadIdentityConfig?.workloadPool;
            if (isAutopilot(p)) return;
            if (typeof pool !== "string" || pool === "") {
                report(`workloadIdentityConfig.workloadPool must be set, e.g. "<project>.svc.id.goog" (got ${show(pool)})`);
            }
        }),
        forNodeConfigs((ref, _args, report) => {
            const mode = ref.nodeConfig.workloadMetadataConfig?.mode;
            if (mode !== "GKE_METADATA") {
                report(`${ref.path}.workloadMetadataConfig.mode must be "GKE_METADATA" (got ${show(mode)})`);
            }
        }),
    ],
};

const CHANNELS = ["RAPID", "REGULAR", "STABLE", "EXTENDED"];

export const releaseChannel: DocumentedResourcePolicy = {
    name: "gke-release-channel",
    description: "The cluster is enrolled in a release channel (releaseChannel.channel RAPID, REGULAR, STABLE or EXTENDED).",
    enforcementLevel: "mandatory",
    severity: "medium",
    why: "Off-channel clusters fall behind on control-plane and node security patches.",
    anchor: "CIS GKE 5.5.4; gke-policies-v2 cluster_release_channels",
    url: CIS + "cluster_release_channels.rego",
    validateResource: forCluster((p, _args, report) => {
        const channel = p.releaseChannel?.channel;
        if (!CHANNELS.includes(channel)) {
            report(`releaseChannel.channel must be one of ${CHANNELS.join(", ")} (got ${show(channel)})`);
        }
    }),
};

/** Production rule: mandatory in code; config/development.json relaxes it for the lab's zonal cluster. */
export const regionalControlPlane: DocumentedResourcePolicy = {
    name: "gke-regional-control-plane",
    description: "The cluster is regional: its location is a region, so its control plane is replicated across zones (production rule).",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "A zonal cluster's control plane is a single point of failure: a zone outage or a control-plane upgrade stops every `kubectl`, every `pulumi up` and the autoscaler. Only the dev stack, the lab, relaxes it: it is zonal by design.",
    anchor: "GKE: regional clusters (control plane replicated across zones); shared/guards.json cluster.location",
    url: "https://cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters",
    validateResource: forCluster((p, _args, report) => {
        const location = p.location;
        if (typeof location !== "string" || !REGION.test(location)) {
            report(`location ${show(location)} is not a region; a zonal control plane is a single point of failure`);
        }
    }),
};

/** Production rule: mandatory in code; config/development.json relaxes it for the dev stack's public lab nodes. */
export const privateNodes: DocumentedResourcePolicy = {
    name: "gke-private-nodes",
    description: "Nodes have no public IPs (privateClusterConfig.enablePrivateNodes: true) (production rule).",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "Public node IPs are reachable from the internet, limited only by firewall rules (and a hostPort or NodePort is then public). Only the dev stack, the lab, relaxes it: it uses public nodes by design.",
    anchor: "CIS GKE 5.6.5; gke-policies-v2 private_cluster",
    url: CIS + "private_cluster.rego",
    validateResource: forCluster((p, _args, report) => {
        const v = p.privateClusterConfig?.enablePrivateNodes;
        if (v !== true) {
            report(`privateClusterConfig.enablePrivateNodes is ${show(v)}; nodes get public IPs`);
        }
    }),
};

/** Production rule: mandatory in code; config/development.json relaxes it (the lab's cluster must be cheap to destroy). */
export const deletionProtection: DocumentedResourcePolicy = {
    name: "gke-deletion-protection",
    description: "The cluster sets deletionProtection: true explicitly (production rule).",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "Without it a mistaken `pulumi destroy`, a rename or a replacing change deletes the cluster and every cache shard with it. Explicit, so it doesn't hang on a provider default (the protection only exists since gcp 7, Terraform provider 5).",
    anchor: "Pulumi gcp.container.Cluster deletionProtection; GKE hardening guide",
    url: "https://www.pulumi.com/registry/packages/gcp/api-docs/container/cluster/#deletionprotection_java",
    validateResource: forCluster((p, _args, report) => {
        if (p.deletionProtection !== true) {
            report(`deletionProtection must be true (got ${show(p.deletionProtection)}); a destroy or a replacement would delete the cluster`);
        }
    }),
};

/** Production rule: mandatory in code; config/development.json relaxes it for the lab's public endpoint. */
export const controlPlaneAuthorizedNetworks: DocumentedResourcePolicy = {
    name: "gke-control-plane-authorized-networks",
    description: "The control plane is not public: masterAuthorizedNetworksConfig.cidrBlocks is set, not empty and has no /0 range (0.0.0.0/0, ::/0), and gcpPublicCidrsAccessEnabled is not true (production rule).",
    enforcementLevel: "mandatory",
    severity: "critical",
    why: "An open control-plane endpoint exposes the Kubernetes API to the whole internet (or, with gcpPublicCidrsAccessEnabled, to every Google Cloud VM): one leaked credential or API-server bug away from the cluster.",
    anchor: "CIS GKE 5.6.3; gke-policies-v2 control_plane_access",
    url: CIS + "control_plane_access.rego",
    validateResource: forCluster((p, _args, report) => {
        const config = p.masterAuthorizedNetworksConfig;
        if (config === undefined || config === null) {
            report("masterAuthorizedNetworksConfig is not set; the control plane's endpoint accepts every address");
            return;
        }
        const blocks = config.cidrBlocks;
        if (!Array.isArray(blocks) || blocks.length === 0) {
            report(`masterAuthorizedNetworksConfig.cidrBlocks is ${show(blocks)}; list the ranges operators and CI reach the control plane from`);
        } else {
            blocks.forEach((b: Props, i: number) => {
                const cidr = b?.cidrBlock;
                const m = /^[0-9a-fA-F.:]+\/(\d{1,3})$/.exec(String(cidr ?? "").trim());
                if (!m) {
                    report(`masterAuthorizedNetworksConfig.cidrBlocks[${i}].cidrBlock ${show(cidr)} is not a CIDR range`);
                } else if (Number(m[1]) <= OPEN_CIDR_PREFIX_LENGTH) {
                    report(`masterAuthorizedNetworksConfig.cidrBlocks[${i}].cidrBlock ${show(cidr)} admits every address to the control plane`);
                }
            });
        }
        if (config.gcpPublicCidrsAccessEnabled === true) {
            report("masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled is true; every Google Cloud public IP (any project's VMs) may reach the control plane");
        }
    }),
};

export const LEGACY_ENDPOINTS_KEY = "disable-legacy-endpoints";

export const legacyMetadataEndpointsDisabled: DocumentedResourcePolicy = {
    name: "gke-legacy-metadata-endpoints-disabled",
    description: "Every node config's metadata carries disable-legacy-endpoints: \"true\" (a cluster's own nodeConfig may leave it unset when removeDefaultNodePool deletes that pool). The workloadMetadataConfig.mode GKE_METADATA half is gke-workload-identity.",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "The legacy v0.1/v1beta1 metadata endpoints answer without the Metadata-Flavor header, so any SSRF in a pod reads the node's credentials and kubelet bootstrap data. The provider unsets the key when metadata is given without it.",
    anchor: "CIS GKE 5.4.1; GKE hardening guide: protect node metadata; Trivy AVD-GCP-0048",
    url: "https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#protect_node_metadata",
    validateResource: forNodeConfigs((ref, args, report) => {
        const v = ref.nodeConfig.metadata?.[LEGACY_ENDPOINTS_KEY];
        const path = `${ref.path}.metadata[${show(LEGACY_ENDPOINTS_KEY)}]`;
        if (v === undefined || v === null) {
            // The cluster's own nodeConfig describes only the default pool; removeDefaultNodePool deletes it on creation.
            const removedDefaultPool = args.type === CLUSTER && ref.path === "nodeConfig" && args.props.removeDefaultNodePool === true;
            if (!removedDefaultPool) report(`${path} must be "true" (got unset)`);
        } else if (String(v).toLowerCase() !== "true") {
            report(`${path} must be "true" (got ${show(v)}); the legacy metadata endpoints serve node credentials without the Metadata-Flavor header`);
        }
    }),
};

export const nodeAutoRepair: DocumentedResourcePolicy = {
    name: "gke-node-auto-repair",
    description: "Node pools keep auto-repair on (management.autoRepair is not false).",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "A broken node otherwise stays broken, with its memcached shard and mcrouter proxy down until someone notices.",
    anchor: "CIS GKE 5.5.2; gke-policies-v2 node_pool_autorepair",
    url: CIS + "node_pool_autorepair.rego",
    validateResource: forNodeConfigs((ref, _args, report) => {
        if (ref.management?.autoRepair === false) {
            report(`${ref.managementPath}.autoRepair must not be false`);
        }
    }),
};

export const nodeAutoUpgrade: DocumentedResourcePolicy = {
    name: "gke-node-auto-upgrade",
    description: "Node pools keep auto-upgrade on (management.autoUpgrade is not false).",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "Nodes otherwise miss kernel and kubelet security patches (and release channels require it).",
    anchor: "CIS GKE 5.5.3; gke-policies-v2 node_pool_autoupgrade",
    url: CIS + "node_pool_autoupgrade.rego",
    validateResource: forNodeConfigs((ref, _args, report) => {
        if (ref.management?.autoUpgrade === false) {
            report(`${ref.managementPath}.autoUpgrade must not be false`);
        }
    }),
};

export const nodeImageCos: DocumentedResourcePolicy = {
    name: "gke-node-image-cos-containerd",
    description: "Nodes run Container-Optimized OS with containerd (nodeConfig.imageType COS_CONTAINERD, GKE's default when unset).",
    enforcementLevel: "mandatory",
    severity: "medium",
    why: "COS is Google's minimal, read-only, auto-patched node OS; other images widen the node attack surface.",
    anchor: "CIS GKE 5.5.1; gke-policies-v2 node_pool_use_cos",
    url: CIS + "node_pool_use_cos.rego",
    validateResource: forNodeConfigs((ref, _args, report) => {
        const image = ref.nodeConfig.imageType;
        if (image !== undefined && image !== null && String(image).toUpperCase() !== "COS_CONTAINERD") {
            report(`${ref.path}.imageType must be "COS_CONTAINERD" (got ${show(image)})`);
        }
    }),
};

const COMPUTE_DEFAULT_SA = /-compute@developer\.gserviceaccount\.com$/;

export const dedicatedNodeServiceAccount: DocumentedResourcePolicy = {
    name: "gke-dedicated-node-service-account",
    description: "Nodes run as a dedicated service account: nodeConfig.serviceAccount set, not \"default\" and not the Compute Engine default (*-compute@developer.gserviceaccount.com).",
    enforcementLevel: "mandatory",
    severity: "high",
    why: "The Compute Engine default account has project Editor: any pod that reaches the node's credentials owns the project.",
    anchor: "CIS GKE 5.2.1; gke-policies-v2 node_pool_forbid_default_sa",
    url: CIS + "node_pool_forbid_default_sa.rego",
    validateResource: [
        forCluster((p, _args, report) => {
            // A cluster without nodeConfig creates its default pool as the Compute Engine default
            // account; harmless only if that pool is removed right away.
            if (!isAutopilot(p) && !p.nodeConfig && !(p.nodePools?.length > 0) && p.removeDefaultNodePool !== true) {
                report("nodeConfig is not set, so the default node pool runs as the Compute Engine default service account");
            }
        }),
        forNodeConfigs((ref, _args, report) => {
            const sa = ref.nodeConfig.serviceAccount;
            if (typeof sa !== "string" || sa.trim() === "") {
                report(`${ref.path}.serviceAccount is not set, so nodes run as the Compute Engine default service account`);
            } else if (sa === "default" || COMPUTE_DEFAULT_SA.test(sa)) {
                report(`${ref.path}.serviceAccount ${show(sa)} is the Compute Engine default service account; use a dedicated least-privilege one`);
            }
        }),
    ],
};

export const gkePolicies: DocumentedResourcePolicy[] = [
    regionalControlPlane,
    legacyAbacDisabled,
    noClientCertificate,
    networkPolicyEnforced,
    shieldedNodes,
    workloadIdentity,
    releaseChannel,
    privateNodes,
    deletionProtection,
    controlPlaneAuthorizedNetworks,
    legacyMetadataEndpointsDisabled,
    nodeAutoRepair,
    nodeAutoUpgrade,
    nodeImageCos,
    dedicatedNodeServiceAccount,
];
