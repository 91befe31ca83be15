package io.memcachedgke.settings;

import io.memcachedgke.config.ConfigValue;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every setting of the model by its path, with what it means, its type and its default in words: what the package's
 * schema descriptions and docs/configuration.md are made of (the schema at build time, the docs checked by
 * SettingDocsTest). The default is the value in the record's {@code DEFAULTS}, written out, or the record's
 * {@link Doc#dflt} where the default is decided by code (a test checks those against it).
 */
public final class SettingCatalog {
    private SettingCatalog() {}

    /**
     * One setting, or one section of settings.
     *
     * @param path        {@code memcached.replicas}
     * @param type        the type in words: integer, number, boolean, string, list of strings, label map, list of label
     *                    maps, object
     * @param doc         what it means and allows
     * @param defaultText the default in Markdown ({@code `3`}), "required", or empty for a section
     * @param section     the record of a section's settings, or empty for a single setting
     */
    public record Entry(String path, String type, String doc, String defaultText, Optional<Class<? extends Record>> section) {
        /** The schema's description: the meaning, then the default. */
        public String description() {
            var text = doc.endsWith(".") ? doc : doc + ".";
            return defaultText.isEmpty() ? text
                : defaultText.equals(REQUIRED) ? text + " Required."
                : text + " Default: " + defaultText + ".";
        }
    }

    static final String REQUIRED = "required";

    /** The cache's settings (both front doors) and the package's {@code gke}, by path, in the model's order. */
    public static Map<String, Entry> component() {
        var out = new LinkedHashMap<String, Entry>();
        walk(CacheSpec.class, "", CacheSpec.DEFAULTS, out);
        var gke = GkeSpec.class.getAnnotation(Doc.class);
        out.put(SettingsReader.GKE, new Entry(SettingsReader.GKE, "object", gke.value(), "unset (no Cloud Monitoring)",
            Optional.of(GkeSpec.class)));
        walk(GkeSpec.class, SettingsReader.GKE, GkeSpec.DEFAULTS, out);
        return out;
    }

    /** A stack's settings: where it runs (platform, kubeContext, cluster) and the cache's, by path. */
    public static Map<String, Entry> stack() {
        var out = new LinkedHashMap<String, Entry>();
        walk(StackSpec.class, "", StackSpec.DEFAULTS, out);
        walk(CacheSpec.class, "", CacheSpec.DEFAULTS, out);
        return out;
    }

    /** The description of a section (a record of settings). */
    public static String sectionDoc(Class<? extends Record> section) {
        return section.getAnnotation(Doc.class).value();
    }

    private static void walk(Class<? extends Record> type, String prefix, Record defaults, Map<String, Entry> out) {
        for (RecordComponent c : type.getRecordComponents()) {
            var path = prefix.isEmpty() ? c.getName() : prefix + "." + c.getName();
            var doc = c.getAnnotation(Doc.class);
            if (doc == null) {
                throw new IllegalStateException(type.getSimpleName() + "." + c.getName() + " has no @Doc");
            }
            Object value = valueOf(c, defaults);
            if (c.getType().isRecord()) {
                @SuppressWarnings("unchecked")
                var section = (Class<? extends Record>) c.getType();
                out.put(path, new Entry(path, "object", doc.value(), doc.dflt(), Optional.of(section)));
                walk(section, path, value != null ? (Record) value : Binder.defaults(section), out);
            } else {
                out.put(path, new Entry(path, typeOf(c), doc.value(), defaultText(doc, value), Optional.empty()));
            }
        }
    }

    private static String defaultText(Doc doc, Object value) {
        if (doc.required()) {
            return REQUIRED;
        }
        if (!doc.dflt().isEmpty()) {
            return doc.dflt();
        }
        if (value == null) {
            throw new IllegalStateException("a setting with no default and no words for it: " + doc.value());
        }
        return "`" + show(value) + "`";
    }

    /** A value as a stack file or a program writes it: YAML's flow style for lists and maps. */
    static String show(Object value) {
        if (value instanceof ConfigValue v) {
            return v.configValue();
        }
        if (value instanceof Map<?, ?> m) {
            return m.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
        }
        if (value instanceof List<?> l) {
            var items = new ArrayList<String>();
            l.forEach(v -> items.add(show(v)));
            return "[" + String.join(", ", items) + "]";
        }
        return String.valueOf(value);
    }

    private static String typeOf(RecordComponent c) {
        var raw = c.getType();
        if (raw == int.class || raw == Integer.class) {
            return "integer";
        }
        if (raw == double.class || raw == Double.class) {
            return "number";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "boolean";
        }
        if (raw == String.class || ConfigValue.class.isAssignableFrom(raw)) {
            return "string";
        }
        if (raw == Map.class) {
            return "label map";
        }
        if (raw == List.class && c.getGenericType() instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] == String.class) {
            return "list of strings";
        }
        if (raw == List.class) {
            return "list of label maps";
        }
        throw new IllegalStateException("a setting of a type the catalog does not know: " + c);
    }

    private static Object valueOf(RecordComponent c, Record record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
