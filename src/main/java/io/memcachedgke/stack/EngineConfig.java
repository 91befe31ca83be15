package io.memcachedgke.stack;

import io.memcachedgke.config.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every configuration key the engine handed the program, in every namespace, so that a key nobody reads (a misspelt
 * section, a misspelt project namespace) is refused instead of silently ignored. The SDK answers only for keys a
 * program names; the language host passes the whole configuration in the {@code PULUMI_CONFIG} environment variable
 * (pulumi-java pkg/cmd/pulumi-language-java, Run), which this reads.
 */
final class EngineConfig {
    private EngineConfig() {}

    /** Full keys ({@code memcached-gke:memcached}, {@code gcp:project}) to their values as the engine passes them. */
    static Map<String, String> fromEnvironment() {
        var env = System.getenv("PULUMI_CONFIG");
        return env == null || env.isBlank() ? Map.of() : parse(env);
    }

    /** {@code PULUMI_CONFIG}: a JSON object of keys ({@code ns:key}, or the older {@code ns:config:key}) to string values. */
    static Map<String, String> parse(String json) {
        var out = new TreeMap<String, String>();
        try {
            var node = Json.MAPPER.readTree(json);
            node.fields().forEachRemaining(e -> {
                var key = e.getKey();
                int colon = key.indexOf(':');
                if (colon > 0 && key.startsWith("config:", colon + 1)) {
                    key = key.substring(0, colon + 1) + key.substring(colon + 1 + "config:".length());
                }
                out.put(key, e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            });
        } catch (IOException e) {
            throw new UncheckedIOException("PULUMI_CONFIG is not JSON: " + e.getMessage(), e);
        }
        return out;
    }
}
