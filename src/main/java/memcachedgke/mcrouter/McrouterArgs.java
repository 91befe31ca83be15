package memcachedgke.mcrouter;

import java.util.List;
import java.util.Map;
import memcachedgke.config.Formats;
import memcachedgke.config.Rule;
import memcachedgke.kube.ClientSelector;
import memcachedgke.kube.Names;
import memcachedgke.metrics.MetricsArgs;

/**
 * The mcrouter tier: one proxy per node (a DaemonSet) routing to the memcached pool.
 *
 * @param namePrefix     prefix; the ConfigMap, DaemonSet and Service are {@code <prefix>-mcrouter}
 * @param namespace      namespace of the tier's objects
 * @param image          mcrouter container image
 * @param port           the proxy's port
 * @param exposure       how apps reach the proxy on their node
 * @param cpuMillis      CPU request and limit per proxy
 * @param memoryMiB      memory request and limit per proxy
 * @param networkPolicy  declare the tier's NetworkPolicy
 * @param allowedClients label selectors of the pods allowed to use the proxy
 * @param exporterImage  the mcrouter exporter sidecar's image
 * @param metrics        the exporter sidecar and how it is scraped
 */
public record McrouterArgs(
    String namePrefix, String namespace, String image, int port,
    Exposure exposure, int cpuMillis, int memoryMiB, boolean networkPolicy, List<ClientSelector> allowedClients,
    String exporterImage, MetricsArgs metrics) {

    public static final String PORT_NAME = "mcrouter";
    public static final String CONFIG_DIR = "/etc/mcrouter";
    public static final String CONFIG_FILE = CONFIG_DIR + "/config.json";
    /** mcrouter's default {@code --async-dir} and {@code --stats-root}: written at run time. */
    public static final List<String> WRITABLE_DIRS = List.of("/var/spool/mcrouter", "/var/mcrouter");
    /** The pod template annotation that carries the config hash. */
    public static final String CONFIG_HASH_ANNOTATION = "memcached-gke/config-sha256";
    /** The mcrouter exporter's port, its default. */
    public static final int EXPORTER_PORT = 9442;
    /** The environment of a client pod: where the proxy on its own node answers (host, then port). */
    public static final String HOST_ENV = "MCROUTER_HOST";
    public static final String PORT_ENV = "MCROUTER_PORT";

    public McrouterArgs {
        allowedClients = List.copyOf(allowedClients);
    }

    public static final List<Rule<McrouterArgs>> RULES = List.of(
        Rule.matches("image", McrouterArgs::image, Formats.PINNED_IMAGE, Formats.PINNED_IMAGE_TEXT),
        Rule.between("port", McrouterArgs::port, 1024, 65535),
        Rule.custom("port", (a, p) -> a.metrics().exporters() && a.port() == EXPORTER_PORT
            ? "must not be " + EXPORTER_PORT + ", the mcrouter exporter's port, but " + a.port() + " was provided" : null),
        Rule.between("cpuMillis", McrouterArgs::cpuMillis, 50, 16000),
        Rule.between("memoryMiB", McrouterArgs::memoryMiB, 64, 65536),
        Rule.custom("allowedClients", (a, p) -> a.allowedClients().isEmpty() && a.networkPolicy()
            ? "must name at least one client selector while the NetworkPolicy is on, but [] was provided" : null),
        Rule.matches("exporterImage", McrouterArgs::exporterImage, Formats.PINNED_IMAGE, Formats.PINNED_IMAGE_TEXT));

    public List<String> problems(String keyPrefix) {
        return Rule.checkAll(RULES, this, keyPrefix);
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
        private String exporterImage = "ghcr.io/dev25/mcrouter_exporter:0.5.0";
        private MetricsArgs metrics = MetricsArgs.builder().build();

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
        /**
         * @param v exporter sidecar image. @default {@code ghcr.io/dev25/mcrouter_exporter:0.5.0}
         *          (github.com/Dev25/mcrouter_exporter: reads mcrouter's {@code stats} on its port, per-server TKO included)
         */
        public Builder exporterImage(String v) { this.exporterImage = v; return this; }
        /** @param v metrics. @default exporters on, a PodMonitoring, no ServiceMonitor ({@link MetricsArgs.Builder}) */
        public Builder metrics(MetricsArgs v) { this.metrics = v; return this; }

        public McrouterArgs build() {
            return new McrouterArgs(namePrefix, namespace, image, port, exposure, cpuMillis, memoryMiB,
                networkPolicy, allowedClients, exporterImage, metrics);
        }
    }
}
