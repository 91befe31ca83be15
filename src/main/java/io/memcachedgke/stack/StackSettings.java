package io.memcachedgke.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.config.Json;
import io.memcachedgke.settings.SettingsReader;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The stack program's front door: a stack's configuration, every key of every namespace as the engine passes it, into
 * the settings model. It only translates: the values under {@code memcached-gke:} (objects and lists arrive as JSON,
 * scalars as text) become the tree the settings reader binds, {@code gcp:project} the stack's project, and a key in a
 * namespace nothing reads a problem. Every problem names the stack key and, where it helps, the {@code pulumi config}
 * command that sets it.
 */
public final class StackSettings {
    private StackSettings() {}

    /** The Pulumi project: its configuration keys are {@code memcached-gke:<key>}. */
    public static final String PROJECT = "memcached-gke";
    static final String P = PROJECT + ":";

    /**
     * @param config every configuration key, namespace included ({@code memcached-gke:memcached}, {@code gcp:project}),
     *               to its value as the engine passes it: a string, objects and lists as JSON
     * @throws InvalidConfigException with every problem found
     */
    public static SettingsReader.Read read(Map<String, String> config) {
        return read(config, Clock.systemUTC());
    }

    /** @param clock only for warnings (a resize starting too soon): the settings never depend on it */
    public static SettingsReader.Read read(Map<String, String> config, Clock clock) {
        var problems = ConfigNamespaces.problems(config.keySet());
        return SettingsReader.stack(rootNode(config), Optional.ofNullable(config.get("gcp:project")), problems,
            StackNaming.INSTANCE, clock);
    }

    /** The project's keys, without {@code memcached-gke:}: objects and lists parsed, scalars as text. */
    private static ObjectNode rootNode(Map<String, String> config) {
        var root = JsonNodeFactory.instance.objectNode();
        config.forEach((key, value) -> {
            if (!key.startsWith(P)) {
                return;
            }
            JsonNode node = TextNode.valueOf(value);
            if (value.startsWith("{") || value.startsWith("[")) {
                try {
                    node = Json.MAPPER.readTree(value);
                } catch (JsonProcessingException e) {
                    // Kept as text: the reader names the key and the value.
                }
            }
            root.set(key.substring(P.length()), node);
        });
        return root;
    }
}
