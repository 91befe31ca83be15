package memcachedgke.mcrouter;

import java.util.List;
import java.util.Map;
import memcachedgke.config.Formats;
import memcachedgke.config.Rule;
import memcachedgke.kube.ClientSelector;
import memcachedgke.kube.Names;

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
 */
public record McrouterArgs(
    String namePrefix, String namespace, String image, int port,
    Exposure exposure, int cpuMillis, int memoryMiB, boolean networkPolicy, List<ClientSelector> allowedClients) {

    public static final String PORT_NAME = "mcrouter";
    public static final String CONFIG_DIR = "/etc/mcrouter";
    public static final String CONFIG_FILE = CONFIG_DIR + "/config.json";
    /** mcrouter's default {@code --async-dir} and {@code --stats-root}: written at run time. */
    public static final List<String> WRITABLE_DIRS = List.of("/var/spool/mcrouter", "/var/mcrouter");
    /** The pod template annotation that carries the config hash. */
    public static final String CONFIG_HASH_ANNOTATION = "memcached-gke/config-sha256";

    public McrouterArgs {
        allowedClients = List.copyOf(allowedClients);
    }

    public static final List<Rule<McrouterArgs>> RULES = List.of(
        Rule.matches("image", McrouterArgs::image, Formats.PINNED_IMAGE, Formats.PINNED_IMAGE_TEXT),
        Rule.between("port", McrouterArgs::port, 1024, 65535),
        Rule.between("cpuMillis", McrouterArgs::cpuMillis, 50, 16000),
        Rule.between("memoryMiB", McrouterArgs::memoryMiB, 64, 65536),
        Rule.custom("allowedClients", (a, p) -> a.allowedClients().isEmpty() && a.networkPolicy()
            ? "must name at least one client selector while the NetworkPolicy is on, but [] was provided" : null));

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

        public McrouterArgs build() {
            return new McrouterArgs(namePrefix, namespace, image, port, exposure, cpuMillis, memoryMiB,
                networkPolicy, allowedClients);
        }
    }
}
