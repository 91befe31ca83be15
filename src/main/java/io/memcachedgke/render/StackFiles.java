package io.memcachedgke.render;

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
import io.memcachedgke.config.Json;

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

    /** A key written twice is an error, as it is for the Pulumi CLI: the second would silently win otherwise. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
        .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
    private static final ObjectMapper JSON = Json.MAPPER;

    /** Thrown for a stack that has no stack file; the message lists the stacks there are. */
    public static final class UnknownStackException extends RuntimeException {
        UnknownStackException(String message) {
            super(message);
        }
    }

    /** A stack file that is not valid YAML or not shaped as Pulumi reads it: one line, {@code file:line:column: what}. */
    public static final class StackFileException extends RuntimeException {
        StackFileException(String message) {
            super(message);
        }
    }

    /** A stack of one's own ({@code Pulumi.my-<name>.yaml}, git-ignored: README, quick starts), not the project's. */
    public static final String OWN_STACK_PREFIX = "my-";

    /**
     * The project's stacks: every committed {@code Pulumi.<stack>.yaml}, and not the ones of your own, which the test
     * command must not depend on (render one with {@code exec:java@render -Dstack=my-<name>}).
     */
    public static List<String> stacks(Path projectDir) {
        try (Stream<Path> files = Files.list(projectDir)) {
            return files.map(p -> p.getFileName().toString())
                .filter(n -> n.matches("Pulumi\\.[^.]+\\.yaml") && !n.startsWith("Pulumi." + OWN_STACK_PREFIX))
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
        var project = readYaml(projectFile).path("name").asText();
        var root = readYaml(stackFile);
        if (!root.isObject() && !root.isMissingNode() && !root.isNull()) {
            throw new StackFileException(stackFile.getFileName() + ": must be a mapping with a 'config' key, but it is "
                + kindOf(root));
        }
        JsonNode entries = root.path("config");
        if (!entries.isMissingNode() && !entries.isNull() && !entries.isObject()) {
            throw new StackFileException(stackFile.getFileName() + ": config must be a mapping of keys to values, but it is "
                + kindOf(entries));
        }
        var config = new TreeMap<String, String>();
        var secrets = new TreeSet<String>();
        try {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StackFiles(project, config, secrets);
    }

    /** The YAML tree of a file, or one line naming the file, line and column of the first error. */
    static JsonNode readYaml(Path file) {
        try {
            var tree = YAML.readTree(file.toFile());
            return tree == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : tree;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new StackFileException(yamlError(file, e));
        } catch (IOException e) {
            throw new StackFileException(file.getFileName() + ": cannot be read: " + e.getMessage());
        }
    }

    /** {@code Pulumi.dev.yaml:12:5: mapping values are not allowed here}: the parser's own words, on one line. */
    static String yamlError(Path file, com.fasterxml.jackson.core.JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null) {
                var mark = marked.getProblemMark();
                var context = marked.getContext() == null ? "" : " (" + oneLine(marked.getContext()) + ")";
                return file.getFileName() + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": "
                    + oneLine(marked.getProblem()) + context;
            }
        }
        var at = e.getLocation();
        var where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
        var what = oneLine(e.getOriginalMessage());
        if (what.startsWith("Duplicate field ")) {
            what = "duplicate key " + what.substring("Duplicate field ".length()).replace("'", "");
        }
        return file.getFileName() + where + ": " + what;
    }

    /** What a YAML node is, in YAML's words. */
    private static String kindOf(JsonNode node) {
        if (node.isArray()) {
            return "a list";
        }
        if (node.isTextual()) {
            return "a string";
        }
        return node.isNumber() ? "a number" : node.isBoolean() ? "a boolean" : "empty";
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** The configuration with {@code gcp:project} set to {@link #PLACEHOLDER_PROJECT} where the file leaves it out. */
    public Map<String, String> configWithPlaceholderProject() {
        var m = new TreeMap<>(config);
        m.putIfAbsent("gcp:project", PLACEHOLDER_PROJECT);
        return m;
    }
}
