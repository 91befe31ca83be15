package io.memcachedgke.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The render as a user runs it: a separate JVM, its exit code and what it prints. */
class RenderCommandTest {

    record Result(int exit, String out, String err) {}

    private static Result render(Path projectDir, String stack) throws Exception {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            "io.memcachedgke.render.Render", stack)
            .directory(projectDir.toFile())
            .start();
        var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        var err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out, err);
    }

    private static void copyProject(Path to, String stackFile, String content) throws Exception {
        Files.copy(Stacks.PROJECT_DIR.resolve("Pulumi.yaml"), to.resolve("Pulumi.yaml"));
        Files.writeString(to.resolve(stackFile), content);
    }

    @Test
    void writesBothFilesAndSaysWhatItRendered(@TempDir Path dir) throws Exception {
        copyProject(dir, "Pulumi.dev.yaml", Files.readString(Stacks.PROJECT_DIR.resolve("Pulumi.dev.yaml")));
        var r = render(dir, "dev");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("render: dev: 54 resources, 28 Kubernetes objects -> target/render/dev")
            .contains("-m 64 -c 1024 -t 1, container limit 112 MiB");
        assertThat(dir.resolve("target/render/dev/resources.json")).exists();
        assertThat(dir.resolve("target/render/dev/manifests.yaml")).exists();
    }

    @Test
    void anUnknownStackExitsNonZeroWithOneLine(@TempDir Path dir) throws Exception {
        copyProject(dir, "Pulumi.dev.yaml", "config: {}\n");
        var r = render(dir, "staging");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().toList()).containsExactly(
            "render: staging: no stack 'staging': Pulumi.staging.yaml does not exist; the stacks are dev");
        assertThat(dir.resolve("target")).doesNotExist();
    }

    @Test
    void invalidConfigurationExitsNonZeroWithEveryProblemOnOneLine(@TempDir Path dir) throws Exception {
        copyProject(dir, "Pulumi.bad.yaml", String.join("\n", List.of(
            "config:",
            "  memcached-gke:namespace: Not_A_Label",
            "  memcached-gke:memcached:",
            "    replicas: 0",
            "")));
        var r = render(dir, "bad");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().toList()).containsExactly("render: bad: invalid configuration (2 problems): "
            + "memcached-gke:namespace must be an RFC 1123 label (lower-case letters, digits and '-', starting and ending "
            + "with a letter or digit, at most 63 characters), but 'Not_A_Label' was provided; "
            + "memcached-gke:memcached.replicas must be between 1 and 64, but 0 was provided");
        assertThat(r.out()).isEmpty();
        assertThat(dir.resolve("target")).doesNotExist();
    }
}
