package io.memcachedgke.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline render of a stack ({@code target/render/<stack>/}, written by the test command's render-all before
 * the integration tests): what the real engine is held to.
 */
record RenderedStack(List<JsonNode> resources, List<JsonNode> manifests) {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static RenderedStack of(String stack) {
        var dir = LocalControlPlane.PROJECT.resolve("target/render").resolve(stack);
        try {
            var resources = new ArrayList<JsonNode>();
            PulumiProject.JSON.readTree(dir.resolve("resources.json").toFile()).forEach(resources::add);
            var manifests = new ArrayList<JsonNode>();
            try (var parser = YAML.createParser(Files.readString(dir.resolve("manifests.yaml")))) {
                YAML.readValues(parser, JsonNode.class).forEachRemaining(doc -> {
                    if (doc != null && !doc.isEmpty()) {
                        manifests.add(doc);
                    }
                });
            }
            return new RenderedStack(List.copyOf(resources), List.copyOf(manifests));
        } catch (IOException e) {
            throw new UncheckedIOException("no render of " + stack + " in " + dir
                + " (the test command renders every stack before the integration tests)", e);
        }
    }

    /** "type::name" of every resource, as the plan and the state name them. */
    List<String> typeAndNames() {
        return resources.stream().map(r -> r.get("type").asText() + "::" + r.get("name").asText()).sorted().toList();
    }

    static Path dir(String stack) {
        return LocalControlPlane.PROJECT.resolve("target/render").resolve(stack);
    }
}
