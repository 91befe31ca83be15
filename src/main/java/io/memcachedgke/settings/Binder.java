package io.memcachedgke.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memcachedgke.config.ConfigValue;
import io.memcachedgke.config.Naming;
import io.memcachedgke.config.Suggest;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings from a tree of values: one record of the model at a time, each component from the key of its name, its
 * default (the record's {@code DEFAULTS}) where the key is absent. A value of the wrong type is a problem naming the
 * setting, the value and the type asked for, and its default stands in; a key no record has is a problem with the
 * closest known one. Both front doors hand their input over as such a tree: the stack program its configuration
 * (values parsed from what the engine passes), the component package its arguments.
 */
final class Binder {
    private final Naming naming;
    private final List<String> problems;

    Binder(Naming naming, List<String> problems) {
        this.naming = naming;
        this.problems = problems;
    }

    /** A record's defaults: its {@code DEFAULTS}. */
    static <R extends Record> R defaults(Class<R> type) {
        try {
            return type.cast(type.getField("DEFAULTS").get(null));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getSimpleName() + " has no DEFAULTS", e);
        }
    }

    /**
     * @param path  the object's setting path ({@code memcached}), or "" for the root
     * @param node  the object (absent keys keep their defaults)
     * @param base  the values absent keys keep
     */
    <R extends Record> R bind(Class<R> type, String path, ObjectNode node, R base) {
        var components = type.getRecordComponents();
        var values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            var c = components[i];
            var fallback = valueOf(c, base);
            var given = node.get(c.getName());
            values[i] = given == null || given.isNull() ? fallback : read(c, child(path, c.getName()), given, fallback);
        }
        return construct(type, components, values);
    }

    /** Every key of {@code node} that none of {@code known} names: a problem each, with the closest known key. */
    void rejectUnknown(String path, ObjectNode node, Collection<String> known) {
        var names = new TreeSet<>(known);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            var k = it.next();
            if (!names.contains(k)) {
                problems.add(naming.key(child(path, k)) + " is not a known key"
                    + Suggest.closest(k, names).map(s -> " (did you mean " + naming.key(child(path, s)) + "?)").orElse("")
                    + "; the known keys are " + String.join(", ", names));
            }
        }
    }

    /** The names of a record's components: the keys its object may have. */
    static List<String> keysOf(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private Object read(RecordComponent c, String path, JsonNode v, Object fallback) {
        Class<?> raw = c.getType();
        Type generic = c.getGenericType();
        if (raw == int.class || raw == Integer.class) {
            if (v.isIntegralNumber() && v.canConvertToInt()) {
                return v.intValue();
            }
            if (v.isTextual() && v.asText().matches("-?\\d{1,9}")) {
                return Integer.parseInt(v.asText());
            }
            return wrong(path, Units.wholeNumberOf(c.getName(), v), v, fallback);
        }
        if (raw == double.class || raw == Double.class) {
            if (v.isNumber()) {
                return v.doubleValue();
            }
            if (v.isTextual() && v.asText().matches("-?\\d{1,9}(\\.\\d{1,9})?")) {
                return Double.parseDouble(v.asText());
            }
            return wrong(path, "a number", v, fallback);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
                return Boolean.parseBoolean(v.asText());
            }
            return wrong(path, "true or false", v, fallback);
        }
        if (raw == String.class) {
            return v.isTextual() ? v.asText() : wrong(path, "a string", v, fallback);
        }
        if (raw.isEnum() && ConfigValue.class.isAssignableFrom(raw)) {
            return choice(raw.asSubclass(Enum.class), path, v, fallback);
        }
        if (raw == List.class && isListOf(generic, String.class)) {
            return strings(path, v, fallback);
        }
        if (raw == List.class) {
            return labelMaps(path, v, fallback);
        }
        if (raw == Map.class) {
            var labels = labelMap(v);
            return labels != null ? labels
                : wrong(path, "a label map (e.g. {app.kubernetes.io/name: prometheus})", v, fallback);
        }
        if (raw.isRecord()) {
            if (!v.isObject()) {
                var example = path.contains(".") ? "" : " (e.g. " + naming.objectExample(path) + ")";
                return wrong(path, "an object" + example, v, fallback);
            }
            @SuppressWarnings("unchecked")
            var type = (Class<? extends Record>) raw;
            var base = fallback != null ? (Record) fallback : defaults(type);
            var bound = bindUnchecked(type, path, (ObjectNode) v, base);
            rejectUnknown(path, (ObjectNode) v, keysOf(type));
            return bound;
        }
        throw new IllegalStateException("a setting of a type the reader does not know: " + path + " " + generic);
    }

    @SuppressWarnings("unchecked")
    private <R extends Record> R bindUnchecked(Class<R> type, String path, ObjectNode node, Record base) {
        return bind(type, path, node, (R) base);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object choice(Class<? extends Enum> type, String path, JsonNode v, Object fallback) {
        if (!v.isTextual()) {
            return wrong(path, "a string", v, fallback);
        }
        var s = v.asText();
        var allowed = ConfigValue.allowed((Class) type);
        var parsed = ConfigValue.parse((Class) type, s);
        if (parsed.isPresent()) {
            return parsed.get();
        }
        problems.add(naming.key(path) + " must be one of " + String.join(", ", allowed) + ", but '" + s
            + "' was provided" + Suggest.didYouMean(s, allowed));
        return fallback;
    }

    private Object strings(String path, JsonNode v, Object fallback) {
        if (!v.isArray()) {
            return wrong(path, "a list of strings", v, fallback);
        }
        var out = new ArrayList<String>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                return wrong(path, "a list of strings", v, fallback);
            }
            out.add(item.asText());
        }
        return List.copyOf(out);
    }

    /** A list of label maps, e.g. {@code [{app: my-app}]}. */
    private Object labelMaps(String path, JsonNode v, Object fallback) {
        var what = "a list of label maps (e.g. [{app: my-app}])";
        if (!v.isArray()) {
            return wrong(path, what, v, fallback);
        }
        var out = new ArrayList<Map<String, String>>();
        for (JsonNode item : v) {
            var labels = item.size() == 0 ? null : labelMap(item);
            if (labels == null) {
                return wrong(path, what, v, fallback);
            }
            out.add(labels);
        }
        return List.copyOf(out);
    }

    /** One label map, or null when {@code v} is not an object of strings. */
    private static Map<String, String> labelMap(JsonNode v) {
        if (!v.isObject()) {
            return null;
        }
        var labels = new LinkedHashMap<String, String>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                return null;
            }
            labels.put(e.getKey(), e.getValue().asText());
        }
        return labels;
    }

    private Object wrong(String path, String what, JsonNode v, Object fallback) {
        problems.add(naming.key(path) + " must be " + what + ", but " + show(v) + " was provided");
        return fallback;
    }

    static String show(JsonNode v) {
        return v.isTextual() ? "'" + v.asText() + "'" : v.toString();
    }

    private static boolean isListOf(Type generic, Class<?> item) {
        return generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] == item;
    }

    private static Object valueOf(RecordComponent c, Record base) {
        try {
            return c.getAccessor().invoke(base);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <R extends Record> R construct(Class<R> type, RecordComponent[] components, Object[] values) {
        try {
            Constructor<R> canonical = type.getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(type.getSimpleName() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The keys a tree may hold besides one record's: the union of several records'. */
    static Set<String> union(List<Class<? extends Record>> types) {
        var out = new TreeSet<String>();
        types.forEach(t -> out.addAll(keysOf(t)));
        return out;
    }
}
