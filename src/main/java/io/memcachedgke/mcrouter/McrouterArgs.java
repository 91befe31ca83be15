package io.memcachedgke.mcrouter;

import java.util.List;
import java.util.Map;
import io.memcachedgke.config.Formats;
import io.memcachedgke.config.Rule;
import io.memcachedgke.kube.ClientSelector;
import io.memcachedgke.kube.Names;
import io.memcachedgke.metrics.MetricsArgs;
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
 */
public record McrouterArgs(
    String namePrefix, String namespace, String image, int port, Exposure exposure, int cpuMillis, int memoryMiB,
    boolean networkPolicy, List<ClientSelector> allowedClients, int serverTimeoutMs, int probeTimeoutInitialMs,
    int probeTimeoutMaxMs, int timeoutsUntilTko, int reconfigurationDelayMs, String exporterImage, String checkImage,
    int rolloutWaitSeconds) {

    public static final String PORT_NAME = "mcrouter";
    public static final String CONFIG_DIR = "/etc/mcrouter";
    public static final String CONFIG_FILE = CONFIG_DIR + "/config.json";
    /**
     * Where mcrouter writes at run time: {@code --stats-root} ({@code /var/mcrouter/stats}) and the config dumps
     * ({@code /var/mcrouter/config}), both created by mcrouter itself. The async spool ({@code /var/spool/mcrouter})
     * is not needed: {@code --asynclog-disable}.
     */
    public static final String WRITABLE_DIR = "/var/mcrouter";
    /** The mcrouter exporter's port, its default. */
    public static final int EXPORTER_PORT = MetricsArgs.MCROUTER_EXPORTER_PORT;
    /** The environment of a client pod: where the proxy on its own node answers (host, then port). */
    public static final String HOST_ENV = ProbeScript.LOCAL_HOST_ENV;
    public static final String PORT_ENV = ProbeScript.LOCAL_PORT_ENV;

    public McrouterArgs {
        allowedClients = List.copyOf(allowedClients);
    }

    public static final List<Rule<McrouterArgs>> RULES = List.of(
        Rule.matches("image", McrouterArgs::image, Formats.PINNED_IMAGE, Formats.PINNED_IMAGE_TEXT),
        Rule.between("port", McrouterArgs::port, 1024, 65535),
        Rule.custom("port", (a, p) -> a.exporterImage() != null && a.port() == EXPORTER_PORT
            ? "must not be " + EXPORTER_PORT + ", the mcrouter exporter's port, but " + a.port() + " was provided" : null),
        Rule.between("cpuMillis", McrouterArgs::cpuMillis, 50, 16000),
        Rule.between("memoryMiB", McrouterArgs::memoryMiB, 64, 65536),
        Rule.custom("allowedClients", (a, p) -> a.allowedClients().isEmpty() && a.networkPolicy()
            ? "must name at least one client selector while the NetworkPolicy is on, but [] was provided" : null),
        Rule.between("serverTimeoutMs", McrouterArgs::serverTimeoutMs, 10, 10000),
        Rule.between("probeTimeoutInitialMs", McrouterArgs::probeTimeoutInitialMs, 100, 60000),
        Rule.custom("probeTimeoutMaxMs", (a, p) -> a.probeTimeoutMaxMs() >= a.probeTimeoutInitialMs()
                && a.probeTimeoutMaxMs() <= 600000 ? null
            : "must be between " + p + "probeTimeoutInitialMs (" + a.probeTimeoutInitialMs() + ") and 600000, but "
                + a.probeTimeoutMaxMs() + " was provided"),
        Rule.between("timeoutsUntilTko", McrouterArgs::timeoutsUntilTko, 1, 100),
        Rule.between("reconfigurationDelayMs", McrouterArgs::reconfigurationDelayMs, 100, 60000),
        Rule.of("exporterImage", McrouterArgs::exporterImage, i -> Formats.PINNED_IMAGE.matcher(i).matches(),
            v -> "must be " + Formats.PINNED_IMAGE_TEXT),
        Rule.matches("checkImage", McrouterArgs::checkImage, Formats.PINNED_IMAGE, Formats.PINNED_IMAGE_TEXT),
        Rule.between("rolloutWaitSeconds", McrouterArgs::rolloutWaitSeconds, 30, 3600));

    public List<String> problems(String keyPrefix) {
        return Rule.checkAll(RULES, this, keyPrefix);
    }

    /** mcrouter's flags for these args ({@link McrouterFlags} says why each). */
    public McrouterFlags flags() {
        return McrouterFlags.of(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String namePrefix = Names.DEFAULT_PREFIX;
        private String namespace = Names.DEFAULT_NAMESPACE;
        private String image = "jphalip/mcrouter:0.36.0";
        private int port = 5000;
        private Exposure exposure = Exposure.HOST_PORT;
        private int cpuMillis = 100;
        private int memoryMiB = 128;
        private boolean networkPolicy = true;
        private List<ClientSelector> allowedClients =
            List.of(ClientSelector.labels(Map.of("app", Names.SAMPLE_APP)));
        private int serverTimeoutMs = 250;
        private int probeTimeoutInitialMs = 1000;
        private int probeTimeoutMaxMs = 10000;
        private int timeoutsUntilTko = 3;
        private int reconfigurationDelayMs = 500;
        private String exporterImage = "ghcr.io/dev25/mcrouter_exporter:0.5.0";
        private String checkImage = "busybox:1.37.0";
        private int rolloutWaitSeconds = 600;

        /** @param v name prefix. @default {@code mycache} */
        public Builder namePrefix(String v) { this.namePrefix = v; return this; }
        /** @param v namespace. @default {@code default} */
        public Builder namespace(String v) { this.namespace = v; return this; }
        /** @param v image. @default {@code jphalip/mcrouter:0.36.0} (the lab's) */
        public Builder image(String v) { this.image = v; return this; }
        /** @param v proxy port. @default 5000 (mcrouter's customary port, the lab's) */
        public Builder port(int v) { this.port = v; return this; }
        /** @param v exposure. @default {@link Exposure#HOST_PORT} (the lab's) */
        public Builder exposure(Exposure v) { this.exposure = v; return this; }
        /** @param v CPU in millicores. @default 100 */
        public Builder cpuMillis(int v) { this.cpuMillis = v; return this; }
        /** @param v memory in MiB. @default 128 */
        public Builder memoryMiB(int v) { this.memoryMiB = v; return this; }
        /** @param v declare a NetworkPolicy. @default true */
        public Builder networkPolicy(boolean v) { this.networkPolicy = v; return this; }
        /** @param v allowed clients. @default the sample app's pods ({@code app=sample-application-py}) */
        public Builder allowedClients(List<ClientSelector> v) { this.allowedClients = v; return this; }
        /** @param v server timeout in ms. @default 250 (in-cluster round trips take well under a millisecond) */
        public Builder serverTimeoutMs(int v) { this.serverTimeoutMs = v; return this; }
        /** @param v first TKO probe in ms. @default 1000 (mcrouter's 10000 keeps a restarted shard out for 10-15 s) */
        public Builder probeTimeoutInitialMs(int v) { this.probeTimeoutInitialMs = v; return this; }
        /** @param v longest probe gap in ms. @default 10000 (mcrouter's 60000 means up to 90 s after a long outage) */
        public Builder probeTimeoutMaxMs(int v) { this.probeTimeoutMaxMs = v; return this; }
        /** @param v timeouts that mark a shard down. @default 3 (mcrouter's own) */
        public Builder timeoutsUntilTko(int v) { this.timeoutsUntilTko = v; return this; }
        /** @param v config reload delay in ms. @default 500 (kubelet swaps the file atomically) */
        public Builder reconfigurationDelayMs(int v) { this.reconfigurationDelayMs = v; return this; }
        /**
         * @param v exporter sidecar image, or null for none. @default {@code ghcr.io/dev25/mcrouter_exporter:0.5.0}
         *          (github.com/Dev25/mcrouter_exporter: reads mcrouter's {@code stats} on its port, per-server TKO included)
         */
        public Builder exporterImage(String v) { this.exporterImage = v; return this; }
        /** @param v the rollout check's image. @default {@code busybox:1.37.0} (sh, nc, nslookup, timeout, awk) */
        public Builder checkImage(String v) { this.checkImage = v; return this; }
        /** @param v seconds every proxy may take to converge. @default 600 (a one-node-at-a-time roll of a few nodes) */
        public Builder rolloutWaitSeconds(int v) { this.rolloutWaitSeconds = v; return this; }

        public McrouterArgs build() {
            return new McrouterArgs(namePrefix, namespace, image, port, exposure, cpuMillis, memoryMiB, networkPolicy,
                allowedClients, serverTimeoutMs, probeTimeoutInitialMs, probeTimeoutMaxMs, timeoutsUntilTko,
                reconfigurationDelayMs, exporterImage, checkImage, rolloutWaitSeconds);
        }
    }
}
