package io.memcachedgke.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import io.memcachedgke.config.ConfigValue;
import io.memcachedgke.config.Suggest;

/**
 * One object of stack configuration (e.g. {@code memcached-gke:memcached}) being read: typed getters
 * that record a problem, naming the full key, instead of throwing, and a check for keys nobody read
 * (a typo would otherwise be silently ignored).
 */
final class Section {
    private final String keyPrefix;
    private final ObjectNode node;
    private final List<String> problems;
    private final TreeSet<String> known = new TreeSet<>();

    Section(String keyPrefix, ObjectNode node, List<String> problems) {
        this.keyPrefix = keyPrefix;
        this.node = node;
        this.problems = problems;
    }

    static Section empty(String keyPrefix, List<String> problems) {
        return new Section(keyPrefix, JsonNodeFactory.instance.objectNode(), problems);
    }

    String key(String key) {
        return keyPrefix + key;
    }

    boolean present() {
        return node.size() > 0;
    }

    Optional<JsonNode> raw(String key) {
        known.add(key);
        var v = node.get(key);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    private void wrongType(String key, String what, JsonNode v) {
        problems.add(key(key) + " must be " + what + ", but " + show(v) + " was provided");
    }

    static String show(JsonNode v) {
        return v.isTextual() ? "'" + v.asText() + "'" : v.toString();
    }

    void integer(String key, Consumer<Integer> set) {
        raw(key).ifPresent(v -> {
            if (v.isIntegralNumber() && v.canConvertToInt()) {
                set.accept(v.intValue());
            } else if (v.isTextual() && v.asText().matches("-?\\d{1,9}")) {
                set.accept(Integer.parseInt(v.asText()));
            } else {
                wrongType(key, Units.wholeNumberOf(key, v), v);
            }
        });
    }

    /** A number such as 0.8 (a share). */
    void number(String key, Consumer<Double> set) {
        raw(key).ifPresent(v -> {
            if (v.isNumber()) {
                set.accept(v.doubleValue());
            } else if (v.isTextual() && v.asText().matches("-?\\d{1,9}(\\.\\d{1,9})?")) {
                set.accept(Double.parseDouble(v.asText()));
            } else {
                wrongType(key, "a number", v);
            }
        });
    }

    void bool(String key, Consumer<Boolean> set) {
        raw(key).ifPresent(v -> {
            if (v.isBoolean()) {
                set.accept(v.booleanValue());
            } else if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
                set.accept(Boolean.parseBoolean(v.asText()));
            } else {
                wrongType(key, "true or false", v);
            }
        });
    }

    void string(String key, Consumer<String> set) {
        raw(key).ifPresent(v -> {
            if (v.isTextual()) {
                set.accept(v.asText());
            } else {
                wrongType(key, "a string", v);
            }
        });
    }

    /** A string from a fixed set of values, turned into its typed form. */
    <E extends Enum<E> & ConfigValue> void choice(String key, Class<E> type, Consumer<E> set) {
        string(key, s -> ConfigValue.parse(type, s).ifPresentOrElse(set, () ->
            problems.add(key(key) + " must be one of " + String.join(", ", ConfigValue.allowed(type)) + ", but '" + s
                + "' was provided" + Suggest.didYouMean(s, ConfigValue.allowed(type)))));
    }

    void strings(String key, Consumer<List<String>> set) {
        raw(key).ifPresent(v -> {
            if (!v.isArray()) {
                wrongType(key, "a list of strings", v);
                return;
            }
            var out = new ArrayList<String>();
            for (JsonNode item : v) {
                if (!item.isTextual()) {
                    wrongType(key, "a list of strings", v);
                    return;
                }
                out.add(item.asText());
            }
            set.accept(out);
        });
    }

    /** A list of label maps, e.g. {@code [{app: my-app}]}. */
    void labelMaps(String key, Consumer<List<Map<String, String>>> set) {
        raw(key).ifPresent(v -> {
            var out = new ArrayList<Map<String, String>>();
            if (v.isArray()) {
                for (JsonNode item : v) {
                    if (!item.isObject() || item.size() == 0) {
                        wrongType(key, "a list of label maps (e.g. [{app: my-app}])", v);
                        return;
                    }
                    var labels = new LinkedHashMap<String, String>();
                    for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
                        var e = it.next();
                        if (!e.getValue().isTextual()) {
                            wrongType(key, "a list of label maps (e.g. [{app: my-app}])", v);
                            return;
                        }
                        labels.put(e.getKey(), e.getValue().asText());
                    }
                    out.add(labels);
                }
                set.accept(out);
            } else {
                wrongType(key, "a list of label maps (e.g. [{app: my-app}])", v);
            }
        });
    }

    /** One label map, e.g. {@code {app.kubernetes.io/name: prometheus}}. */
    void labelMap(String key, Consumer<Map<String, String>> set) {
        raw(key).ifPresent(v -> {
            if (!v.isObject()) {
                wrongType(key, "a label map (e.g. {app.kubernetes.io/name: prometheus})", v);
                return;
            }
            var labels = new LinkedHashMap<String, String>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isTextual()) {
                    wrongType(key, "a label map (e.g. {app.kubernetes.io/name: prometheus})", v);
                    return;
                }
                labels.put(e.getKey(), e.getValue().asText());
            }
            set.accept(labels);
        });
    }

    /** A nested object (e.g. {@code memcached.resize}), read like a section; empty when absent. */
    Optional<Section> child(String key) {
        var v = raw(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (!v.get().isObject()) {
            wrongType(key, "an object", v.get());
            return Optional.empty();
        }
        return Optional.of(new Section(key(key) + ".", (ObjectNode) v.get(), problems));
    }

    /** A problem with a key of this object, e.g. "is set by the program on GKE stacks ...". */
    void problem(String key, String text) {
        problems.add(key(key) + " " + text);
    }

    /** Reports every key of this object that no getter asked for, with the closest known key when it looks like a typo. */
    void rejectUnknown() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            var k = it.next();
            if (!known.contains(k)) {
                problems.add(key(k) + " is not a known key"
                    + Suggest.closest(k, known).map(s -> " (did you mean " + key(s) + "?)").orElse("")
                    + "; the known keys are " + String.join(", ", known));
            }
        }
    }
}
