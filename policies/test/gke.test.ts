import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as path from "node:path";
import * as g from "../src/policies/gke";
import { CONFIG_DIR } from "../src/stacks";
import { validateResource, enforcementLevelOf } from "../src/engine";
import { readPackConfig } from "../src/stacks";
import { cluster, messages, nodePool, T, variant } from "./fixtures";

const development = readPackConfig(path.join(CONFIG_DIR, "development.json"));

const c = (edit: (o: any) => void) => variant(cluster, edit);
const np = (edit: (o: any) => void) => variant(nodePool, edit);

describe("every GKE policy", () => {
    for (const policy of g.gkePolicies) {
        it(`${policy.name}: passes the hardened cluster and node pool`, async () => {
            assert.deepEqual(await messages(policy, T.cluster, cluster), []);
            assert.deepEqual(await messages(policy, T.nodePool, nodePool), []);
        });
        it(`${policy.name}: ignores other types, even with cluster-like inputs`, async () => {
            const broken = { enableLegacyAbac: true, nodeConfig: { serviceAccount: "default", imageType: "UBUNTU" }, management: { autoRepair: false } };
            assert.deepEqual(await messages(policy, "gcp:compute/network:Network", broken), []);
            assert.deepEqual(await messages(policy, T.statefulSet, broken), []);
        });
    }
});

describe(g.legacyAbacDisabled.name, () => {
    it("rejects enableLegacyAbac: true; unset is GKE's default (off)", async () => {
        assert.deepEqual(await messages(g.legacyAbacDisabled, T.cluster, c(o => (o.enableLegacyAbac = true))), ["enableLegacyAbac must be false (got true)"]);
        assert.deepEqual(await messages(g.legacyAbacDisabled, T.cluster, c(o => delete o.enableLegacyAbac)), []);
    });
});

describe(g.noClientCertificate.name, () => {
    it("rejects issueClientCertificate: true", async () => {
        assert.deepEqual(await messages(g.noClientCertificate, T.cluster, c(o => (o.masterAuth.clientCertificateConfig.issueClientCertificate = true))), [
            "masterAuth.clientCertificateConfig.issueClientCertificate must be false (got true)",
        ]);
    });
});

describe(g.networkPolicyEnforced.name, () => {
    it("accepts the Calico addon (networkPolicy.enabled) instead of Dataplane V2", async () => {
        const props = c(o => {
            delete o.datapathProvider;
            o.networkPolicy = { enabled: true, provider: "CALICO" };
        });
        assert.deepEqual(await messages(g.networkPolicyEnforced, T.cluster, props), []);
    });
    it("rejects neither Dataplane V2 nor networkPolicy", async () => {
        assert.deepEqual(await messages(g.networkPolicyEnforced, T.cluster, c(o => (o.datapathProvider = "LEGACY_DATAPATH"))), [
            'NetworkPolicy is not enforced: set datapathProvider "ADVANCED_DATAPATH" or networkPolicy.enabled true (got datapathProvider "LEGACY_DATAPATH", networkPolicy.enabled unset)',
        ]);
    });
    it("rejects networkPolicy.enabled with the addon disabled", async () => {
        const props = c(o => {
            delete o.datapathProvider;
            o.networkPolicy = { enabled: true };
            o.addonsConfig = { networkPolicyConfig: { disabled: true } };
        });
        assert.deepEqual(await messages(g.networkPolicyEnforced, T.cluster, props), [
            "networkPolicy.enabled is true but addonsConfig.networkPolicyConfig.disabled is true; NetworkPolicy is not enforced",
        ]);
    });
});

describe(g.shieldedNodes.name, () => {
    it("rejects shielded nodes off on the cluster", async () => {
        assert.deepEqual(await messages(g.shieldedNodes, T.cluster, c(o => (o.enableShieldedNodes = false))), ["enableShieldedNodes must not be false"]);
    });
    it("rejects secure boot unset and integrity monitoring off on a node pool", async () => {
        const props = np(o => (o.nodeConfig.shieldedInstanceConfig = { enableIntegrityMonitoring: false }));
        assert.deepEqual(await messages(g.shieldedNodes, T.nodePool, props), [
            "nodeConfig.shieldedInstanceConfig.enableSecureBoot must be true (got unset)",
            "nodeConfig.shieldedInstanceConfig.enableIntegrityMonitoring must not be false",
        ]);
    });
    it("checks inline nodePools of a cluster", async () => {
        const props = c(o => (o.nodePools = [{ name: "inline", nodeConfig: { ...nodePool.nodeConfig, shieldedInstanceConfig: { enableSecureBoot: false } } }]));
        assert.deepEqual(await messages(g.shieldedNodes, T.cluster, props), ["nodePools[0].nodeConfig.shieldedInstanceConfig.enableSecureBoot must be true (got false)"]);
    });
    it("skips node checks on Autopilot", async () => {
        assert.deepEqual(await messages(g.shieldedNodes, T.cluster, { enableAutopilot: true, nodeConfig: {} }), []);
    });
});

