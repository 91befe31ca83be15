// The memcached-gke cache on the cluster of the current kubeconfig, from TypeScript: the package's CacheService with
// the settings of the Java program's `local` stack (Pulumi.local.yaml). Every setting is optional; the package's
// docs (docs/packages.md) list them, and the generated SDK carries each one's description.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as memcachedgke from "./sdks/memcachedgke-memcached-gke";

const config = new pulumi.Config();

// ConfigMaps updated in place: the proxies reload a new server list without a restart.
const provider = new k8s.Provider("kubernetes", { enableConfigMapMutable: true });

const cache = new memcachedgke.CacheService("mycache", {
    environment: "development",
    namePrefix: "mycache",
    namespace: "memcached",
    networkPolicy: { enabled: true, allowKubectlRun: true },
    // A warm move from another number of shards when the stack's config names one (docs/operations.md).
    memcached: { replicas: config.getNumber("replicas") ?? 3, memoryMiB: 64, cpuMillis: 250,
        resize: config.getObject<memcachedgke.types.input.ResizeSettingsArgs>("resize") },
    mcrouter: { exposure: "nodeLocalService", cpuMillis: 50 },
    sampleApp: { replicas: 2, cpuMillis: 20 },
    metrics: { exporters: true, podMonitoring: false, serviceMonitor: false },
    smokeTest: { enabled: true },
}, { providers: [provider] });

export const memcachedServers = cache.memcachedServers;
export const mcrouterPort = cache.mcrouterPort;
export const mcrouterConfigDigest = cache.mcrouterConfigDigest;
