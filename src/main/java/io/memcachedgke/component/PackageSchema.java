package io.memcachedgke.component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pulumi.core.annotations.Export;
import com.pulumi.provider.internal.Metadata;
import com.pulumi.provider.internal.ComponentProvider;
import com.pulumi.provider.internal.models.GetSchemaRequest;
import java.lang.reflect.Field;
import io.memcachedgke.config.Json;
import io.memcachedgke.cache.Cache;
import io.memcachedgke.settings.SettingCatalog;
import java.util.Map;

/**
 * The package's schema: what the Java SDK infers from {@link CacheService} and its arguments
 * ({@code ComponentProvider}, {@code ComponentAnalyzer}, SDK 1.36.1: names, types, required or not), with the version and the
 * {@link Description}s the inference cannot write. The provider serves exactly this, so the SDKs generated in other
 * languages carry the descriptions; {@code schema/memcached-gke.json} holds a copy, and PackageSchemaTest fails when
 * the schema changes without it.
 */
public final class PackageSchema {
    private PackageSchema() {}

    /** The package's name: its type tokens are {@code memcached-gke:index:<Component>}. */
    public static final String NAME = "memcached-gke";
    /** The package's version: the pom's (PackageSchemaTest keeps them equal). */
    public static final String VERSION = "0.1.0";

    /** The metadata the provider is started with. */
    static Metadata metadata() {
        return new Metadata(NAME, VERSION, "memcached-gke");
    }

    /** The schema as JSON, keys sorted, two-space indented. */
    public static String json() {
        // The SDK's own component provider, as it would serve it: every component of this package, inferred.
        var inferred = new ComponentProvider(metadata(), CacheService.class.getPackage())
            .getSchema(new GetSchemaRequest(0, "", "")).join().getSchema();
        try {
            var root = (ObjectNode) Json.MAPPER.readTree(inferred);
            describe(root);
            return Json.canonical(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the inferred schema is not JSON", e);
        }
    }

    private static void describe(ObjectNode root) {
        root.put("description", CacheService.class.getAnnotation(Description.class).value());
        var resource = (ObjectNode) root.path("resources").path(Cache.TYPE);
        resource.put("description", CacheService.class.getAnnotation(Description.class).value());
        var settings = SettingCatalog.component();
        var types = (ObjectNode) root.path("types");
        describeSettings(resource.path("inputProperties"), "", settings, types);
        describeOutputs(resource.path("properties"));
        // Every output is always set (an empty string where there is nothing): required, so the SDKs type them as
        // values rather than "maybe undefined". The inference marks no output required.
        var required = resource.putArray("required");
        var outputs = new java.util.TreeSet<String>();
        resource.path("properties").fieldNames().forEachRemaining(outputs::add);
        outputs.forEach(required::add);
    }

    /**
     * Each argument's description from the settings model, by its path; an argument type's (a section's) from its
     * record, and the settings the model requires in it marked required, so a typed SDK asks for them. Not
     * {@code @Import(required = true)}: a missing one would then fail in the SDK's deserializer with its own message,
     * before the settings reader could name it with every other problem on one line.
     */
    private static void describeSettings(JsonNode properties, String prefix, Map<String, SettingCatalog.Entry> settings,
                                         ObjectNode types) {
        properties.fieldNames().forEachRemaining(name -> {
            var path = prefix.isEmpty() ? name : prefix + "." + name;
            var entry = settings.get(path);
            if (entry == null) {
                throw new IllegalStateException("an argument the settings model does not have: " + path);
            }
            var property = (ObjectNode) properties.get(name);
            property.put("description", entry.description());
            var ref = property.path("$ref").asText("");
            if (ref.startsWith("#/types/")) {
                var type = (ObjectNode) types.get(ref.substring("#/types/".length()));
                type.put("description", SettingCatalog.sectionDoc(entry.section().orElseThrow()));
                var mustHave = new java.util.TreeSet<String>();
                type.path("properties").fieldNames().forEachRemaining(p -> {
                    if (settings.get(path + "." + p).defaultText().equals("required")) {
                        mustHave.add(p);
                    }
                });
                if (!mustHave.isEmpty()) {
                    var list = type.putArray("required");
                    mustHave.forEach(list::add);
                }
                describeSettings(type.path("properties"), path, settings, types);
            }
        });
    }

    /** Each output's description, from the field whose @Export name it is. */
    private static void describeOutputs(JsonNode properties) {
        for (Field f : CacheService.class.getDeclaredFields()) {
            if (!f.isAnnotationPresent(Export.class)) {
                continue;
            }
            var description = f.getAnnotation(Description.class);
            if (description == null) {
                throw new IllegalStateException("CacheService." + f.getName() + " has no @Description");
            }
            if (properties.get(f.getAnnotation(Export.class).name()) instanceof ObjectNode p) {
                p.put("description", description.value());
            }
        }
    }
}
