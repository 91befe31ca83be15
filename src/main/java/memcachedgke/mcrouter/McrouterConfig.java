package memcachedgke.mcrouter;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import memcachedgke.kube.Hashes;

/**
 * mcrouter's {@code config.json}: one pool {@value #POOL} of every memcached server, in ordinal order
 * (mcrouter's consistent hash keys on position, so the order must not change), and a
 * {@code PoolRoute} to it. Serialized with sorted keys so that the same servers give the same bytes
 * and the same hash.
 */
@JsonPropertyOrder({"pools", "route"})
public record McrouterConfig(
    @JsonProperty("pools") Map<String, Pool> pools,
    @JsonProperty("route") String route) {

    public static final String POOL = "A";

    public record Pool(@JsonProperty("servers") List<String> servers) {
        public Pool {
            servers = List.copyOf(servers);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    /** One server a line, so a diff of the ConfigMap shows which server changed. */
    private static final DefaultPrettyPrinter PRETTY =
        new DefaultPrettyPrinter().withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE)
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER));

    public McrouterConfig {
        pools = new TreeMap<>(pools);
    }

    /** The config for one pool of {@code servers} ({@code host:port}, in ordinal order). */
    public static McrouterConfig forServers(List<String> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("mcrouter needs at least one memcached server");
        }
        return new McrouterConfig(Map.of(POOL, new Pool(servers)), "PoolRoute|" + POOL);
    }

    public String toJson() {
        try {
            return JSON.writer(PRETTY).writeValueAsString(this).replace("\r\n", "\n") + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of {@link #toJson()}, hex; put on the pod template so a new config rolls the proxies. */
    public String sha256() {
        return Hashes.sha256(toJson());
    }
}