describe(g.workloadIdentity.name, () => {
    it("rejects a cluster without a workload pool", async () => {
        assert.deepEqual(await messages(g.workloadIdentity, T.cluster, c(o => delete o.workloadIdentityConfig)), [
            'workloadIdentityConfig.workloadPool must be set, e.g. "<project>.svc.id.goog" (got unset)',
        ]);
    });
    it("rejects node pools exposing the node metadata server", async () => {
        assert.deepEqual(await messages(g.workloadIdentity, T.nodePool, np(o => (o.nodeConfig.workloadMetadataConfig.mode = "GCE_METADATA"))), [
            'nodeConfig.workloadMetadataConfig.mode must be "GKE_METADATA" (got "GCE_METADATA")',
        ]);
        assert.deepEqual(await messages(g.workloadIdentity, T.nodePool, np(o => delete o.nodeConfig.workloadMetadataConfig)), [
            'nodeConfig.workloadMetadataConfig.mode must be "GKE_METADATA" (got unset)',
        ]);
    });
});

describe(g.releaseChannel.name, () => {
    it("accepts every channel", async () => {
        for (const channel of ["RAPID", "REGULAR", "STABLE", "EXTENDED"]) {
            assert.deepEqual(await messages(g.releaseChannel, T.cluster, c(o => (o.releaseChannel.channel = channel))), []);
        }
    });
    it("rejects no channel and UNSPECIFIED", async () => {
        assert.deepEqual(await messages(g.releaseChannel, T.cluster, c(o => delete o.releaseChannel)), [
            "releaseChannel.channel must be one of RAPID, REGULAR, STABLE, EXTENDED (got unset)",
        ]);
        assert.deepEqual(await messages(g.releaseChannel, T.cluster, c(o => (o.releaseChannel.channel = "UNSPECIFIED"))), [
            'releaseChannel.channel must be one of RAPID, REGULAR, STABLE, EXTENDED (got "UNSPECIFIED")',
        ]);
    });
});

describe(g.regionalControlPlane.name, () => {
    it("accepts a region, refuses a zone (the same pattern the program's production guard uses: shared/guards.json)", async () => {
        assert.deepEqual(await messages(g.regionalControlPlane, T.cluster, cluster), []);
        assert.deepEqual(await messages(g.regionalControlPlane, T.cluster, c(o => (o.location = "europe-west4-a"))), [
            'location "europe-west4-a" is not a region; a zonal control plane is a single point of failure',
        ]);
    });
    it("is a production rule: advisory under the development configuration", () => {
        assert.equal(enforcementLevelOf(g.regionalControlPlane, development), "advisory");
    });
});

describe(g.privateNodes.name, () => {
    it("is mandatory in code (production); config/development.json relaxes it for the dev stack's public lab nodes", async () => {
        assert.equal(g.privateNodes.enforcementLevel, "mandatory");
        const [v] = await validateResource(g.privateNodes, { type: T.cluster, name: "demo-cluster", props: c(o => delete o.privateClusterConfig) }, development);
        assert.equal(v.level, "advisory");
    });
    it("reports public nodes", async () => {
        assert.deepEqual(await messages(g.privateNodes, T.cluster, c(o => delete o.privateClusterConfig)), ["privateClusterConfig.enablePrivateNodes is unset; nodes get public IPs"]);
        assert.deepEqual(await messages(g.privateNodes, T.cluster, c(o => (o.privateClusterConfig.enablePrivateNodes = false))), [
            "privateClusterConfig.enablePrivateNodes is false; nodes get public IPs",
        ]);
    });
});

describe(g.nodeAutoRepair.name, () => {
    it("rejects autoRepair: false; unset is GKE's default (on)", async () => {
        assert.deepEqual(await messages(g.nodeAutoRepair, T.nodePool, np(o => (o.management.autoRepair = false))), ["management.autoRepair must not be false"]);
        assert.deepEqual(await messages(g.nodeAutoRepair, T.nodePool, np(o => delete o.management)), []);
    });
    it("checks inline nodePools", async () => {
        const props = c(o => (o.nodePools = [{ nodeConfig: nodePool.nodeConfig, management: { autoRepair: false } }]));
        assert.deepEqual(await messages(g.nodeAutoRepair, T.cluster, props), ["nodePools[0].management.autoRepair must not be false"]);
    });
});

