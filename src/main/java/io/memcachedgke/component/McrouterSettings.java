package io.memcachedgke.component;

import com.pulumi.core.annotations.Import;
import java.util.List;
import java.util.Map;

/** The mcrouter tier (stack config: {@code memcached-gke:mcrouter}). */
@Description("The proxies: a DaemonSet `<namePrefix>-mcrouter`, one mcrouter per node, its config reloaded in place.")
public final class McrouterSettings {
    /** @default jphalip/mcrouter:0.36.0 */
    @Import(name = "image")
    @Description("mcrouter's image, pinned. Default: `jphalip/mcrouter:0.36.0`, the lab's; the project builds its own "
        + "(images/mcrouter, docs/delivery.md).")
    private String image;

    /** @default ghcr.io/dev25/mcrouter_exporter:0.5.0 */
    @Import(name = "exporterImage")
    @Description("The exporter sidecar's image (with `metrics.exporters`); pinned. Default: "
        + "`ghcr.io/dev25/mcrouter_exporter:0.5.0`.")
    private String exporterImage;

    /** @default 5000 */
    @Import(name = "port")
    @Description("The proxies' port (1024-65535, not 9442). Default: 5000, the lab's.")
    private Integer port;

    /** @default hostPort */
    @Import(name = "exposure")
    @Description("How applications reach the proxy on their node: `hostPort` (the node's port, the lab's) or "
        + "`nodeLocalService` (a Service with internalTrafficPolicy Local). Default: `hostPort`.")
    private String exposure;

    /** @default 100 */
    @Import(name = "cpuMillis")
    @Description("CPU request and limit in millicores (50-16000); one proxy thread per whole CPU. Default: 100.")
    private Integer cpuMillis;

    /** @default 128 */
    @Import(name = "memoryMiB")
    @Description("Memory request and limit in MiB (64-65536). Default: 128.")
    private Integer memoryMiB;

    /** @default the sample app */
    @Import(name = "allowedClients")
    @Description("Label sets of the pods allowed to use the proxies. Default: `[{\"app\": \"sample-application-py\"}]`.")
    private List<Map<String, String>> allowedClients;

    /** @default 250 */
    @Import(name = "serverTimeoutMs")
    @Description("mcrouter's `--server-timeout` in ms (10-10000). Default: 250.")
    private Integer serverTimeoutMs;

    /** @default 1000 */
    @Import(name = "probeTimeoutInitialMs")
    @Description("mcrouter's `--probe-timeout-initial` in ms (100-60000). Default: 1000.")
    private Integer probeTimeoutInitialMs;

    /** @default 10000 */
    @Import(name = "probeTimeoutMaxMs")
    @Description("mcrouter's `--probe-timeout-max` in ms (`probeTimeoutInitialMs`-600000). Default: 10000.")
    private Integer probeTimeoutMaxMs;

    /** @default 3 */
    @Import(name = "timeoutsUntilTko")
    @Description("mcrouter's `--timeouts-until-tko` (1-100). Default: 3.")
    private Integer timeoutsUntilTko;

    /** @default 500 */
    @Import(name = "reconfigurationDelayMs")
    @Description("mcrouter's `--reconfiguration-delay-ms` (100-60000). Default: 500.")
    private Integer reconfigurationDelayMs;

    /** @default 600 */
    @Import(name = "rolloutWaitSeconds")
    @Description("How long the rollout check Job waits for every proxy to report the new config (30-3600). Default: 600.")
    private Integer rolloutWaitSeconds;

    McrouterSettings() {}
}
