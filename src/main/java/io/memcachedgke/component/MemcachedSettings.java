package io.memcachedgke.component;

import com.pulumi.core.annotations.Import;
import java.util.List;
import java.util.Map;

/** The memcached tier (stack config: {@code memcached-gke:memcached}). */
@Description("The memcached shards: a StatefulSet `<namePrefix>-memcached` behind its headless Service.")
public final class MemcachedSettings {
    /** @default 3 */
    @Import(name = "replicas")
    @Description("Shards (1-64): the layout to end with during a resize. Default: 3.")
    private Integer replicas;

    /** @default 64 */
    @Import(name = "memoryMiB")
    @Description("Item memory per shard in MiB, memcached's `-m` (16-262144); the container's limit adds memcached's "
        + "own overhead. Default: 64.")
    private Integer memoryMiB;

    /** @default 250 */
    @Import(name = "cpuMillis")
    @Description("CPU request and limit per shard in millicores, at least 250: one worker thread (`-t`) per 250. Default: 250.")
    private Integer cpuMillis;

    /** @default 1024 */
    @Import(name = "maxConnections")
    @Description("memcached's `-c` (64-65536). Default: 1024.")
    private Integer maxConnections;

    /** @default memcached:1.6.38-alpine */
    @Import(name = "image")
    @Description("Container image, pinned to a tag other than `latest` or to a digest. A new image restarts every "
        + "shard, one at a time. Default: `memcached:1.6.38-alpine`.")
    private String image;

    /** @default 300 in production, 30 otherwise */
    @Import(name = "warmUpSeconds")
    @Description("When shards restart, how long after one is ready before the next (0-3600): the StatefulSet's "
        + "`minReadySeconds`. Default: 300 in production, 30 otherwise.")
    private Integer warmUpSeconds;

    /** @default prom/memcached-exporter:v0.15.4 */
    @Import(name = "exporterImage")
    @Description("The memcached exporter Deployment's image (with `metrics.exporters`); pinned. Default: "
        + "`prom/memcached-exporter:v0.15.4`.")
    private String exporterImage;

    /** @default none */
    @Import(name = "directClients")
    @Description("Label sets of further pods allowed to reach memcached directly, bypassing mcrouter. Default: none.")
    private List<Map<String, String>> directClients;

    /** @default any node */
    @Import(name = "nodeSelector")
    @Description("Node labels a shard's node must carry, e.g. `{\"cloud.google.com/gke-nodepool\": \"cache\"}`. A new "
        + "value moves the shards onto the nodes that carry it, one at a time, each after the warm-up. Default: any node.")
    private Map<String, String> nodeSelector;

    @Import(name = "resize")
    @Description("A warm move from another number of shards; unset when not resizing.")
    private ResizeSettings resize;

    MemcachedSettings() {}
}