describe(g.nodeAutoUpgrade.name, () => {
    it("rejects autoUpgrade: false", async () => {
        assert.deepEqual(await messages(g.nodeAutoUpgrade, T.nodePool, np(o => (o.management.autoUpgrade = false))), ["management.autoUpgrade must not be false"]);
    });
});

describe(g.nodeImageCos.name, () => {
    it("accepts COS_CONTAINERD in any case, and unset (GKE's default)", async () => {
        assert.deepEqual(await messages(g.nodeImageCos, T.nodePool, np(o => (o.nodeConfig.imageType = "cos_containerd"))), []);
        assert.deepEqual(await messages(g.nodeImageCos, T.nodePool, np(o => delete o.nodeConfig.imageType)), []);
    });
    it("rejects other images", async () => {
        assert.deepEqual(await messages(g.nodeImageCos, T.nodePool, np(o => (o.nodeConfig.imageType = "UBUNTU_CONTAINERD"))), [
            'nodeConfig.imageType must be "COS_CONTAINERD" (got "UBUNTU_CONTAINERD")',
        ]);
    });
});

describe(g.dedicatedNodeServiceAccount.name, () => {
    it("rejects an unset, empty, \"default\" or Compute default service account", async () => {
        assert.deepEqual(await messages(g.dedicatedNodeServiceAccount, T.nodePool, np(o => delete o.nodeConfig.serviceAccount)), [
            "nodeConfig.serviceAccount is not set, so nodes run as the Compute Engine default service account",
        ]);
        assert.deepEqual(await messages(g.dedicatedNodeServiceAccount, T.nodePool, np(o => (o.nodeConfig.serviceAccount = " "))), [
            "nodeConfig.serviceAccount is not set, so nodes run as the Compute Engine default service account",
        ]);
        assert.deepEqual(await messages(g.dedicatedNodeServiceAccount, T.nodePool, np(o => (o.nodeConfig.serviceAccount = "default"))), [
            'nodeConfig.serviceAccount "default" is the Compute Engine default service account; use a dedicated least-privilege one',
        ]);
        assert.deepEqual(await messages(g.dedicatedNodeServiceAccount, T.nodePool, np(o => (o.nodeConfig.serviceAccount = "123456789-compute@developer.gserviceaccount.com"))), [
            'nodeConfig.serviceAccount "123456789-compute@developer.gserviceaccount.com" is the Compute Engine default service account; use a dedicated least-privilege one',
        ]);
    });
    it("rejects a node pool without nodeConfig", async () => {
        assert.deepEqual(await messages(g.dedicatedNodeServiceAccount, T.nodePool, np(o => delete o.nodeConfig)), [
            "nodeConfig.serviceAccount is not set, so nodes run as the Compute Engine default service account",
        ]);
    });
    it("rejects a cluster whose kept default pool has no nodeConfig, not one that removes it", async () => {
        const kept = c(o => {
            delete o.nodeConfig;
            o.removeDefaultNodePool = false;
        });
        assert.deepEqual(await messages(g.dedicatedNodeServiceAccount, T.cluster, kept), [
            "nodeConfig is not set, so the default node pool runs as the Compute Engine default service account",
        ]);
        assert.deepEqual(await messages(g.dedicatedNodeServiceAccount, T.cluster, c(o => delete o.nodeConfig)), []);
    });
});

describe(g.deletionProtection.name, () => {
    it("is mandatory in code (production); config/development.json relaxes it for the lab's disposable cluster", async () => {
        assert.equal(g.deletionProtection.enforcementLevel, "mandatory");
        const [v] = await validateResource(g.deletionProtection, { type: T.cluster, name: "demo-cluster", props: c(o => (o.deletionProtection = false)) }, development);
        assert.equal(v.level, "advisory");
    });
    it("rejects deletionProtection false or unset (explicit: the provider's default changed across major versions)", async () => {
        assert.deepEqual(await messages(g.deletionProtection, T.cluster, c(o => (o.deletionProtection = false))), [
            "deletionProtection must be true (got false); a destroy or a replacement would delete the cluster",
        ]);
        assert.deepEqual(await messages(g.deletionProtection, T.cluster, c(o => delete o.deletionProtection)), [
            "deletionProtection must be true (got unset); a destroy or a replacement would delete the cluster",
        ]);
    });
});

