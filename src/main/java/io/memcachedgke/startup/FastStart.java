package io.memcachedgke.startup;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The fast start Pulumi cannot ask for: Pulumi runs the program as {@code java -jar target/memcached-gke.jar}
 * with no way to add JVM flags ({@code Pulumi.yaml} has no option for them: pulumi/pulumi-java#1152), so the
 * program relaunches itself with the flags the build chose ({@code target/jvm.options}: the class-data archive
 * trained on the program's start, C1 only, the serial collector) when they were made for this JDK and this jar.
 * Otherwise — no {@code jvm.options}, another JDK, a rebuilt jar, a JVM started with options of its own (on its
 * command line, in {@code JDK_JAVA_OPTIONS} or {@code JAVA_TOOL_OPTIONS}), or {@code MEMCACHEDGKE_FAST_START=0} —
 * the program runs in the JVM it was started in, at normal speed, and says
 * nothing. The relaunch costs one small JVM start, measured in docs/performance.md.
 */
public final class FastStart {
    private FastStart() {}

    /** Set to {@code 0} to run the program in the JVM Pulumi started, without relaunching. */
    public static final String SWITCH = "MEMCACHEDGKE_FAST_START";
    /** The system property that marks the relaunched JVM, which never relaunches again. */
    static final String RELAUNCHED = "io.memcachedgke.startup.relaunched";

    /** How often the relaunched JVM checks that its parent still runs. */
    private static final long PARENT_POLL_MILLIS = 200;

    /**
     * {@code java -cp target/memcached-gke.jar io.memcachedgke.startup.FastStart <main class> [args]}: runs another main
     * class of the jar as the program runs, relaunched with the fast-start flags when they fit; what
     * scripts/measure-program-start.sh times the relaunch with.
     */
    public static void main(String[] args) throws ReflectiveOperationException {
        if (args.length == 0) {
            System.err.println("usage: java -cp <jar> io.memcachedgke.startup.FastStart <main class> [args]");
            System.exit(2);
        }
        CommonPool.ensureParallelism();
        var main = Class.forName(args[0], false, FastStart.class.getClassLoader());
        var rest = Arrays.copyOfRange(args, 1, args.length);
        relaunchIfPrepared(main, rest);
        main.getMethod("main", String[].class).invoke(null, (Object) rest);
    }

    /**
     * Runs {@code main} with {@code args} in a new JVM started with the build's fast-start flags, and exits with its
     * exit code, when this JVM was started from the jar without options of its own and the flags were made for this
     * JDK and this jar. Returns otherwise, and the caller runs the program here. In the relaunched JVM it only
     * makes that JVM end when this one does.
     */
    public static void relaunchIfPrepared(Class<?> main, String[] args) {
        if (System.getProperty(RELAUNCHED) != null) {
            exitWithParent();
            return;
        }
        var command = command(main, args);
        if (command.isEmpty()) {
            return;
        }
        Process started;
        try {
            started = new ProcessBuilder(command.get()).inheritIO().start();
        } catch (IOException | RuntimeException e) {
            return;
        }
        // Ended by a signal (Pulumi cancelling, Ctrl-C): end the program too.
        // (A class, not a lambda: this JVM runs without the archive, where a first lambda costs milliseconds.)
        Runtime.getRuntime().addShutdownHook(new Thread("fast-start-child-stop") {
            @Override
            public void run() {
                started.destroy();
            }
        });
        while (true) {
            try {
                System.exit(started.waitFor());
            } catch (InterruptedException e) {
                // Only the child's end ends this JVM.
            }
        }
    }

    /** The command that starts {@code main} fast, when this JVM may and can start it so. */
    static Optional<List<String>> command(Class<?> main, String[] args) {
        // Flags of the user's own, from the environment, stay theirs (and may already be the fast-start flags).
        if ("0".equals(System.getenv(SWITCH)) || isSet("JDK_JAVA_OPTIONS") || isSet("JAVA_TOOL_OPTIONS")) {
            return Optional.empty();
        }
        var jar = jarOf(main);
        if (jar.isEmpty() || !startedWithoutOptions(ProcessHandle.current().info().arguments().orElse(null))) {
            return Optional.empty();
        }
        var options = JvmOptions.read(jar.get().getParent());
        if (options.isEmpty() || !options.get().madeFor(jar.get())) {
            return Optional.empty();
        }
        var java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (!Files.isExecutable(java)) {
            return Optional.empty();
        }
        var command = new ArrayList<String>();
        command.add(java.toString());
        command.addAll(options.get().flags());
        command.add("-D" + RELAUNCHED + "=true");
        command.add("-cp");
        command.add(jar.get().toString());
        command.add(main.getName());
        command.addAll(Arrays.asList(args));
        return Optional.of(command);
    }

    private static boolean isSet(String variable) {
        var value = System.getenv(variable);
        return value != null && !value.isBlank();
    }

    /** The jar {@code main} was loaded from, absolute and normalised; empty when it came from a directory. */
    static Optional<Path> jarOf(Class<?> main) {
        try {
            var source = main.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            var path = Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
            return path.toString().endsWith(".jar") && Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the JVM's command line ({@code arguments}, the executable left out) holds no option but the class
     * path or {@code -jar} before the program: as Pulumi starts it. A JVM started with flags of its own (a debugger
     * agent, a heap size, an {@code @argument-file}) keeps them: it runs the program itself.
     */
    static boolean startedWithoutOptions(String[] arguments) {
        if (arguments == null) {
            return false;
        }
        for (int i = 0; i < arguments.length; i++) {
            var a = arguments[i];
            if (a.equals("-jar")) {
                return true;
            }
            if (!a.equals("-cp") && !a.equals("-classpath") && !a.equals("--class-path")) {
                // The main class, or an option: a flag, or an argument file (@file) of them.
                return !a.startsWith("-") && !a.startsWith("@");
            }
            i++;
        }
        return false;
    }

    /**
     * In the relaunched JVM: ends it when the parent JVM ends first, however that ends (a SIGKILL runs no shutdown
     * hook), rather than go on talking to the Pulumi engine with no one waiting for its exit code. It polls: a
     * thread blocked in a native read would hold up every exit of the JVM by 300 ms.
     */
    private static void exitWithParent() {
        var parent = ProcessHandle.current().parent();
        if (parent.isEmpty()) {
            return;
        }
        var watcher = new Thread(() -> {
            try {
                while (parent.get().isAlive()) {
                    Thread.sleep(PARENT_POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(1);
        }, "fast-start-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
