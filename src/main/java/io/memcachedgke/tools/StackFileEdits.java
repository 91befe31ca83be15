package io.memcachedgke.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.memcachedgke.stack.StackSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A stack file's text with the shards changed, for what-if renders (comments and layout are not kept). */
final class StackFileEdits {
    private StackFileEdits() {}

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** {@code memcached.replicas} set to {@code to}, and the {@code resize} block set ({@code null}: removed). */
    static String replicas(String stackFile, int to, Map<String, Object> resize) {
        try {
            var root = (ObjectNode) YAML.readTree(stackFile);
            var config = root.get("config") instanceof ObjectNode c ? c : root.putObject("config");
            var key = StackSettings.PROJECT + ":memcached";
            var memcached = config.get(key) instanceof ObjectNode m ? m : config.putObject(key);
            memcached.put("replicas", to);
            if (resize == null) {
                memcached.remove("resize");
            } else {
                memcached.set("resize", YAML.valueToTree(resize));
            }
            return YAML.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A resize block as the stack file writes it. */
    static Map<String, Object> resizeBlock(int from, String startTime, String window) {
        var block = new LinkedHashMap<String, Object>();
        block.put("from", from);
        block.put("startTime", startTime);
        block.put("window", window);
        return block;
    }
}
