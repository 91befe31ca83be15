package io.memcachedgke.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code target/jvm.options}: the JVM flags for a fast start of {@code target/memcached-gke.jar}, one a line, which
 * the build writes for the JDK that built it ({@link ArchiveTraining}); and beside it
 * {@code target/jvm.options.made-for}: what they were made for, so that {@link FastStart} uses them only with that
 * JDK and that jar — a class-data archive is only good for the JDK and the jar it was made from, and a flag of one
 * JDK can stop another from starting at all. {@code jvm.options} holds nothing but flags: it is a {@code java}
 * argument file ({@code java @target/jvm.options -cp target/memcached-gke.jar ...}) and can be put in
 * {@code JDK_JAVA_OPTIONS} as it is.
 *
 * @param madeFor the JDK ({@code java.home}, {@code java.vm.version}) and the jar (path, size, modification time)
 *                the flags are for, and the archive they name
 * @param flags   the flags, in order
 */
public record JvmOptions(Map<String, String> madeFor, List<String> flags) {

    /** The flags' file, beside the jar. */
    public static final String FILE_NAME = "jvm.options";
    /** What they were made for, beside them. */
    public static final String MADE_FOR_FILE_NAME = "jvm.options.made-for";

    static final String JAVA_HOME = "java.home";
    static final String VM_VERSION = "java.vm.version";
    static final String JAR = "jar";
    static final String JAR_SIZE = "jar.size";
    static final String JAR_MODIFIED = "jar.modified";
    static final String ARCHIVE = "archive";

    public JvmOptions {
        madeFor = Map.copyOf(madeFor);
        flags = List.copyOf(flags);
    }

    /**
     * The flags a start of the program gets, for a JDK of feature release {@code feature} and the archive
     * {@code archive} trained for it. Each is measured (docs/performance.md); a missing or stale archive only
     * costs the time it would have saved, silently.
     *
     * @param strict fail instead of running without an unusable archive: the build's check of a fresh archive
     */
    static List<String> runtimeFlags(int feature, Path archive, boolean strict) {
        var flags = new ArrayList<String>();
        if (feature >= 25) {
            // JEP 483/514: the classes of the training run, loaded and linked ahead of time.
            flags.add("-XX:AOTCache=" + archive);
            flags.add("-XX:AOTMode=" + (strict ? "on" : "auto"));
            flags.add("-Xlog:aot*=off");
        } else {
            // AppCDS (JEP 350): the classes of the training run, parsed and verified ahead of time.
            flags.add("-XX:SharedArchiveFile=" + archive);
            flags.add(strict ? "-Xshare:on" : "-Xshare:auto");
        }
        flags.add("-Xlog:cds*=off");
        flags.addAll(commonFlags(feature));
        return flags;
    }

    /** The flags of the training run that writes {@code archive}: the runtime's, so that the archive fits them. */
    static List<String> trainingFlags(int feature, Path archive) {
        var flags = new ArrayList<String>();
        flags.add(feature >= 25 ? "-XX:AOTCacheOutput=" + archive : "-XX:ArchiveClassesAtExit=" + archive);
        flags.addAll(commonFlags(feature));
        return flags;
    }

    /** The archive's file name: an AOT cache from JDK 25 on, a dynamic CDS archive before. */
    static String archiveName(int feature) {
        return feature >= 25 ? "memcached-gke.aot" : "memcached-gke.jsa";
    }

    private static List<String> commonFlags(int feature) {
        var flags = new ArrayList<String>();
        // A run of a few seconds: C1's quick code beats waiting for C2's, and one serial collector beats G1's threads.
        flags.add("-XX:TieredStopAtLevel=1");
        flags.add("-XX:+UseSerialGC");
        if (feature >= 23) {
            // protobuf 3.25 uses sun.misc.Unsafe's memory access; from JDK 24 the JVM warns on stderr, which Pulumi
            // would show in every preview (JEP 471/498).
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        return flags;
    }

    /** What this JVM and {@code jar} are now, in the terms of {@link #madeFor()}. */
    static Map<String, String> current(Path jar, Path archive) throws IOException {
        var m = new LinkedHashMap<String, String>();
        m.put(JAVA_HOME, System.getProperty(JAVA_HOME));
        m.put(VM_VERSION, System.getProperty(VM_VERSION));
        m.put(JAR, jar.toString());
        m.put(JAR_SIZE, Long.toString(Files.size(jar)));
        m.put(JAR_MODIFIED, Long.toString(Files.getLastModifiedTime(jar).toMillis()));
        m.put(ARCHIVE, archive.toString());
        return m;
    }

    /**
     * Whether these flags were made for this JVM and {@code jar} as it is now, and their archive is there.
     * {@code jar} is absolute and normalised, as {@link ArchiveTraining} writes it.
     */
    boolean madeFor(Path jar) {
        try {
            var archive = madeFor.get(ARCHIVE);
            return archive != null && Files.isRegularFile(Path.of(archive))
                && current(jar, Path.of(archive)).equals(madeFor);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Writes {@code jvm.options} and {@code jvm.options.made-for} into {@code dir}, the jar's directory. */
    void write(Path dir) throws IOException {
        var flagLines = new StringBuilder();
        flags.forEach(f -> flagLines.append(quoted(f)).append('\n'));
        var madeForLines = new StringBuilder("# What ").append(FILE_NAME)
            .append(" was made for; written by the build (io.memcachedgke.startup.ArchiveTraining).\n");
        madeFor.entrySet().stream().sorted(Map.Entry.comparingByKey())
            .forEach(e -> madeForLines.append(e.getKey()).append('=').append(e.getValue()).append('\n'));
        Files.writeString(dir.resolve(MADE_FOR_FILE_NAME), madeForLines);
        Files.writeString(dir.resolve(FILE_NAME), flagLines);
    }

    /** Reads both files from {@code dir}; empty when either is missing or not what {@link #write} writes. */
    static Optional<JvmOptions> read(Path dir) {
        try {
            var flags = new ArrayList<String>();
            for (var line : Files.readAllLines(dir.resolve(FILE_NAME))) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    flags.add(unquoted(line.trim()));
                }
            }
            var madeFor = new LinkedHashMap<String, String>();
            for (var line : Files.readAllLines(dir.resolve(MADE_FOR_FILE_NAME))) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    madeFor.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return flags.isEmpty() || madeFor.isEmpty() ? Optional.empty() : Optional.of(new JvmOptions(madeFor, flags));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** An argument file's token: quoted, with {@code \} and {@code "} escaped, when it holds anything but plain text. */
    static String quoted(String flag) {
        if (flag.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\' || c == '#')) {
            return flag;
        }
        return '"' + flag.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static String unquoted(String token) {
        if (token.length() < 2 || token.charAt(0) != '"' || token.charAt(token.length() - 1) != '"') {
            return token;
        }
        var b = new StringBuilder();
        for (int i = 1; i < token.length() - 1; i++) {
            char c = token.charAt(i);
            if (c == '\\' && i + 1 < token.length() - 1) {
                c = token.charAt(++i);
            }
            b.append(c);
        }
        return b.toString();
    }
}
