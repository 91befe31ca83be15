package io.memcachedgke.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.render.RenderWriter;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.render.StackFiles;
import io.memcachedgke.stack.StackSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The production guards through both layers, on the same cases (policies/shared/cases.json): each case is
 * Pulumi.prod.yaml with some settings changed. The program must refuse exactly the cases that break a guard, naming
 * the setting; the policy pack, run by its own conformance command under config/production.json on what the case would
 * deploy (rendered with {@code environment: development}, where the program's guards do not apply), must report
 * exactly the case's policies as mandatory violations. No case passes one layer and fails the other.
 *
 * <p>An integration test: it runs the compiled pack (policies/bin), which the build compiles in the integration-test
 * phase, before the failsafe plugin.
 */
class ProductionGuardsIT {
    static final Path PROJECT = Path.of("").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Pattern MANDATORY = Pattern.compile("MANDATORY (\\S+)");

    static Stream<Arguments> cases() throws Exception {
        var out = Stream.<Arguments>builder();
        JSON.readTree(PROJECT.resolve("policies/shared/cases.json").toFile()).path("production").forEach(c -> out.add(
            Arguments.of(c.path("name").asText(), c.path("set"), c.path("refusedAs").isNull() ? null : c.path("refusedAs").asText(),
                new TreeSet<>(JSON.convertValue(c.path("policies"), List.class)))));
        return out.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bothLayersAgree(String name, JsonNode set, String refusedAs, TreeSet<String> policies) throws Exception {
        var dir = Files.createTempDirectory("guards");
        Files.copy(PROJECT.resolve("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        var stack = (ObjectNode) YAML.readTree(PROJECT.resolve("Pulumi.prod.yaml").toFile());
        var config = (ObjectNode) stack.path("config");
        set.fields().forEachRemaining(e -> put(config, e.getKey(), e.getValue()));
        YAML.writeValue(dir.resolve("Pulumi.case.yaml").toFile(), stack);

        // The program, in production.
        var read = StackFiles.load(dir, "case").configWithPlaceholderProject();
        if (refusedAs == null) {
            StackSettings.read(read);
        } else {
            var e = catchThrowableOfType(() -> StackSettings.read(read), InvalidConfigException.class);
            assertThat(e).as("%s: refused by the program", name).isNotNull();
            assertThat(e.problems()).as(name).hasSize(1);
            assertThat(e.problems().get(0)).startsWith("memcached-gke:" + refusedAs + " ");
        }

        // The pack, under production's configuration, on what the case deploys.
        config.put("memcached-gke:environment", "development");
        YAML.writeValue(dir.resolve("Pulumi.deployed.yaml").toFile(), stack);
        RenderWriter.write(Rendering.of(dir, "deployed"), dir.resolve("target").resolve("render"));
        var pack = new ProcessBuilder("node", PROJECT.resolve("policies/bin/conformance/run.js").toString(),
            "--render-dir", dir.resolve("target/render").toString(),
            "--policy-config", PROJECT.resolve("policies/config/production.json").toString(),
            "--project-dir", dir.toString(), "deployed")
            .directory(PROJECT.resolve("policies").toFile()).redirectErrorStream(true).start();
        var output = new String(pack.getInputStream().readAllBytes());
        assertThat(pack.waitFor(3, TimeUnit.MINUTES)).isTrue();
        var violated = new TreeSet<String>();
        MANDATORY.matcher(output).results().forEach(m -> violated.add(m.group(1)));
        assertThat(violated).as("%s: the pack's mandatory violations\n%s", name, output).isEqualTo(policies);
        assertThat(pack.exitValue()).as(output).isEqualTo(policies.isEmpty() ? 0 : 1);
    }

    /** Sets {@code memcached-gke:<section>.<key>} (or a top-level key) in a stack file's config. */
    private static void put(ObjectNode config, String path, JsonNode value) {
        var dot = path.indexOf('.');
        if (dot < 0) {
            config.set("memcached-gke:" + path, value);
            return;
        }
        var section = "memcached-gke:" + path.substring(0, dot);
        var node = config.get(section) instanceof ObjectNode o ? o : config.putObject(section);
        node.set(path.substring(dot + 1), value);
    }
}
