package io.memcachedgke.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The component package consumed for real: the programs in {@code examples/yaml} and {@code examples/typescript} add
 * the package from the repository (its {@code PulumiPlugin.yaml}: the Java language host runs the plugin with Maven)
 * and go through preview, up, a no-change preview and destroy on the real CLI, the YAML and Node.js language hosts
 * and the Kubernetes provider, against the local control plane. Both use the settings of the Java program's
 * {@code local} stack, and the Kubernetes objects they declare are its objects, input for input
 * ({@code target/render/local/resources.json}). A bad argument from TypeScript fails its preview with the
 * program's one line.
 *
 * <p>What the hosts built here cannot do (docs/packages.md): pulumi-language-yaml v1.25.0 has no {@code Link}, so
 * {@code pulumi package add} stops after it writes the SDK and before it writes {@code Pulumi.yaml}'s entry, which the
 * example carries; the Node.js host the proxy serves (v3.68.0) has no {@code GeneratePackage}, so the TypeScript SDK
 * is written by {@code pulumi-sdkgen} (Pulumi's own code generator) from the schema the package serves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComponentPackageIT {
    static final String SDK = "sdks/memcachedgke-memcached-gke";
    static PulumiProject typescript;

    @AfterAll
    static void end() {
        if (typescript != null) {
            typescript.pulumi("destroy", "--yes", "--skip-preview");
            typescript.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName("YAML: package add, preview, up, no-change preview, destroy; the local stack's objects")
    void yamlProgram() {
        var p = PulumiProject.example("yaml", "dev");
        try {
            var add = p.pulumi(Duration.ofMinutes(5), "package", "add", LocalControlPlane.PROJECT.toString());
            assertThat(add.ok() || add.stderr().contains("linking package: method Link not implemented"))
                .as(add.report()).isTrue();
            // The package's version, recorded where the YAML host keeps it.
            assertThat(p.dir.resolve(SDK).resolve("memcached-gke-0.1.0.yaml")).as(add.report()).exists();
            lifecycle(p);
        } finally {
            p.pulumi("destroy", "--yes", "--skip-preview");
            p.close();
        }
    }

    @Test
    @Order(2)
    @DisplayName("TypeScript: the SDK from the package's schema, preview, up, no-change preview, destroy; the local stack's objects")
    void typescriptProgram() throws IOException {
        typescript = PulumiProject.example("typescript", "dev");
        var p = typescript;
        Cli.run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), p.dir, Map.of(), Duration.ofMinutes(5))
            .orFail();
        // What `pulumi package add` does for Node.js, by its two halves: the schema from the package's own plugin,
        // and Pulumi's TypeScript generator over it.
        var schema = p.pulumi(Duration.ofMinutes(5), "package", "get-schema", LocalControlPlane.PROJECT.toString()).orFail();
        // The committed schema, as the CLI writes it back (it drops empty lists and adds an empty config).
        assertThat(withoutEmpty(p.json(schema))).isEqualTo(withoutEmpty(PulumiProject.JSON.readTree(
            LocalControlPlane.PROJECT.resolve("schema/memcached-gke.json").toFile())));
        var schemaFile = p.dir.resolve("schema.json");
        Files.writeString(schemaFile, schema.stdout());
        Cli.run(List.of(p.cluster.engines.resolve("pulumi-sdkgen").toString(), schemaFile.toString(), "nodejs",
            p.dir.resolve(SDK).toString()), p.dir, Map.of(), Duration.ofMinutes(2)).orFail();
        assertThat(Files.readString(p.dir.resolve(SDK).resolve("cacheService.ts")))
            .contains("export class CacheService extends pulumi.ComponentResource",
                "readonly memcachedServers: pulumi.Output<string[]>");
        assertThat(Files.readString(p.dir.resolve(SDK).resolve("types/input.ts")))
            .contains("1–64 shards (the layout to end with during a resize). Default: `3`.", "replicas?: number;");
        lifecycle(p);
    }

    @Test
    @Order(3)
    @DisplayName("TypeScript: a bad argument fails the preview with one line naming the argument, nothing changed")
    void aBadTypescriptArgument() {
        var p = typescript;
        p.pulumi("config", "set", "replicas", "0").orFail();
        try {
            var r = p.pulumi("preview", "--diff");
            assertThat(r.exitCode()).as(r.report()).isNotZero();
            // One error, the argument's path as the schema spells it, no stack key, no stack trace (PackageProvider
            // hands the refusal back as the answer).
            var out = r.stdout() + r.stderr();
            assertThat(out).as(r.report()).contains("error: memcached-gke:index:CacheService resource "
                + "'mycache' has a problem: invalid configuration (1 problem): "
                + "memcached.replicas must be between 1 and 64, but 0 was provided")
                .doesNotContain("memcached-gke:memcached").doesNotContain("pulumi config").doesNotContain("Exception");
            assertThat(new Lifecycle(p).stateInputs()).as("nothing registered").isEmpty();
        } finally {
            p.pulumi("config", "rm", "replicas").orFail();
        }
    }

    @Test
    @Order(4)
    @DisplayName("TypeScript: a resize that starts too soon warns in the preview, as the Java program warns")
    void aResizeThatStartsTooSoonWarnsThePackageUser() throws Exception {
        var p = typescript;
        var start = java.time.Instant.now().plus(java.time.Duration.ofMinutes(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        p.pulumi("config", "set", "replicas", "4").orFail();
        p.pulumi("config", "set", "--path", "resize.from", "3").orFail();
        p.pulumi("config", "set", "--path", "resize.startTime", start.toString()).orFail();
        p.pulumi("config", "set", "--path", "resize.window", "1h").orFail();
        try {
            var r = p.pulumi("preview");
            assertThat(r.exitCode()).as(r.report()).isZero();
            // The Java program's own warning for the same block, in its stack's terms.
            var config = new java.util.HashMap<>(io.memcachedgke.support.Stacks.config("local"));
            config.put("memcached-gke:memcached", "{\"replicas\": 4, \"resize\": {\"from\": 3, \"startTime\": \""
                + start + "\", \"window\": \"1h\"}}");
            var javaWarning = io.memcachedgke.stack.StackSettings.read(config).warnings();
            assertThat(javaWarning).hasSize(1).first().asString().startsWith("memcached-gke:memcached.resize.startTime ");
            var expected = javaWarning.get(0).substring("memcached-gke:".length());
            assertThat(r.stdout() + r.stderr()).as(r.report()).contains("warning: " + expected);
        } finally {
            p.pulumi("config", "rm", "resize").orFail();
            p.pulumi("config", "rm", "replicas").orFail();
        }
    }

    /** The steps every consumer goes through, each held to what the Java local stack declares. */
    private static void lifecycle(PulumiProject p) {
        var life = new Lifecycle(p);
        var local = RenderedStack.of("local");
        var plan = life.preview();
        assertThat(plan.opsOtherThan("create")).as(plan.report()).isEmpty();
        assertThat(kubernetesObjects(plan.creates())).as(plan.report()).isEqualTo(kubernetesObjects(local.typeAndNames()));
        life.up();
        var state = life.stateInputs();
        var problems = new ArrayList<String>();
        var expected = new TreeMap<String, JsonNode>();
        local.resources().forEach(r -> expected.put(r.get("type").asText() + "::" + r.get("name").asText(), r.get("inputs")));
        for (var key : kubernetesObjects(List.copyOf(expected.keySet()))) {
            if (!expected.get(key).equals(state.get(key))) {
                problems.add(key + ":\n  local  " + expected.get(key) + "\n  " + p.dir.getFileName() + " " + state.get(key));
            }
        }
        assertThat(problems).as("objects the local stack declares, input for input").isEmpty();
        life.expectNoChanges("preview", "--expect-no-changes", "--diff");
        p.pulumi(Duration.ofMinutes(10), "destroy", "--yes", "--skip-preview").orFail();
        assertThat(life.stateInputs()).isEmpty();
    }

    private static JsonNode withoutEmpty(JsonNode node) {
        if (node.isObject()) {
            var out = PulumiProject.JSON.createObjectNode();
            node.fields().forEachRemaining(e -> {
                var v = withoutEmpty(e.getValue());
                if (!(v.isContainerNode() && v.isEmpty())) {
                    out.set(e.getKey(), v);
                }
            });
            return out;
        }
        if (node.isArray()) {
            var out = PulumiProject.JSON.createArrayNode();
            node.forEach(v -> out.add(withoutEmpty(v)));
            return out;
        }
        return node;
    }

    /** The Kubernetes objects and the components among "type::name" keys (the providers are each program's own). */
    private static List<String> kubernetesObjects(List<String> keys) {
        return keys.stream().filter(k -> k.startsWith("kubernetes:") || k.startsWith("memcached-gke:")).sorted().toList();
    }
}
