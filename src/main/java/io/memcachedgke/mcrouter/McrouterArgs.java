package io.memcachedgke.mcrouter;

import io.memcachedgke.config.Exposure;
import io.memcachedgke.kube.TlsMount;
import java.util.List;
import io.memcachedgke.kube.ClientSelector;
import io.memcachedgke.probe.ProbeScript;

/**
 * The mcrouter tier: one proxy per node (a DaemonSet) routing to the memcached pool, its flags chosen for
 * in-cluster latencies (each with its reason in {@link McrouterFlags}), and a check that every proxy runs the
 * new config before {@code pulumi up} goes on.
 *
 * @param namePrefix             prefix; the ConfigMap, DaemonSet and Service are {@code <prefix>-mcrouter}
 * @param namespace              namespace of the tier's objects
 * @param image                  mcrouter container image
 * @param port                   the proxy's port
 * @param exposure               how apps reach the proxy on their node
 * @param cpuMillis              CPU request and limit per proxy; sets the proxy threads ({@code --num-proxies})
 * @param memoryMiB              memory request and limit per proxy
 * @param networkPolicy          declare the tier's NetworkPolicy
 * @param allowedClients         label selectors of the pods allowed to use the proxy
 * @param serverTimeoutMs        {@code --server-timeout}: the most a request to a memcached may take
 * @param probeTimeoutInitialMs  {@code --probe-timeout-initial}: first probe of a shard marked down
 * @param probeTimeoutMaxMs      {@code --probe-timeout-max}: the longest gap between probes
 * @param timeoutsUntilTko       {@code --timeouts-until-tko}: timeouts in a row that mark a shard down
 * @param reconfigurationDelayMs {@code --reconfiguration-delay-ms}: how soon a changed config file is loaded
 * @param exporterImage          the mcrouter exporter sidecar's image, or null without one
 * @param checkImage             the image of the Job that checks every proxy runs the new config (busybox)
 * @param rolloutWaitSeconds     how long every proxy may take to load a new config or finish a roll
 * @param tls                    the proxies' client certificate for mutual TLS to the shards, or null (plain text)
 */
public record McrouterArgs(
    String namePrefix, String namespace, String image, int port, Exposure exposure, int cpuMillis, int memoryMiB,
    boolean networkPolicy, List<ClientSelector> allowedClients, int serverTimeoutMs, int probeTimeoutInitialMs,
    int probeTimeoutMaxMs, int timeoutsUntilTko, int reconfigurationDelayMs, String exporterImage, String checkImage,
    int rolloutWaitSeconds, TlsMount tls) {

    public static final String PORT_NAME = "mcrouter";
    public static final String CONFIG_DIR = "/etc/mcrouter";
    public static final String CONFIG_FILE = CONFIG_DIR + "/config.json";
    /**
     * Where mcrouter writes at run time: {@code --stats-root} ({@code /var/mcrouter/stats}) and the config dumps
     * ({@code /var/mcrouter/config}), both created by mcrouter itself. The async spool ({@code /var/spool/mcrouter})
     * is not needed: {@code --asynclog-disable}.
     */
    public static final String WRITABLE_DIR = "/var/mcrouter";
    /** The environment of a client pod: where the proxy on its own node answers (host, then port). */
    public static final String HOST_ENV = ProbeScript.LOCAL_HOST_ENV;
    public static final String PORT_ENV = ProbeScript.LOCAL_PORT_ENV;

    public McrouterArgs {
        allowedClients = List.copyOf(allowedClients);
    }

    /** mcrouter's flags for these args ({@link McrouterFlags} says why each). */
    public McrouterFlags flags() {
        return McrouterFlags.of(this);
    }
}
