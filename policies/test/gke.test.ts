import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as g from "../src/policies/gke";
import { cluster, messages, nodePool, T, variant } from "./fixtures";

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

describe(g.privateNodes.name, () => {
    it("is advisory (the dev stack has public nodes by design)", () => assert.equal(g.privateNodes.enforcementLevel, "advisory"));
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
