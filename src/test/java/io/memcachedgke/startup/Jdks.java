package io.memcachedgke.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The JDKs installed beside the one running the tests (Debian's and Adoptium's packages put them in /usr/lib/jvm). */
final class Jdks {
    private Jdks() {}

    static final Path JVM_DIR = Path.of("/usr/lib/jvm");

    /** An installed JDK: its home and its feature release, from its {@code release} file. */
    record Jdk(Path home, int feature) {
        Path java() {
            return home.resolve("bin").resolve("java");
        }
    }

    /** The JDK running the tests. */
    static Jdk current() {
        return new Jdk(Path.of(System.getProperty("java.home")), Runtime.version().feature());
    }

    /** Every JDK under {@link #JVM_DIR} with a {@code release} file and a {@code bin/java}, by real path. */
    static List<Jdk> installed() throws IOException {
        var found = new ArrayList<Jdk>();
        if (!Files.isDirectory(JVM_DIR)) {
            return found;
        }
        try (Stream<Path> dirs = Files.list(JVM_DIR)) {
            for (var dir : dirs.map(Jdks::real).distinct().sorted().toList()) {
                var release = dir.resolve("release");
                if (Files.isRegularFile(release) && Files.isExecutable(dir.resolve("bin/java"))) {
                    featureOf(Files.readAllLines(release)).ifPresent(f -> found.add(new Jdk(dir, f)));
                }
            }
        }
        return found;
    }

    /** The newest installed JDK of feature release {@code feature} or later. */
    static Optional<Jdk> atLeast(int feature) throws IOException {
        return installed().stream().filter(j -> j.feature() >= feature).max(Comparator.comparingInt(Jdk::feature));
    }

    static Optional<Integer> featureOf(List<String> releaseLines) {
        for (var line : releaseLines) {
            if (line.startsWith("JAVA_VERSION=")) {
                var v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                var first = v.split("[.+-]")[0];
                return Optional.of(Integer.parseInt(first.equals("1") ? v.split("\\.")[1] : first));
            }
        }
        return Optional.empty();
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    /** What a process printed and how it ended; {@code exit} is -1 when it did not end in time (and was killed). */
    record Run(int exit, String out, String err, long millis) {}

    static Run run(List<String> command, Path dir, long timeoutSeconds) throws IOException, InterruptedException {
        var out = Files.createTempFile("startup-test", ".out");
        var err = Files.createTempFile("startup-test", ".err");
        try {
            long start = System.nanoTime();
            var process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!ended) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new Run(ended ? process.exitValue() : -1, Files.readString(out), Files.readString(err), millis);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
