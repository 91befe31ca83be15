package io.memcachedgke.kube;

/** The ports the tiers listen on and reach each other by: each written once. */
public final class Ports {
    private Ports() {}

    /** memcached's port, memcached's default, and its container port's name. */
    public static final int MEMCACHED = 11211;
    public static final String MEMCACHED_NAME = "memcache";
    /** The name of every exporter's container port (the memcached exporter's are {@code metrics-<shard>}). */
    public static final String METRICS_NAME = "metrics";
    /** The memcached exporter's first port, its default; the exporter of shard i listens on this + i. */
    public static final int MEMCACHED_EXPORTER = 9150;
    /** The mcrouter exporter's port, its default. */
    public static final int MCROUTER_EXPORTER = 9442;
}
