package io.memcachedgke.mcrouter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import io.memcachedgke.config.Json;
import io.memcachedgke.kube.Hashes;

/**
 * mcrouter's {@code config.json}, built as a tree and written by Jackson (never from a string template).
 *
 * <p><b>Plain:</b> one pool {@value #POOL} of every memcached server, in ordinal order (ch3 keys on position),
 * and the route {@code PoolRoute|A}: the lab's config.
 *
 * <p><b>Moving between layouts</b> ({@link #migrating}): pool {@value #POOL} is the layout clients use now
 * and pool {@value #NEXT_POOL} the one to end with. Read upstream's route handles to see why it holds:
 * <ul>
 *   <li>{@code delete} and {@code set} go to both pools for the whole move ({@code AllSyncRoute}, which waits for
 *       every child and answers the worst reply: {@code mcrouter/lib/routes/AllSyncRoute.h}): a deleted key is in
 *       neither layout, so nothing can copy it back, and neither layout ever holds a value older than the other's,
 *       so a fallback read can only find the latest value. Sets reach both from the moment a proxy loads the
 *       config, not from a key's switch: the switch is read off each proxy's own clock, and a proxy whose clock is
 *       behind would otherwise still write the old layout only after another had copied the key into the new one
 *       (ResizeCaveatsTest, clock skew). Sending them to both also fills the new layout before keys switch;
 *   <li>everything else goes through one {@code MigrateRoute} ({@code mcrouter/lib/routes/MigrateRoute.h}
 *       lines 154-186): to {@value #POOL} until a key's switch time, then to the new layout. Its switch time is
 *       {@code start_time + interval + hash(key) % interval}; with {@code start_time} one window before the
 *       move's start and {@code interval} the window, keys switch one by one across the window (mcrouter 0.36
 *       switches them all at the window's start). Deletes and sets never reach it, so its delete phase plays no
 *       part;
 *   <li>after the switch, gets go through {@code WarmUpRoute} ({@code mcrouter/routes/WarmUpRoute.h} lines
 *       90-108): the new layout first, and on a miss the old one, whose hit is copied into the new layout with
 *       {@code add} (which never overwrites a newer value) and an expiry of the copy TTL (the open-source build
 *       cannot read the item's own: {@code WarmUpRoute.cpp} lines 29-54, {@code isMetagetAvailable()} false).
 * </ul>
 * The result is the same text whatever the clock says: times are the move's declared start and window.
 */
public record McrouterConfig(Map<String, Pool> pools, Object route) {

    /** The pool of the layout clients use: the only pool of a plain config. */
    public static final String POOL = "A";
    /** During a move, the pool of the layout to end with. */
    public static final String NEXT_POOL = "B";
    /** memcached reads an expiry above 30 days as a Unix time, not a duration. */
    public static final long MAX_RELATIVE_EXPTIME = 30L * 24 * 3600;

    /**
     * @param servers {@code host:port}, in ordinal order
     * @param ssl     connect over TLS: {@code "use_ssl": true}, the pool key 0.36 (the lab's image) reads and today's
     *                reads as {@code security_mech: ssl} (mcrouter routes/McRouteHandleProvider.cpp,
     *                {@code getCommonAccessPointAttributes}); {@code security_mech} is unknown to 0.36
     */
    public record Pool(List<String> servers, boolean ssl) {
        public Pool {
            servers = List.copyOf(servers);
        }

        public Pool(List<String> servers) {
            this(servers, false);
        }
    }

    /** The same config, every pool over TLS (the shards serve only TLS: mutual TLS). */
    public McrouterConfig overTls() {
        var out = new TreeMap<String, Pool>();
        pools.forEach((name, pool) -> out.put(name, new Pool(pool.servers(), true)));
        return new McrouterConfig(out, route);
    }

    /**
     * A move of the keys from one layout to another.
     *
     * @param from               the servers clients use now, in ordinal order
     * @param to                 the servers to end with, in ordinal order
     * @param startEpochSecond   when keys start to switch (Unix seconds, UTC)
     * @param windowSeconds      over how long they switch
     * @param copyTtlSeconds     the expiry of a value copied from the old layout into the new one
     */
    public record Migration(List<String> from, List<String> to, long startEpochSecond, long windowSeconds,
                            long copyTtlSeconds) {
        public Migration {
            from = List.copyOf(from);
            to = List.copyOf(to);
            if (from.isEmpty() || to.isEmpty()) {
                throw new IllegalArgumentException("mcrouter needs at least one memcached server in each layout");
            }
            if (windowSeconds < 1 || copyTtlSeconds < 1 || copyTtlSeconds > MAX_RELATIVE_EXPTIME) {
                throw new IllegalArgumentException("a move needs a window of at least 1 s and a copy TTL of 1 s to 30 days: "
                    + windowSeconds + ", " + copyTtlSeconds);
            }
        }
    }

