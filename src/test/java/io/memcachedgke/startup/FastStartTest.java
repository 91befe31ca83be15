package io.memcachedgke.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the program relaunches itself with target/jvm.options, and when it runs where it was started. */
class FastStartTest {

    @Test
    void relaunchesOnlyAJvmStartedWithoutOptionsOfItsOwn() {
        assertThat(FastStart.startedWithoutOptions(new String[] {"-jar", "target/memcached-gke.jar"})).isTrue();
        assertThat(FastStart.startedWithoutOptions(new String[] {"-jar", "/abs/memcached-gke.jar", "x"})).isTrue();
        assertThat(FastStart.startedWithoutOptions(new String[] {"-cp", "a.jar", "io.memcachedgke.App"})).isTrue();
        assertThat(FastStart.startedWithoutOptions(new String[] {"--class-path", "a.jar", "io.memcachedgke.App"})).isTrue();
        assertThat(FastStart.startedWithoutOptions(new String[] {"-Xmx1g", "-jar", "a.jar"})).isFalse();
        assertThat(FastStart.startedWithoutOptions(
            new String[] {"-agentlib:jdwp=transport=dt_socket,server=y", "-jar", "a.jar"})).isFalse();
        assertThat(FastStart.startedWithoutOptions(new String[] {"-cp", "a.jar", "-Dx=y", "io.memcachedgke.App"})).isFalse();
        assertThat(FastStart.startedWithoutOptions(new String[] {"@target/jvm.options", "-cp", "a.jar", "io.memcachedgke.App"}))
            .isFalse();
        assertThat(FastStart.startedWithoutOptions(new String[] {"-cp", "a.jar"})).isFalse();
        assertThat(FastStart.startedWithoutOptions(new String[] {})).isFalse();
        assertThat(FastStart.startedWithoutOptions(null)).isFalse();
    }

    @Test
    void neverRelaunchesFromClassDirectories() {
        // The tests run from target/classes: Maven and IDE runs of the program stay in their JVM.
        assertThat(FastStart.jarOf(FastStart.class)).isEmpty();
        assertThat(FastStart.command(FastStart.class, new String[0])).isEmpty();
    }

    @Test
    void theOptionsReadBackAsWrittenAndTheFlagsFileHoldsNothingButFlags(@TempDir Path dir) throws Exception {
        var archive = dir.resolve("my dir").resolve("memcached-gke.jsa");
        var flags = JvmOptions.runtimeFlags(17, archive, false);
        var options = new JvmOptions(java.util.Map.of("jar", "/x/memcached-gke.jar", "archive", archive.toString()), flags);
        options.write(dir);
        assertThat(JvmOptions.read(dir)).contains(options);
        // One flag a line, nothing else: an argument file, and what JDK_JAVA_OPTIONS can take as it is.
        assertThat(Files.readAllLines(dir.resolve(JvmOptions.FILE_NAME)))
            .containsExactly("\"-XX:SharedArchiveFile=" + archive + "\"", "-Xshare:auto", "-Xlog:cds*=off",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        assertThat(JvmOptions.unquoted(JvmOptions.quoted("a \"b\" c\\d"))).isEqualTo("a \"b\" c\\d");
        Files.delete(dir.resolve(JvmOptions.MADE_FOR_FILE_NAME));
        assertThat(JvmOptions.read(dir)).as("without what they were made for").isEmpty();
        assertThat(JvmOptions.read(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void theFlagsAreForTheJdkTheyWereMadeFor() {
        var archive = Path.of("/p/target/x");
        assertThat(JvmOptions.runtimeFlags(17, archive, false))
            .containsExactly("-XX:SharedArchiveFile=/p/target/x", "-Xshare:auto", "-Xlog:cds*=off",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        assertThat(JvmOptions.runtimeFlags(25, archive, false))
            .containsExactly("-XX:AOTCache=/p/target/x", "-XX:AOTMode=auto", "-Xlog:aot*=off", "-Xlog:cds*=off",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "--sun-misc-unsafe-memory-access=allow");
        assertThat(JvmOptions.runtimeFlags(17, archive, true)).contains("-Xshare:on");
        assertThat(JvmOptions.runtimeFlags(25, archive, true)).contains("-XX:AOTMode=on");
        assertThat(JvmOptions.trainingFlags(17, archive)).startsWith("-XX:ArchiveClassesAtExit=/p/target/x");
        assertThat(JvmOptions.trainingFlags(25, archive)).startsWith("-XX:AOTCacheOutput=/p/target/x");
    }

    @Test
    void aRebuiltJarAnotherJdkOrAMissingArchiveIsNotWhatTheyWereMadeFor(@TempDir Path dir) throws Exception {
        var jar = Files.writeString(dir.resolve("memcached-gke.jar"), "jar");
        var archive = Files.writeString(dir.resolve("memcached-gke.jsa"), "archive");
        var madeFor = JvmOptions.current(jar, archive);
        var options = new JvmOptions(madeFor, List.of("-XX:TieredStopAtLevel=1"));
        assertThat(options.madeFor(jar)).isTrue();

        var otherJdk = new HashMap<>(madeFor);
        otherJdk.put(JvmOptions.VM_VERSION, "25.0.3+9-LTS");
        assertThat(new JvmOptions(otherJdk, options.flags()).madeFor(jar)).isFalse();

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1000));
        assertThat(options.madeFor(jar)).as("rebuilt jar").isFalse();

        options = new JvmOptions(JvmOptions.current(jar, archive), options.flags());
        Files.delete(archive);
        assertThat(options.madeFor(jar)).as("archive gone").isFalse();
    }
}
