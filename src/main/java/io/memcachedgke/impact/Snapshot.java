package io.memcachedgke.impact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.memcachedgke.config.Json;

/**
 * What a render says about the cache: the memcached StatefulSet, the proxies' config and DaemonSet, and every
 * other resource, read from a render's {@code resources.json} (docs/development.md, "The offline render").
 *
 * @param resources every resource: {@code type::name} to its inputs
 * @param shards    the memcached StatefulSet's replicas (0 when the render has none)
 * @param shardTemplate the StatefulSet's pod template, or null
 * @param proxyTemplate the mcrouter DaemonSet's pod template, or null
 * @param config    the proxies' {@code config.json}, parsed, or null
 * @param configText the proxies' {@code config.json} as written, or null
 */
public record Snapshot(Map<String, JsonNode> resources, int shards, JsonNode shardTemplate, JsonNode proxyTemplate,
                       JsonNode config, String configText) {

    private static final ObjectMapper JSON = Json.MAPPER;

    /** Reads {@code <dir>/resources.json}. */
    public static Snapshot read(Path renderDir) {
        var file = renderDir.resolve("resources.json");
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(file + " does not exist (render it first: mvn -B -q compile exec:java@render "
                + "-Dstack=<stack>)");
        }
        try {
            return of(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static Snapshot of(JsonNode rendered) throws IOException {
        var resources = new LinkedHashMap<String, JsonNode>();
        int shards = 0;
        JsonNode shardTemplate = null;
        JsonNode proxyTemplate = null;
        JsonNode config = null;
        String configText = null;
        for (JsonNode r : rendered) {
            var type = r.path("type").asText();
            var inputs = r.path("inputs");
            resources.put(type + "::" + r.path("name").asText(), inputs);
            switch (type) {
                case "kubernetes:apps/v1:StatefulSet" -> {
                    if (runs(inputs, "memcached")) {
                        shards = inputs.path("spec").path("replicas").asInt();
                        shardTemplate = inputs.path("spec").path("template");
                    }
                }
                case "kubernetes:apps/v1:DaemonSet" -> {
                    if (runs(inputs, "mcrouter")) {
                        proxyTemplate = inputs.path("spec").path("template");
                    }
                }
                case "kubernetes:core/v1:ConfigMap" -> {
                    var text = inputs.path("data").path("config.json");
                    if (text.isTextual()) {
                        configText = text.asText();
                        config = JSON.readTree(configText);
                    }
                }
                default -> { }
            }
        }
        return new Snapshot(resources, shards, shardTemplate, proxyTemplate, config, configText);
    }

    private static boolean runs(JsonNode workload, String container) {
        for (JsonNode c : workload.path("spec").path("template").path("spec").path("containers")) {
            if (container.equals(c.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    /** The resources of one type: {@code type::name} to inputs. */
    public Map<String, JsonNode> ofType(String type) {
        var out = new LinkedHashMap<String, JsonNode>();
        resources.forEach((k, v) -> {
            if (k.startsWith(type + "::")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The servers of a pool of the proxies' config ({@code A}: the layout clients use; {@code B}: during a move, the next). */
    public Optional<List<String>> pool(String name) {
        if (config == null || !config.path("pools").has(name)) {
            return Optional.empty();
        }
        var out = new ArrayList<String>();
        config.path("pools").path(name).path("servers").forEach(s -> out.add(s.asText()));
        return Optional.of(out);
    }

    /** Whether the proxies are moving keys warm between two layouts (a WarmUpRoute in the route). */
    public boolean moving() {
        return config != null && config.toString().contains("\"WarmUpRoute\"");
    }

    /**
     * The pool whose servers always hold (base) or always serve (head) a key: pool A while clients use the first
     * layout (plain, or a move, whose reads fall back to A), pool B once a move finishes (reads and writes use B only).
     */
    public String homePool() {
        if (config != null && pool("B").isPresent() && !moving()) {
            return "B";
        }
        return "A";
    }

    /** The MD5 every proxy reports for this config ({@code get __mcrouter__.config_md5_digest}). */
    public String digest() {
        if (configText == null) {
            return "none";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                .digest(configText.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
