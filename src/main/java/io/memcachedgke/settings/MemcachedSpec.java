package io.memcachedgke.settings;

import io.memcachedgke.config.Environment;
import java.util.List;
import java.util.Map;

/** The memcached shards. */
@Doc("The memcached shards: a StatefulSet `<namePrefix>-memcached` behind its headless Service.")
public record MemcachedSpec(
    @Doc("1–64 shards (the layout to end with during a resize)") int replicas,
    @Doc("16–262144: item memory per shard in MiB, memcached's `-m`. The container gets more: memcached's own "
        + "overhead on top")
    int memoryMiB,
    @Doc("At least 250: CPU request and limit per shard in millicores; one worker thread (`-t`) per 250, at most 16")
    int cpuMillis,
    @Doc("64–65536: memcached's `-c`") int maxConnections,
    @Doc("Container image, pinned to a tag other than `latest` or to a digest. A new image restarts every shard, "
        + "one at a time")
    String image,
    @Doc(value = "0–3600: when shards restart, how long after one is ready before the next restarts (the "
        + "StatefulSet's `minReadySeconds`)",
        dflt = "`" + MemcachedSpec.PRODUCTION_WARM_UP_SECONDS + "` in production, `"
            + MemcachedSpec.DEVELOPMENT_WARM_UP_SECONDS + "` in development")
    Integer warmUpSeconds,
    @Doc("The memcached exporter Deployment's image (with `metrics.exporters`); pinned") String exporterImage,
    @Doc("Node labels a shard's node must carry, e.g. `{cloud.google.com/gke-nodepool: cache}`; not on a GKE stack, "
        + "where the program sets it to the node pool's label. A new value moves the shards onto the nodes that carry "
        + "it, one at a time, each after the warm-up")
    Map<String, String> nodeSelector,
    @Doc("Label sets of further pods allowed to reach memcached directly, bypassing mcrouter, e.g. `[{app: my-app}]`. "
        + "Pods labelled `memcached-gke/direct-client: \"true\"` are always allowed")
    List<Map<String, String>> directClients,
    @Doc(value = "A warm move from another number of shards", dflt = "unset (no move)")
    ResizeSpec resize) {

    /** Production's warm-up between shard restarts: five minutes for a restarted shard to refill. */
    public static final int PRODUCTION_WARM_UP_SECONDS = 300;
    /** Elsewhere: long enough for the proxies to take a restarted shard back (their probe timing). */
    public static final int DEVELOPMENT_WARM_UP_SECONDS = 30;

    public static final MemcachedSpec DEFAULTS = new MemcachedSpec(3, 64, 250, 1024, "memcached:1.6.38-alpine", null,
        "prom/memcached-exporter:v0.15.4", Map.of(), List.of(), null);

    public MemcachedSpec {
        nodeSelector = Copies.map(nodeSelector);
        directClients = Copies.maps(directClients);
    }

    /** The warm-up: the one given, or the environment's. */
    public int warmUpSeconds(Environment environment) {
        return warmUpSeconds != null ? warmUpSeconds
            : environment == Environment.PRODUCTION ? PRODUCTION_WARM_UP_SECONDS : DEVELOPMENT_WARM_UP_SECONDS;
    }

    /** The pods the StatefulSet runs: both layouts' during a move ({@code max(from, replicas)}). */
    public int podCount() {
        return resize == null || resize.from() == null ? replicas : Math.max(resize.from(), replicas);
    }
}
