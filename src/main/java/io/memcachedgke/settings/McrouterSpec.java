package io.memcachedgke.settings;

import io.memcachedgke.config.Environment;
import io.memcachedgke.config.Exposure;
import io.memcachedgke.kube.Names;
import java.util.List;
import java.util.Map;

/** The mcrouter proxies. */
@Doc("The proxies: a DaemonSet `<namePrefix>-mcrouter`, one mcrouter per node, its config reloaded in place.")
public record McrouterSpec(
    @Doc("mcrouter's image, pinned (the default is the lab's; the project builds its own: images/mcrouter)")
    String image,
    @Doc("The exporter sidecar in each proxy pod (with `metrics.exporters`); pinned") String exporterImage,
    @Doc("1024–65535: the proxies' port. Not 9442 (the exporter's port) while the exporter runs") int port,
    @Doc(value = "How applications reach the proxy on their node: `hostPort` (the lab's: the proxy listens on the "
        + "node's port) or `nodeLocalService` (a ClusterIP Service with `internalTrafficPolicy: Local`, no host port). "
        + "`hostPort` is refused in production",
        dflt = "`hostPort` (the lab's) in development, `nodeLocalService` in production")
    Exposure exposure,
    @Doc("50–16000: CPU request and limit in millicores. Sets `--num-proxies` to one thread per whole CPU, at least 1")
    int cpuMillis,
    @Doc("64–65536: memory request and limit in MiB") int memoryMiB,
    @Doc("Label sets of the pods allowed to use the proxies. A given list replaces the default. Must not be empty "
        + "while NetworkPolicies are on. The rollout check's pods are always added, the smoke test's while it is "
        + "enabled, and `run` pods with `networkPolicy.allowKubectlRun`")
    List<Map<String, String>> allowedClients,
    @Doc("10–10000 → mcrouter's `--server-timeout`: the most a request to one memcached may take") int serverTimeoutMs,
    @Doc("100–60000 → `--probe-timeout-initial`: the first probe of a shard marked down") int probeTimeoutInitialMs,
    @Doc("`probeTimeoutInitialMs`–600000 → `--probe-timeout-max`: the longest gap between probes") int probeTimeoutMaxMs,
    @Doc("1–100 → `--timeouts-until-tko`: timeouts in a row that mark a shard down") int timeoutsUntilTko,
    @Doc("100–60000 → `--reconfiguration-delay-ms`: how soon a changed config file is loaded") int reconfigurationDelayMs,
    @Doc("30–3600: how long the rollout check Job waits for every proxy to report the new config and pod template")
    int rolloutWaitSeconds) {

    /** The lab's sample application, the proxies' one client by default. */
    public static final String SAMPLE_APP = Names.SAMPLE_APP;

    public static final McrouterSpec DEFAULTS = new McrouterSpec("jphalip/mcrouter:0.36.0",
        "ghcr.io/dev25/mcrouter_exporter:0.5.0", 5000, null, 100, 128, List.of(Map.of("app", SAMPLE_APP)), 250, 1000,
        10000, 3, 500, 600);

    public McrouterSpec {
        allowedClients = Copies.maps(allowedClients);
    }

    /** The exposure: the one given, or the environment's (production takes no host port). */
    public Exposure exposure(Environment environment) {
        return exposure != null ? exposure
            : environment == Environment.PRODUCTION ? Exposure.NODE_LOCAL_SERVICE : Exposure.HOST_PORT;
    }
}
