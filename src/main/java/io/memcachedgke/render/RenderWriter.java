package io.memcachedgke.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Rendering} as docs/development.md describes it: {@code resources.json} (every resource, sorted
 * by type then name) and {@code manifests.yaml} (every Kubernetes object, in apply order).
 */
public final class RenderWriter {
    private RenderWriter() {}

    /** Apply order: what others refer to or are protected by comes first. */
    static final List<String> KIND_ORDER = List.of(
        "Namespace", "NetworkPolicy", "ServiceAccount", "ConfigMap", "Secret", "Service", "PodDisruptionBudget",
        "StatefulSet", "DaemonSet", "Deployment", "Job");

    private static final ObjectMapper JSON = new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        // A string that looks like a number (an env value "5000") must stay a string for kubectl.
        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
        .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));

    public static Path write(Rendering rendering, Path renderRoot) throws IOException {
        var dir = renderRoot.resolve(rendering.stack());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("resources.json"), resourcesJson(rendering), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("manifests.yaml"), manifestsYaml(rendering), StandardCharsets.UTF_8);
        return dir;
    }

    public static String resourcesJson(Rendering rendering) {
        var items = new ArrayList<Map<String, Object>>();
        for (var r : rendering.resources()) {
            var m = new LinkedHashMap<String, Object>();
            m.put("type", r.type());
            m.put("name", r.name());
            m.put("parent", r.parent());
            m.put("inputs", r.inputs());
            items.add(m);
        }
        try {
            var printer = new DefaultPrettyPrinter().withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
            return JSON.writer(printer).writeValueAsString(items).replace("\r\n", "\n") + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Kubernetes objects of a rendering, each as the document {@code kubectl apply} takes. */
    public static List<Map<String, Object>> manifests(Rendering rendering) {
        return rendering.resources().stream()
            .filter(r -> r.isKubernetesObject() && !r.isProvider())
            .sorted(Comparator.<RecordedResource>comparingInt(r -> kindRank(String.valueOf(r.inputs().get("kind"))))
                .thenComparing(r -> String.valueOf(r.inputs().get("kind")))
                .thenComparing(r -> namespaceAndName(r.inputs())))
            .map(r -> document(r.inputs()))
            .toList();
    }

    public static String manifestsYaml(Rendering rendering) {
        var sb = new StringBuilder();
        for (var doc : manifests(rendering)) {
            try {
                sb.append("---\n").append(YAML.writeValueAsString(doc));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return sb.toString();
    }

    /** apiVersion, kind and metadata first, the rest (spec, data, ...) in key order. */
    private static Map<String, Object> document(Map<String, Object> inputs) {
        var doc = new LinkedHashMap<String, Object>();
        for (var key : List.of("apiVersion", "kind", "metadata")) {
            if (inputs.containsKey(key)) {
                doc.put(key, inputs.get(key));
            }
        }
        inputs.forEach(doc::putIfAbsent);
        return doc;
    }

    private static int kindRank(String kind) {
        int i = KIND_ORDER.indexOf(kind);
        return i < 0 ? KIND_ORDER.size() : i;
    }

    @SuppressWarnings("unchecked")
    private static String namespaceAndName(Map<String, Object> inputs) {
        var meta = (Map<String, Object>) inputs.getOrDefault("metadata", Map.of());
        return meta.getOrDefault("namespace", "") + "/" + meta.getOrDefault("name", "");
    }
}
