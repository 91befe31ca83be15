package io.memcachedgke.component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.Import;
import com.pulumi.provider.internal.Metadata;
import com.pulumi.provider.internal.ComponentProvider;
import com.pulumi.provider.internal.models.GetSchemaRequest;
import java.lang.reflect.Field;
import io.memcachedgke.config.Json;
import io.memcachedgke.stack.ConfigReader;

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
    public static final String NAME = ConfigReader.PROJECT;
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
        var resource = (ObjectNode) root.path("resources").path(CacheService.TYPE);
        resource.put("description", CacheService.class.getAnnotation(Description.class).value());
        describeFields(resource.path("inputProperties"), CacheServiceArgs.class);
        describeFields(resource.path("properties"), CacheService.class);
        // Every output is always set (an empty string where there is nothing): required, so the SDKs type them as
        // values rather than "maybe undefined". The inference marks no output required.
        var required = resource.putArray("required");
        var outputs = new java.util.TreeSet<String>();
        resource.path("properties").fieldNames().forEachRemaining(outputs::add);
        outputs.forEach(required::add);
        var types = root.path("types");
        types.fieldNames().forEachRemaining(token -> {
            var simple = token.substring(token.lastIndexOf(':') + 1);
            var type = (ObjectNode) types.get(token);
            try {
                var clazz = Class.forName(PackageSchema.class.getPackageName() + "." + simple);
                type.put("description", clazz.getAnnotation(Description.class).value());
                describeFields(type.path("properties"), clazz);
                var mustHave = clazz.getAnnotation(RequiredInSchema.class);
                if (mustHave != null) {
                    var list = type.putArray("required");
                    java.util.Arrays.stream(mustHave.value()).forEach(list::add);
                }
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("a schema type with no class: " + token, e);
            }
        });
    }

    /** Each property's description, from the field whose @Import or @Export name it is. */
    private static void describeFields(JsonNode properties, Class<?> clazz) {
        for (Field f : clazz.getDeclaredFields()) {
            var description = f.getAnnotation(Description.class);
            var name = f.isAnnotationPresent(Import.class) ? f.getAnnotation(Import.class).name()
                : f.isAnnotationPresent(Export.class) ? f.getAnnotation(Export.class).name() : null;
            if (name == null) {
                continue;
            }
            if (description == null) {
                throw new IllegalStateException(clazz.getSimpleName() + "." + f.getName() + " has no @Description");
            }
            var property = properties.get(name);
            if (property instanceof ObjectNode p) {
                p.put("description", description.value());
            }
        }
    }
}
