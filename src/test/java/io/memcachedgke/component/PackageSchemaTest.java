package io.memcachedgke.component;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The package's schema: what consumers' SDKs are generated from. It is committed ({@code schema/memcached-gke.json}),
 * so a pull request shows every change of the package's API; this fails when the schema changes without the file
 * ({@code -Dgolden.update=true} rewrites it: review the diff).
 */
class PackageSchemaTest {
    static final Path FILE = Path.of("schema/memcached-gke.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theCommittedSchemaIsTheOneTheProviderServes() throws Exception {
        var schema = PackageSchema.json();
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(FILE, schema);
        }
        assertThat(FILE).as("schema/memcached-gke.json (create it with -Dgolden.update=true)").exists();
        assertThat(schema).as("the package's schema changed: rerun with -Dgolden.update=true and commit "
            + "schema/memcached-gke.json").isEqualTo(Files.readString(FILE));
    }

    @Test
    void itNamesTheComponentItsVersionAndNamespace() throws Exception {
        var schema = JSON.readTree(PackageSchema.json());
        assertThat(schema.get("name").asText()).isEqualTo("memcached-gke");
        assertThat(schema.get("version").asText()).isEqualTo(PackageSchema.VERSION);
        assertThat(schema.get("namespace").asText()).isEqualTo("memcachedgke");
        assertThat(schema.path("resources").fieldNames()).toIterable().containsExactly("memcached-gke:index:CacheService");
        assertThat(schema.at("/resources/memcached-gke:index:CacheService/isComponent").asBoolean()).isTrue();
    }

    /** The pom's version is the package's: one number a release changes. */
    @Test
    void theVersionIsThePoms() throws Exception {
        var pom = Files.readString(Path.of("pom.xml"));
        var own = pom.substring(pom.indexOf("<artifactId>memcached-gke</artifactId>"));
        var version = own.substring(own.indexOf("<version>") + 9, own.indexOf("</version>"));
        assertThat(PackageSchema.VERSION).isEqualTo(version);
    }

    /** A user reads every argument, output and type with its meaning: none without a description. */
    @Test
    void everyPropertyAndTypeIsDescribed() throws Exception {
        var schema = JSON.readTree(PackageSchema.json());
        var missing = new ArrayList<String>();
        var resource = schema.at("/resources/memcached-gke:index:CacheService");
        described("CacheService", resource, missing);
        properties("CacheService inputs", resource.get("inputProperties"), missing);
        properties("CacheService outputs", resource.get("properties"), missing);
        schema.get("types").fields().forEachRemaining(t -> {
            described(t.getKey(), t.getValue(), missing);
            properties(t.getKey(), t.getValue().get("properties"), missing);
        });
        assertThat(missing).isEmpty();
        assertThat(schema.get("types").size()).isEqualTo(9);
    }

    /**
     * The package takes every setting of the model under its own path, and nothing else; each argument's description
     * states the model's default (the committed schema is the one served: theCommittedSchemaIsTheOneTheProviderServes).
     */
    @Test
    void everySettingOfTheModelIsAnArgumentWithItsDefault() throws Exception {
        var schema = JSON.readTree(Files.readString(Path.of("schema/memcached-gke.json")));
        var arguments = new java.util.TreeMap<String, String>();
        collect(schema, schema.at("/resources/memcached-gke:index:CacheService/inputProperties"), "", arguments);
        var settings = io.memcachedgke.settings.SettingCatalog.component();
        assertThat(arguments.keySet()).isEqualTo(new java.util.TreeSet<>(settings.keySet()));
        settings.forEach((path, entry) -> assertThat(arguments.get(path)).as(path).isEqualTo(entry.description()));
    }

    private static void collect(JsonNode schema, JsonNode properties, String prefix, java.util.Map<String, String> out) {
        properties.fields().forEachRemaining(p -> {
            var path = prefix.isEmpty() ? p.getKey() : prefix + "." + p.getKey();
            out.put(path, p.getValue().path("description").asText());
            var ref = p.getValue().path("$ref").asText("");
            if (ref.startsWith("#/types/")) {
                collect(schema, schema.path("types").path(ref.substring(8)).path("properties"), path, out);
            }
        });
    }

    private static void described(String what, JsonNode node, List<String> missing) {
        if (node.path("description").asText().isBlank()) {
            missing.add(what);
        }
    }

    private static void properties(String what, JsonNode properties, List<String> missing) {
        properties.fields().forEachRemaining(p -> described(what + "." + p.getKey(), p.getValue(), missing));
    }
}
