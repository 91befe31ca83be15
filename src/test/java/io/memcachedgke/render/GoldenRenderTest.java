package io.memcachedgke.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every stack's render against its golden copy in src/test/resources/golden/<stack>/, so no change
 * to what the program declares goes unnoticed in review. After an intended change:
 * {@code ./mvnw -B test -Dtest=GoldenRenderTest -Dgolden.update=true}, then review and commit the diff.
 * Also leaves each stack's render in target/render/<stack>/ for the policy pack's conformance run.
 */
class GoldenRenderTest {
    private static final Path GOLDEN = Stacks.PROJECT_DIR.resolve("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "local"})
    void matchesTheGoldenRenderAndIsByteIdenticalTwice(String stack) throws Exception {
        var first = Stacks.render(stack);
        var second = Stacks.render(stack);
        assertThat(RenderWriter.resourcesJson(second)).isEqualTo(RenderWriter.resourcesJson(first));
        assertThat(RenderWriter.manifestsYaml(second)).isEqualTo(RenderWriter.manifestsYaml(first));

        var dir = RenderWriter.write(first, Stacks.PROJECT_DIR.resolve("target/render"));
        for (var file : new String[] {"resources.json", "manifests.yaml"}) {
            var actual = Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
            var golden = GOLDEN.resolve(stack).resolve(file);
            if (UPDATE) {
                Files.createDirectories(golden.getParent());
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
            }
            assertThat(golden).as("golden file %s (create it with -Dgolden.update=true)", golden).exists();
            assertThat(actual)
                .as("%s of %s differs from %s; if the change is intended, rerun with -Dgolden.update=true and commit",
                    file, stack, golden)
                .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
        }
    }
}
