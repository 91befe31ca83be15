package memcachedgke.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads {@code Pulumi.yaml} and {@code Pulumi.<stack>.yaml} into the configuration map the Pulumi
 * engine would hand the program: {@code namespace:key} to a string, objects and lists as JSON,
 * un-namespaced keys under the project's name, {@code secure:} values kept secret (and unreadable).
 *
 * @param project    the project name from {@code Pulumi.yaml}
 * @param config     the configuration map
 * @param secretKeys keys whose value is secret
 */
public record StackFiles(String project, Map<String, String> config, Set<String> secretKeys) {

    /** What a secret renders as: the render never decrypts anything. */
    public static final String SECRET = "[secret]";
    /** The project id the render uses when a stack does not set one, so a render needs no GCP account. */
    public static final String PLACEHOLDER_PROJECT = "render-placeholder-project";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Thrown for a stack that has no stack file; the message lists the stacks there are. */
    public static final class UnknownStackException extends RuntimeException {
        UnknownStackException(String message) {
            super(message);
        }
    }

    public static List<String> stacks(Path projectDir) {
        try (Stream<Path> files = Files.list(projectDir)) {
            return files.map(p -> p.getFileName().toString())
                .filter(n -> n.matches("Pulumi\\.[^.]+\\.yaml"))
                .map(n -> n.substring("Pulumi.".length(), n.length() - ".yaml".length()))
                .sorted()
                .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static StackFiles load(Path projectDir, String stack) {
        var projectFile = projectDir.resolve("Pulumi.yaml");
        var stackFile = projectDir.resolve("Pulumi." + stack + ".yaml");
        if (!Files.exists(stackFile)) {
            throw new UnknownStackException("no stack '" + stack + "': " + stackFile.getFileName()
                + " does not exist; the stacks are " + String.join(", ", stacks(projectDir)));
        }
        try {
            var project = YAML.readTree(projectFile.toFile()).path("name").asText();
            var config = new TreeMap<String, String>();
            var secrets = new TreeSet<String>();
            JsonNode entries = YAML.readTree(stackFile.toFile()).path("config");
            for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
                var e = it.next();
                var key = e.getKey().contains(":") ? e.getKey() : project + ":" + e.getKey();
                var value = e.getValue();
                if (value.isObject() && value.size() == 1 && value.has("secure")) {
                    config.put(key, SECRET);
                    secrets.add(key);
                } else if (value.isContainerNode()) {
                    config.put(key, JSON.writeValueAsString(value));
                } else {
                    config.put(key, value.asText());
                }
            }
            return new StackFiles(project, config, secrets);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stackFile + ": " + e.getMessage(), e);
        }
    }

    /** The configuration with {@code gcp:project} set to {@link #PLACEHOLDER_PROJECT} where the file leaves it out. */
    public Map<String, String> configWithPlaceholderProject() {
        var m = new TreeMap<>(config);
        m.putIfAbsent("gcp:project", PLACEHOLDER_PROJECT);
        return m;
    }
}
