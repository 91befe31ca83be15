package memcachedgke.memcached;

import java.util.List;
import memcachedgke.kube.ClientSelector;
import memcachedgke.config.Formats;
import memcachedgke.config.Rule;
import memcachedgke.kube.Names;
import memcachedgke.metrics.MetricsArgs;
import memcachedgke.sizing.MemcachedSizing;

/**
 * The memcached tier: a StatefulSet of memcached pods behind its headless Service.
 *
 * @param namePrefix       prefix of every name; the StatefulSet and Service are {@code <prefix>-memcached}
 * @param namespace        namespace of the tier's objects
 * @param replicas         memcached pods (shards)
 * @param memoryMiB        item memory per pod: memcached's {@code -m}
 * @param cpuMillis        CPU request (and limit) per pod; sets the worker threads {@code -t}
 * @param maxConnections   memcached's {@code -c}
 * @param image            memcached container image
 * @param spreadZones      spread pods across zones as well as nodes (regional clusters)
 * @param networkPolicy    declare the tier's NetworkPolicy
 * @param directClients    extra label selectors of pods allowed to reach memcached directly
 * @param exporterImage    the memcached exporter sidecar's image
 * @param metrics          the exporter sidecar and how it is scraped
 */
public record MemcachedArgs(
    String namePrefix, String namespace, int replicas, int memoryMiB, int cpuMillis, int maxConnections,
    String image, boolean spreadZones, boolean networkPolicy, List<ClientSelector> directClients,
    String exporterImage, MetricsArgs metrics) {

    /** The memcached port, memcached's default. */
    public static final int PORT = 11211;
    public static final String PORT_NAME = "memcache";
    /** Pods carrying this label (value "true") may reach memcached directly, bypassing mcrouter. */
    public static final String DIRECT_CLIENT_LABEL = "memcached-gke/direct-client";
    /** The memcached exporter's port, its default. */
    public static final int EXPORTER_PORT = 9150;

    public MemcachedArgs {
        directClients = List.copyOf(directClients);
    }

    /** The validation table; keys relative to the tier's config block. */
    public static final List<Rule<MemcachedArgs>> RULES = List.of(
        Rule.between("replicas", MemcachedArgs::replicas, 1, 64),
        Rule.between("memoryMiB", MemcachedArgs::memoryMiB, 16, 262144),
        Rule.custom("cpuMillis", (a, p) -> a.cpuMillis() < MemcachedSizing.CPU_MILLIS_PER_THREAD
            ? "must be at least " + MemcachedSizing.CPU_MILLIS_PER_THREAD + " (one memcached worker thread per "
                + MemcachedSizing.CPU_MILLIS_PER_THREAD + "m), but " + a.cpuMillis() + " was provided, which gives 0 threads"
            : null),
        Rule.between("maxConnections", MemcachedArgs::maxConnections, 64, 65536),
        Rule.matches("image", MemcachedArgs::image, Formats.PINNED_IMAGE, Formats.PINNED_IMAGE_TEXT),
        Rule.matches("exporterImage", MemcachedArgs::exporterImage, Formats.PINNED_IMAGE, Formats.PINNED_IMAGE_TEXT));

    public List<String> problems(String keyPrefix) {
        return Rule.checkAll(RULES, this, keyPrefix);
    }

    /** Memory of one pod: memcached's limit plus the exporter sidecar's. */
    public int podMemoryMiB() {
        return sizing().limitMiB() + metrics.exporterMiB();
    }

    /** The memory model for this tier's memcached containers. */
    public MemcachedSizing sizing() {
        return MemcachedSizing.of(memoryMiB, cpuMillis, maxConnections);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String namePrefix = Names.DEFAULT_PREFIX;
        private String namespace = Names.DEFAULT_NAMESPACE;
        private int replicas = 3;
        private int memoryMiB = 64;
        private int cpuMillis = 250;
        private int maxConnections = 1024;
        private String image = "memcached:1.6.38-alpine";
        private boolean spreadZones = false;
        private boolean networkPolicy = true;
        private List<ClientSelector> directClients = List.of();
        private String exporterImage = "prom/memcached-exporter:v0.15.4";
        private MetricsArgs metrics = MetricsArgs.builder().build();

        /** @param v name prefix. @default {@code mycache} (the lab's release name) */
        public Builder namePrefix(String v) { this.namePrefix = v; return this; }
        /** @param v namespace. @default {@code default} */
        public Builder namespace(String v) { this.namespace = v; return this; }
        /** @param v memcached pods. @default 3 (the lab's {@code replicaCount=3}) */
        public Builder replicas(int v) { this.replicas = v; return this; }
        /** @param v item memory per pod in MiB ({@code -m}). @default 64 (memcached's own default) */
        public Builder memoryMiB(int v) { this.memoryMiB = v; return this; }
        /** @param v CPU per pod in millicores. @default 250 (one worker thread) */
        public Builder cpuMillis(int v) { this.cpuMillis = v; return this; }
        /** @param v maximum simultaneous connections ({@code -c}). @default 1024 (memcached's own default) */
        public Builder maxConnections(int v) { this.maxConnections = v; return this; }
        /** @param v container image. @default {@code memcached:1.6.38-alpine} */
        public Builder image(String v) { this.image = v; return this; }
        /** @param v spread across zones too. @default false */
        public Builder spreadZones(boolean v) { this.spreadZones = v; return this; }
        /** @param v declare a NetworkPolicy. @default true */
        public Builder networkPolicy(boolean v) { this.networkPolicy = v; return this; }
        /** @param v extra selectors of direct clients. @default none: only mcrouter and labelled pods */
        public Builder directClients(List<ClientSelector> v) { this.directClients = v; return this; }
        /** @param v exporter sidecar image. @default {@code prom/memcached-exporter:v0.15.4} (the Prometheus project's) */
        public Builder exporterImage(String v) { this.exporterImage = v; return this; }
        /** @param v metrics. @default exporters on, a PodMonitoring, no ServiceMonitor ({@link MetricsArgs.Builder}) */
        public Builder metrics(MetricsArgs v) { this.metrics = v; return this; }

        public MemcachedArgs build() {
            return new MemcachedArgs(namePrefix, namespace, replicas, memoryMiB, cpuMillis, maxConnections,
                image, spreadZones, networkPolicy, directClients, exporterImage, metrics);
        }
    }
}
