package io.memcachedgke.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The program finishes on every supported JDK, also where the SDK used to spin forever: JDK 25 with one or two
 * CPUs (pulumi/pulumi-java#2270; {@link CommonPool}). Each case runs the offline render of the dev stack — the real
 * program under Pulumi's test engine, from its own entry point — in a JVM of its own, bounded in time: a hang fails.
 */
class RenderOnEveryJdkTest {
    /** A render takes seconds; a hang never ends. */
    private static final long TIMEOUT_SECONDS = 180;
    private static final Path PROJECT_DIR = Path.of("").toAbsolutePath();

    @Test
    void rendersOnJdk25WithTwoCpusAndWithOne() throws Exception {
        var jdk25 = Jdks.atLeast(25);
        if (jdk25.isEmpty()) {
            // Absence must be genuine: the scan works (it finds the JDK running this test) and found no JDK 25.
            var installed = Jdks.installed();
            assertThat(installed).as("the JDK scan of %s", Jdks.JVM_DIR)
                .anyMatch(j -> j.feature() == Runtime.version().feature());
            assertThat(installed).noneMatch(j -> j.feature() >= 25);
            System.err.println("RenderOnEveryJdkTest: no JDK 25 or later under " + Jdks.JVM_DIR + " (found " + installed
                + "): the JDK 25 case is not run here");
            return;
        }
        assertRenders(jdk25.get(), List.of("-XX:ActiveProcessorCount=2"), false);
        assertRenders(jdk25.get(), List.of("-XX:ActiveProcessorCount=1"), false);
        if (Files.isExecutable(Path.of("/usr/bin/taskset"))) {
            // One CPU for real, not only as the JVM counts them.
            assertRenders(jdk25.get(), List.of(), true);
        }
    }

    @Test
    void rendersOnJdk17WithTwoCpus() throws Exception {
        var jdk17 = Jdks.installed().stream().filter(j -> j.feature() == 17).findFirst().orElse(Jdks.current());
        assertRenders(jdk17, List.of("-XX:ActiveProcessorCount=2"), false);
    }

    private static void assertRenders(Jdks.Jdk jdk, List<String> flags, boolean oneCpu) throws Exception {
        var command = new ArrayList<String>();
        if (oneCpu) {
            command.addAll(List.of("/usr/bin/taskset", "-c", "0"));
        }
        command.add(jdk.java().toString());
        command.addAll(flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.memcachedgke.render.Render", "dev"));
        var run = Jdks.run(command, PROJECT_DIR, TIMEOUT_SECONDS);
        var what = "JDK " + jdk.feature() + " " + String.join(" ", flags) + (oneCpu ? " on one CPU (taskset)" : "");
        assertThat(run.exit())
            .as("%s: the render %s; stderr: %s", what, run.exit() < 0
                ? "did not finish in " + TIMEOUT_SECONDS + " s (the SDK's loop spins: pulumi/pulumi-java#2270)"
                : "exited " + run.exit(), run.err())
            .isZero();
        assertThat(run.out()).as(what).contains("render: dev: last resource registered");
    }
}