describe(g.controlPlaneAuthorizedNetworks.name, () => {
    const networks = (edit: (o: any) => void) => c(o => edit(o.masterAuthorizedNetworksConfig));
    it("accepts prod's single authorized range, and several", async () => {
        assert.deepEqual(await messages(g.controlPlaneAuthorizedNetworks, T.cluster, cluster), []);
        assert.deepEqual(await messages(g.controlPlaneAuthorizedNetworks, T.cluster, networks(m => m.cidrBlocks.push({ cidrBlock: "2001:db8::/32" }))), []);
    });
    it("rejects no masterAuthorizedNetworksConfig (a public control plane)", async () => {
        assert.deepEqual(await messages(g.controlPlaneAuthorizedNetworks, T.cluster, c(o => delete o.masterAuthorizedNetworksConfig)), [
            "masterAuthorizedNetworksConfig is not set; the control plane's endpoint accepts every address",
        ]);
    });
    it("rejects missing or empty cidrBlocks", async () => {
        assert.deepEqual(await messages(g.controlPlaneAuthorizedNetworks, T.cluster, networks(m => (m.cidrBlocks = []))), [
            "masterAuthorizedNetworksConfig.cidrBlocks is []; list the ranges operators and CI reach the control plane from",
        ]);
        assert.deepEqual(await messages(g.controlPlaneAuthorizedNetworks, T.cluster, networks(m => delete m.cidrBlocks)), [
            "masterAuthorizedNetworksConfig.cidrBlocks is unset; list the ranges operators and CI reach the control plane from",
        ]);
    });
    it("rejects 0.0.0.0/0, ::/0 and anything that is not a CIDR", async () => {
        const open = networks(m => (m.cidrBlocks = [{ cidrBlock: "203.0.113.0/24" }, { cidrBlock: "0.0.0.0/0", displayName: "everyone" }, { cidrBlock: "::/0" }, { cidrBlock: "203.0.113.7" }]));
        assert.deepEqual(await messages(g.controlPlaneAuthorizedNetworks, T.cluster, open), [
            'masterAuthorizedNetworksConfig.cidrBlocks[1].cidrBlock "0.0.0.0/0" admits every address to the control plane',
            'masterAuthorizedNetworksConfig.cidrBlocks[2].cidrBlock "::/0" admits every address to the control plane',
            'masterAuthorizedNetworksConfig.cidrBlocks[3].cidrBlock "203.0.113.7" is not a CIDR range',
        ]);
    });
    it("rejects gcpPublicCidrsAccessEnabled (every Google Cloud IP)", async () => {
        assert.deepEqual(await messages(g.controlPlaneAuthorizedNetworks, T.cluster, networks(m => (m.gcpPublicCidrsAccessEnabled = true))), [
            "masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled is true; every Google Cloud public IP (any project's VMs) may reach the control plane",
        ]);
    });
});

describe(g.legacyMetadataEndpointsDisabled.name, () => {
    const key = 'metadata["disable-legacy-endpoints"]';
    it("accepts \"true\" on the node pool (any case), and a cluster whose default pool is removed without it", async () => {
        assert.deepEqual(await messages(g.legacyMetadataEndpointsDisabled, T.nodePool, np(o => (o.nodeConfig.metadata["disable-legacy-endpoints"] = "TRUE"))), []);
        assert.deepEqual(await messages(g.legacyMetadataEndpointsDisabled, T.cluster, cluster), []);
    });
    it("rejects \"false\" anywhere, and an unset key on a node pool", async () => {
        assert.deepEqual(await messages(g.legacyMetadataEndpointsDisabled, T.nodePool, np(o => (o.nodeConfig.metadata["disable-legacy-endpoints"] = "false"))), [
            `nodeConfig.${key} must be "true" (got "false"); the legacy metadata endpoints serve node credentials without the Metadata-Flavor header`,
        ]);
        assert.deepEqual(await messages(g.legacyMetadataEndpointsDisabled, T.nodePool, np(o => delete o.nodeConfig.metadata)), [`nodeConfig.${key} must be "true" (got unset)`]);
        assert.deepEqual(await messages(g.legacyMetadataEndpointsDisabled, T.cluster, c(o => (o.nodeConfig.metadata = { "disable-legacy-endpoints": "false" }))), [
            `nodeConfig.${key} must be "true" (got "false"); the legacy metadata endpoints serve node credentials without the Metadata-Flavor header`,
        ]);
    });
    it("rejects an unset key on a cluster's default pool that is kept, and on inline node pools", async () => {
        assert.deepEqual(await messages(g.legacyMetadataEndpointsDisabled, T.cluster, c(o => (o.removeDefaultNodePool = false))), [`nodeConfig.${key} must be "true" (got unset)`]);
        const inline = c(o => (o.nodePools = [{ name: "inline", nodeConfig: { ...nodePool.nodeConfig, metadata: {} } }]));
        assert.deepEqual(await messages(g.legacyMetadataEndpointsDisabled, T.cluster, inline), [`nodePools[0].nodeConfig.${key} must be "true" (got unset)`]);
    });
});
