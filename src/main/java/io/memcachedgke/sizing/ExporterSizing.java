package io.memcachedgke.sizing;

/** An exporter is a small Go program: what each exporter container requests (and is limited to). */
public final class ExporterSizing {
    private ExporterSizing() {}

    public static final int CPU_MILLIS = 20;
    public static final int MEMORY_MIB = 32;
    /** The Go runtime's soft limit, below the container limit so that it collects garbage before the OOM killer acts. */
    public static final String GOMEMLIMIT = "24MiB";

    /** Memory of the memcached exporter pod: one container per shard. */
    public static int memcachedExporterPodMiB(int shards) {
        return shards * MEMORY_MIB;
    }
}
