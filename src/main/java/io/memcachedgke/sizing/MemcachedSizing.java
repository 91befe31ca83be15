package io.memcachedgke.sizing;

/**
 * From the item memory of one memcached pod, what memcached needs beyond it and what the container
 * must be given. memcached's {@code -m} caps only slab memory for items; connection buffers, worker
 * threads and the hash table come on top (memcached wiki, "ConfiguringServer"), and a container whose
 * limit is {@code -m} is OOM-killed as it fills. Every term is an upper bound, so that a full cache
 * stays under the limit.
 *
 * @param itemMiB        {@code -m}: memory for items
 * @param threads        {@code -t}: worker threads, one per {@link #CPU_MILLIS_PER_THREAD} of CPU request
 * @param maxConnections {@code -c}
 * @param connectionMiB  connection buffers at {@code -c} open connections
 * @param threadMiB      per-thread stacks and caches
 * @param hashTableMiB   the hash table at its largest, during an expansion (old and new tables)
 * @param slackMiB       allocator fragmentation and slab bookkeeping
 * @param baseMiB        the process itself: binary, libraries, LRU crawler, stats
 * @param limitMiB       the container's memory request and limit
 */
public record MemcachedSizing(
    int itemMiB, int threads, int maxConnections,
    int connectionMiB, int threadMiB, int hashTableMiB, int slackMiB, int baseMiB, int limitMiB) {

    /** One worker thread per quarter core of CPU request; below that a thread only adds contention. */
    public static final int CPU_MILLIS_PER_THREAD = 250;
    /** memcached accepts at most 64 worker threads and gains nothing past 16 on one shard. */
    public static final int MAX_THREADS = 16;
    /** Read buffer (16 KiB in 1.6) plus the connection object and a response buffer. */
    static final int CONNECTION_KIB = 20;
    /**
     * What TLS adds per connection, at most: OpenSSL's read and write record buffers (up to 16 KiB of plaintext each,
     * plus headers: SSL3_RT_MAX_PLAIN_LENGTH), the SSL object and memcached's own TLS write buffer
     * ({@code ssl_wbuf_size}, 16 KiB by default: memcached doc/tls.txt).
     */
    static final int TLS_CONNECTION_KIB = 56;
    static final int THREAD_MIB = 2;
    static final int BASE_MIB = 16;
    /** The smallest slab chunk (48-byte header and minimum item); bounds the number of items. */
    static final int SMALLEST_CHUNK_BYTES = 96;
    /** memcached grows its hash table when items exceed 1.5 per bucket. */
    static final double LOAD_FACTOR = 1.5;
    static final int SLACK_PERCENT = 5;

    /** @return threads for a CPU request; 0 means the request is too small for one worker thread. */
    public static int threadsFor(int cpuMillis) {
        return Math.min(MAX_THREADS, cpuMillis / CPU_MILLIS_PER_THREAD);
    }

    /**
     * @throws IllegalArgumentException when the CPU request gives no worker thread; the config rules
     *     report that case with the key before this is called
     */
    public static MemcachedSizing of(int itemMiB, int cpuMillis, int maxConnections) {
        return of(itemMiB, cpuMillis, maxConnections, false);
    }

    /** The same, for a memcached that serves TLS ({@code tls}): each connection carries its TLS buffers too. */
    public static MemcachedSizing of(int itemMiB, int cpuMillis, int maxConnections, boolean tls) {
        int threads = threadsFor(cpuMillis);
        if (threads < 1) {
            throw new IllegalArgumentException("a CPU request of " + cpuMillis + "m gives no memcached worker thread");
        }
        int connectionMiB = ceilDiv((long) maxConnections * (CONNECTION_KIB + (tls ? TLS_CONNECTION_KIB : 0)), 1024);
        int threadMiB = threads * THREAD_MIB;
        int hashTableMiB = hashTableMiB(itemMiB);
        int slackMiB = ceilDiv((long) itemMiB * SLACK_PERCENT, 100);
        int total = itemMiB + connectionMiB + threadMiB + hashTableMiB + slackMiB + BASE_MIB;
        int limit = ceilDiv(total, 8) * 8; // whole 8 MiB steps keep the rendered limit readable
        return new MemcachedSizing(itemMiB, threads, maxConnections,
            connectionMiB, threadMiB, hashTableMiB, slackMiB, BASE_MIB, limit);
    }

    /** The hash table when every item is the smallest chunk, with the old table alive during growth. */
    static int hashTableMiB(int itemMiB) {
        long maxItems = (long) itemMiB * 1024 * 1024 / SMALLEST_CHUNK_BYTES;
        long buckets = Long.highestOneBit((long) Math.ceil(maxItems / LOAD_FACTOR));
        if (buckets < maxItems / LOAD_FACTOR) {
            buckets <<= 1;
        }
        buckets = Math.max(buckets, 1L << 16); // memcached starts at hashpower 16
        long bytes = buckets * 8 + buckets * 8 / 2; // new table plus the old one, half its size
        return ceilDiv(bytes, 1024 * 1024);
    }

    /** The memcached arguments this sizing stands for, in the order the container runs them. */
    public java.util.List<String> args(int port) {
        return java.util.List.of(
            "-p", Integer.toString(port),
            "-U", "0",
            "-m", Integer.toString(itemMiB),
            "-c", Integer.toString(maxConnections),
            "-t", Integer.toString(threads));
    }

    private static int ceilDiv(long a, long b) {
        return (int) ((a + b - 1) / b);
    }
}