    private static final ObjectMapper JSON = Json.MAPPER;
    /** Two-space indent, one array element a line, so a diff of the ConfigMap shows which server changed. */
    private static final DefaultPrettyPrinter PRETTY =
        new DefaultPrettyPrinter().withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE)
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));

    public McrouterConfig {
        pools = new TreeMap<>(pools);
    }

    /** The plain config: one pool of {@code servers} ({@code host:port}, in ordinal order). */
    public static McrouterConfig plain(List<String> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("mcrouter needs at least one memcached server");
        }
        return new McrouterConfig(Map.of(POOL, new Pool(servers)), poolRoute(POOL));
    }

    /** The config of a move between layouts (see the class comment for why each route is there). */
    public static McrouterConfig migrating(Migration m) {
        var bothPools = route("AllSyncRoute", "children", List.of(poolRoute(POOL), poolRoute(NEXT_POOL)));
        var warmUp = route("WarmUpRoute", "cold", poolRoute(NEXT_POOL));
        warmUp.put("warm", poolRoute(POOL));
        warmUp.put("exptime", m.copyTtlSeconds());
        var migrate = route("MigrateRoute", "from", poolRoute(POOL));
        migrate.put("to", warmUp);
        // A key switches at start_time + interval + hash % interval: across [start, start + window).
        migrate.put("start_time", m.startEpochSecond() - m.windowSeconds());
        migrate.put("interval", m.windowSeconds());
        var top = route("OperationSelectorRoute", "default_policy", migrate);
        top.put("operation_policies", new TreeMap<>(Map.of("delete", bothPools, "set", bothPools)));
        return new McrouterConfig(Map.of(POOL, new Pool(m.from()), NEXT_POOL, new Pool(m.to())), top);
    }

    /**
     * The last step of a move ({@code resize.finish}): everything reads and writes the new layout (pool B) and
     * deletes still reach both, so that while some proxies still run the moving config (which falls back to the old
     * layout on a miss) no key another proxy deleted can be found there and copied back. Once every proxy runs this
     * (the rollout check), the block can go: no proxy reads the old layout any more.
     */
    public static McrouterConfig finishing(Migration m) {
        var bothPools = route("AllSyncRoute", "children", List.of(poolRoute(POOL), poolRoute(NEXT_POOL)));
        var top = route("OperationSelectorRoute", "default_policy", poolRoute(NEXT_POOL));
        top.put("operation_policies", Map.of("delete", bothPools));
        return new McrouterConfig(Map.of(POOL, new Pool(m.from()), NEXT_POOL, new Pool(m.to())), top);
    }

    private static String poolRoute(String pool) {
        return "PoolRoute|" + pool;
    }

    /** A route handle object: its type first, then its fields in the order they are added. */
    private static Map<String, Object> route(String type, String field, Object value) {
        var m = new LinkedHashMap<String, Object>();
        m.put("type", type);
        m.put(field, value);
        return m;
    }

    /** Every server of every pool, each once, in pool then ordinal order. */
    public List<String> allServers() {
        return pools.values().stream().flatMap(p -> p.servers().stream()).distinct().toList();
    }

    /** The file's text: {@code pools} then {@code route}, a trailing newline. */
    public String toJson() {
        var root = new LinkedHashMap<String, Object>();
        var pools = new TreeMap<String, Object>();
        this.pools.forEach((name, pool) -> pools.put(name, pool.ssl()
            ? new TreeMap<>(Map.of("servers", pool.servers(), "use_ssl", true)) : Map.of("servers", pool.servers())));
        root.put("pools", pools);
        root.put("route", route);
        try {
            return JSON.writer(PRETTY).writeValueAsString(root).replace("\r\n", "\n") + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What every proxy answers for {@code get __mcrouter__.config_md5_digest}: the lowercase hex MD5 of the
     * config file's bytes as read, before macro processing ({@code mcrouter/ProxyConfigBuilder.cpp}
     * {@code configMd5Digest_ = Md5Hash(jsonC)}; {@code mcrouter/ServiceInfo-inl.h} registers the command).
     */
    public String md5() {
        try {
            var digest = MessageDigest.getInstance("MD5").digest(toJson().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of {@link #toJson()}, hex: names the Jobs that check a config. */
    public String sha256() {
        return Hashes.sha256(toJson());
    }
}
