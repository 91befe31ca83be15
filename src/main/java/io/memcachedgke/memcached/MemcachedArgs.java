package io.memcachedgke.memcached;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import io.memcachedgke.config.Environment;
import io.memcachedgke.config.Formats;
import io.memcachedgke.config.Rule;
import io.memcachedgke.kube.ClientSelector;
import io.memcachedgke.kube.Names;
import io.memcachedgke.locate.Layout;
import io.memcachedgke.sizing.MemcachedSizing;

/**
 * The memcached tier: a StatefulSet of memcached pods behind its headless Service, and nothing else in
 * those pods (metrics are scraped from outside, so a metrics change never restarts a shard).
 *
 * @param namePrefix       prefix of every name; the StatefulSet and Service are {@code <prefix>-memcached}
 * @param namespace        namespace of the tier's objects
 * @param replicas         memcached pods (shards) of the layout to end with
 * @param memoryMiB        item memory per pod: memcached's {@code -m}
 * @param cpuMillis        CPU request (and limit) per pod; sets the worker threads {@code -t}
 * @param maxConnections   memcached's {@code -c}
 * @param image            memcached container image
 * @param spreadZones      spread pods across zones as well as nodes (regional clusters)
 * @param networkPolicy    declare the tier's NetworkPolicy
 * @param directClients    extra label selectors of pods allowed to reach memcached directly
 * @param warmUpSeconds    when shards restart (an image or flag change), how long after one is ready before
 *                         the next restarts: the StatefulSet's {@code minReadySeconds}
 * @param resize           a warm move from another number of pods, or null
 * @param nodeSelector     the node labels a shard's node must carry (a GKE stack: its node pool's), or empty for any
 *                         node. A new value rolls the shards onto the nodes that carry it, one at a time, each
 *                         {@code warmUpSeconds} after the previous is ready: how a replaced node pool is taken over
 */
public record MemcachedArgs(
    String namePrefix, String namespace, int replicas, int memoryMiB, int cpuMillis, int maxConnections,
    String image, boolean spreadZones, boolean networkPolicy, List<ClientSelector> directClients,
    int warmUpSeconds, Resize resize, Map<String, String> nodeSelector) {

    /** The memcached port, memcached's default. */
    public static final int PORT = 11211;
    public static final String PORT_NAME = "memcache";
    /** Pods carrying this label (value "true") may reach memcached directly, bypassing mcrouter. */
    public static final String DIRECT_CLIENT_LABEL = "memcached-gke/direct-client";
    /** Production's warm-up between shard restarts: five minutes for a restarted shard to refill. */
    public static final int PRODUCTION_WARM_UP_SECONDS = 300;
    /** Elsewhere: long enough for the proxies to take a restarted shard back (their probe timing). */
    public static final int DEVELOPMENT_WARM_UP_SECONDS = 30;

    public MemcachedArgs {
        directClients = List.copyOf(directClients);
        // Sorted: the record's text is hashed (Memcached.argsHash), and Map.copyOf's order changes from run to run.
        nodeSelector = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(nodeSelector));
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
        Rule.between("warmUpSeconds", MemcachedArgs::warmUpSeconds, 0, 3600),
        Rule.custom("nodeSelector", (a, p) -> a.nodeSelector().entrySet().stream()
            .filter(e -> !Formats.isLabelKey(e.getKey()) || !Formats.isLabelValue(e.getValue()))
            .findFirst()
            .map(e -> "must be Kubernetes node labels (a key such as cloud.google.com/gke-nodepool, a value of at most 63 "
                + "letters, digits, '-', '_' or '.'), but " + Rule.quote(e.getKey() + ": " + e.getValue()) + " was provided")
            .orElse(null)),
        Rule.custom("resize.from", (a, p) -> a.resize() != null && a.resize().from() != null
                && a.resize().from() == a.replicas()
            ? "must differ from " + p + "replicas (" + a.replicas() + "), but " + a.resize().from() + " was provided: "
                + "nothing moves; remove the resize block" : null));

    public List<String> problems(String keyPrefix) {
        var problems = new ArrayList<String>();
        if (resize != null) {
            problems.addAll(resize.problems(keyPrefix + "resize."));
        }
        problems.addAll(Rule.checkAll(RULES, this, keyPrefix));
        return problems;
    }

    /** The memory model for this tier's memcached containers. */
    public MemcachedSizing sizing() {
        return MemcachedSizing.of(memoryMiB, cpuMillis, maxConnections);
    }

    public Optional<Resize> resizing() {
        return Optional.ofNullable(resize);
    }

    /** The pods the StatefulSet runs: both layouts' during a move ({@code max(from, replicas)}). */
    public int podCount() {
        return resize == null ? replicas : Math.max(resize.from(), replicas);
    }

    /**
     * Whether the pods change before the proxies' config: when a move grows the pool, the new pods must be
     * ready before any proxy lists them. Otherwise the config changes first and pods go after every proxy
     * reports it (a shrink: surplus pods are removed only once no proxy sends them anything).
     */
    public boolean podsFirst() {
        return resize != null && replicas > resize.from();
    }

    /** {@code host:port} of the first {@code count} pods, in ordinal order: the order ch3 places keys by. */
    public List<String> servers(int count) {
        var sts = Names.memcached(namePrefix);
        return IntStream.range(0, count)
            .mapToObj(i -> Names.podHost(sts, i, sts, namespace) + ":" + PORT)
            .toList();
    }

    /** Where ch3 puts keys: the layout clients use now and the one to end with (the same when nothing moves). */
    public Layout layout() {
        return resize == null || resize.finish() ? Layout.plain(replicas).within(podCount())
            : new Layout(resize.from(), replicas);
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
        private Integer warmUpSeconds;
        private Environment environment = Environment.PRODUCTION;
        private Resize resize;
        private Map<String, String> nodeSelector = Map.of();

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
        /**
         * @param v seconds between shard restarts.
         * @default {@value #PRODUCTION_WARM_UP_SECONDS} in production, {@value #DEVELOPMENT_WARM_UP_SECONDS} elsewhere
         */
        public Builder warmUpSeconds(int v) { this.warmUpSeconds = v; return this; }
        /** @param v the stack's environment, for the warm-up default. @default production */
        public Builder environment(Environment v) { this.environment = v; return this; }
        /** @param v a warm move. @default none */
        public Builder resize(Resize v) { this.resize = v; return this; }
        /** @param v labels a shard's node must carry. @default none: any node */
        public Builder nodeSelector(Map<String, String> v) { this.nodeSelector = v; return this; }

        public MemcachedArgs build() {
            int warmUp = warmUpSeconds != null ? warmUpSeconds
                : environment == Environment.PRODUCTION ? PRODUCTION_WARM_UP_SECONDS : DEVELOPMENT_WARM_UP_SECONDS;
            return new MemcachedArgs(namePrefix, namespace, replicas, memoryMiB, cpuMillis, maxConnections,
                image, spreadZones, networkPolicy, directClients, warmUp, resize, nodeSelector);
        }
    }
}
