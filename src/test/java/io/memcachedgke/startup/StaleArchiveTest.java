package io.memcachedgke.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A missing, broken or stale archive only costs speed: with the runtime flags the build writes, a JVM whose archive
 * is unusable starts, runs the program and prints nothing of it — nothing for Pulumi to show. Checked on the JDK
 * running the tests and on a JDK 25 where one is installed (its AOT cache and flags are other than JDK 17's).
 */
class StaleArchiveTest {
    private static final long TIMEOUT_SECONDS = 120;

    @Test
    void onThisJdk(@TempDir Path dir) throws Exception {
        assertSilentFallback(Jdks.current(), dir);
    }

    @Test
    void onJdk25(@TempDir Path dir) throws Exception {
        var jdk = Jdks.atLeast(25);
        if (jdk.isEmpty()) {
            assertThat(Jdks.installed()).noneMatch(j -> j.feature() >= 25);
            System.err.println("StaleArchiveTest: no JDK 25 or later under " + Jdks.JVM_DIR + ": not run");
            return;
        }
        assertSilentFallback(jdk.get(), dir);
    }

    private static void assertSilentFallback(Jdks.Jdk jdk, Path dir) throws Exception {
        var jar = dir.resolve("app.jar");
        writeJar(jar, null);
        var archive = dir.resolve(JvmOptions.archiveName(jdk.feature()));

        // A real archive for this jar, as the build trains one: usable as long as the jar is the same.
        var train = java(jdk, JvmOptions.trainingFlags(jdk.feature(), archive), jar);
        assertThat(Jdks.run(train, dir, TIMEOUT_SECONDS).exit()).as("training on JDK %s", jdk.feature()).isZero();
        assertThat(archive).exists();
        assertThat(Jdks.run(java(jdk, JvmOptions.runtimeFlags(jdk.feature(), archive, true), jar), dir, TIMEOUT_SECONDS))
            .as("the fresh archive is usable").extracting(Jdks.Run::exit).isEqualTo(0);

        // The jar rebuilt (another size, another time): the archive is stale, and FastStart's own check says so.
        var madeFor = new JvmOptions(JvmOptions.current(jar, archive), List.of());
        writeJar(jar, "rebuilt");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertThat(madeFor.madeFor(jar)).as("the stamp of a rebuilt jar").isFalse();
        if (jdk.feature() < 25) {
            // JDK 17's own check refuses it too, strictly (so this is a real stale archive) ...
            var strict = Jdks.run(java(jdk, JvmOptions.runtimeFlags(jdk.feature(), archive, true), jar), dir, TIMEOUT_SECONDS);
            assertThat(strict.exit()).as("a stale archive with the strict flags").isNotZero();
        }
        // (JDK 25.0.3's AOT cache does not notice a rebuilt jar and serves the classes it was trained on: only the
        // stamp in jvm.options, which FastStart checks, keeps a stale cache from running stale code there.)
        // ... and with the flags the build writes, the program runs and prints nothing of it.
        assertSilent(jdk, JvmOptions.runtimeFlags(jdk.feature(), archive, false), jar, dir, "stale archive");

        Files.write(archive, new byte[4096]);
        assertSilent(jdk, JvmOptions.runtimeFlags(jdk.feature(), archive, false), jar, dir, "broken archive");
        Files.delete(archive);
        assertSilent(jdk, JvmOptions.runtimeFlags(jdk.feature(), archive, false), jar, dir, "missing archive");
    }

    private static void assertSilent(Jdks.Jdk jdk, List<String> flags, Path jar, Path dir, String what) throws Exception {
        var run = Jdks.run(java(jdk, flags, jar), dir, TIMEOUT_SECONDS);
        assertThat(run.exit()).as("JDK %s, %s: exit (stderr %s)", jdk.feature(), what, run.err()).isZero();
        assertThat(run.out() + run.err()).as("JDK %s, %s: output", jdk.feature(), what).isEmpty();
    }

    private static List<String> java(Jdks.Jdk jdk, List<String> flags, Path jar) {
        var command = new ArrayList<String>();
        command.add(jdk.java().toString());
        command.addAll(flags);
        command.addAll(List.of("-cp", jar.toString(), ArchiveTraining.class.getName(), ArchiveTraining.CHECK));
        return command;
    }

    /** A jar of the start-up classes: {@code ArchiveTraining --check} runs and prints nothing. */
    private static void writeJar(Path jar, String extraEntry) throws IOException {
        var manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        var classes = Path.of(ArchiveTraining.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        try (var out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             var files = Files.list(classes.resolve("io/memcachedgke/startup"))) {
            for (var file : files.toList()) {
                out.putNextEntry(new ZipEntry("io/memcachedgke/startup/" + file.getFileName()));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
            if (extraEntry != null) {
                out.putNextEntry(new ZipEntry(extraEntry));
                out.write(extraEntry.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }
}
