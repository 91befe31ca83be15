package io.memcachedgke.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the test command does with the stack files: RenderAll renders every Pulumi.<stack>.yaml of the project, the
 * shipped ones and any a user adds, with no code change, and fails naming the stack that is refused.
 */
class RenderAllTest {

    record Result(int exit, String out, String err) {}

    static Result renderAll(Path projectDir) throws Exception {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            "io.memcachedgke.render.RenderAll").directory(projectDir.toFile()).start();
        var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        var err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out, err);
    }

    @Test
    void aStackAUserAddsIsRenderedAndAMisspeltSectionFailsNamingIt(@TempDir Path dir) throws Exception {
        Files.copy(Stacks.PROJECT_DIR.resolve("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        Files.copy(Stacks.PROJECT_DIR.resolve("Pulumi.local.yaml"), dir.resolve("Pulumi.local.yaml"));
        Files.writeString(dir.resolve("Pulumi.mine.yaml"), String.join("\n",
            "config:",
            "  memcached-gke:platform: existing",
            "  memcached-gke:memcahced:",
            "    replicas: 4",
            ""));
        var r = renderAll(dir);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("render: local: ");
        assertThat(r.err().lines().toList()).containsExactly(
            "render: mine: invalid configuration (1 problem): memcached-gke:memcahced is not a known key (did you mean "
                + "memcached-gke:memcached?); the known keys are cluster, environment, kubeContext, mcrouter, memcached, "
                + "metrics, namePrefix, namespace, networkPolicy, nodeMemoryMiB, platform, sampleApp, smokeTest, tls",
            "render: 1 of 2 stacks refused");
        assertThat(dir.resolve("target/render/local/resources.json")).exists();
        assertThat(dir.resolve("target/render/mine")).doesNotExist();
    }

    @Test
    void aGoodStackAUserAddsPasses(@TempDir Path dir) throws Exception {
        Files.copy(Stacks.PROJECT_DIR.resolve("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        Files.copy(Stacks.PROJECT_DIR.resolve("Pulumi.prod.yaml"), dir.resolve("Pulumi.staging.yaml"));
        var r = renderAll(dir);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("render: staging: ");
        assertThat(dir.resolve("target/render/staging/manifests.yaml")).exists();
    }
}
