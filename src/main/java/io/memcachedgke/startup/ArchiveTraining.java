package io.memcachedgke.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Run by the build after the jar ({@code ./mvnw package}, pom.xml's {@code startup-archive}): trains a class-data
 * archive on the program's start for the JDK running the build and writes the flags that use it to
 * {@code target/jvm.options} ({@link JvmOptions}), which {@link FastStart} relaunches the program with.
 *
 * <p>The training run is the program under Pulumi's test engine on every stack of the project (the main class
 * the build names, the offline render of every stack, on copies of the stack files in {@code target/startup-training/}, so
 * {@code target/render/} is left alone): the program's own classes, Jackson, protobuf and the Pulumi SDK and
 * providers as the program uses them. The archive is checked by a start that fails if it cannot use it.
 *
 * <p>It never fails the build: when anything goes wrong it says so in one line, leaves no {@code jvm.options},
 * and the program starts at normal speed.
 *
 * <p>Usage: {@code java -cp target/classes io.memcachedgke.startup.ArchiveTraining <jar> <project dir> <training main>}.
 */
public final class ArchiveTraining {
    private ArchiveTraining() {}

    /** The argument of the check run; the check run does nothing else. */
    static final String CHECK = "--check";
    private static final long TRAINING_MINUTES = 10;

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals(CHECK)) {
            return;
        }
        if (args.length != 3) {
            System.err.println("usage: ArchiveTraining <jar> <project dir> <training main class>");
            System.exit(2);
        }
        var jar = Path.of(args[0]).toAbsolutePath().normalize();
        var projectDir = Path.of(args[1]).toAbsolutePath().normalize();
        try {
            // The build names the training run's main class: start-up code depends on nothing of the program.
            var problem = train(jar, projectDir, args[2]);
            if (problem != null) {
                System.err.println("startup: no class-data archive, the program will start at normal speed: " + problem);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("startup: no class-data archive, the program will start at normal speed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Trains the archive and writes {@code jvm.options} beside {@code jar}; the problem, or null when it worked. */
    static String train(Path jar, Path projectDir, String trainingMain) throws IOException, InterruptedException {
        var dir = jar.getParent();
        int feature = Runtime.version().feature();
        var archive = dir.resolve(JvmOptions.archiveName(feature));
        Files.deleteIfExists(dir.resolve(JvmOptions.FILE_NAME));
        Files.deleteIfExists(dir.resolve(JvmOptions.MADE_FOR_FILE_NAME));
        Files.deleteIfExists(archive);
        if (!Files.isRegularFile(jar)) {
            return jar + " does not exist";
        }
        var training = dir.resolve("startup-training");
        var stacks = copyStackFiles(projectDir, training);
        if (stacks == 0) {
            return "no Pulumi.<stack>.yaml in " + projectDir + " to train on";
        }
        var log = training.resolve("training.log");
        var command = java();
        command.addAll(JvmOptions.trainingFlags(feature, archive));
        // The training run is a render, whose entry point runs before any fix of the program's own could.
        command.addAll(CommonPool.flagsFor(feature));
        command.addAll(List.of("-cp", jar.toString(), trainingMain, training.toString()));
        // Its exit code is not asked: a refused stack still trains the program's start.
        if (run(command, log, TRAINING_MINUTES) < 0 || !Files.isRegularFile(archive)) {
            Files.deleteIfExists(archive);
            return "the training run wrote no archive (" + log + ")";
        }
        var check = java();
        check.addAll(JvmOptions.runtimeFlags(feature, archive, true));
        check.addAll(List.of("-cp", jar.toString(), ArchiveTraining.class.getName(), CHECK));
        if (run(check, training.resolve("check.log"), 1) != 0) {
            Files.deleteIfExists(archive);
            return "this JDK cannot use the archive it wrote (" + training.resolve("check.log") + ")";
        }
        new JvmOptions(JvmOptions.current(jar, archive), JvmOptions.runtimeFlags(feature, archive, false)).write(dir);
        return null;
    }

    /** Copies {@code Pulumi.yaml} and every {@code Pulumi.<stack>.yaml} into {@code training}; the number of stacks. */
    private static int copyStackFiles(Path projectDir, Path training) throws IOException {
        Files.createDirectories(training);
        int stacks = 0;
        try (Stream<Path> files = Files.list(projectDir)) {
            for (var file : files.toList()) {
                var name = file.getFileName().toString();
                if (name.equals("Pulumi.yaml") || name.matches("Pulumi\\.[^.]+\\.yaml")) {
                    Files.copy(file, training.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    stacks += name.equals("Pulumi.yaml") ? 0 : 1;
                }
            }
        }
        return stacks;
    }

    private static List<String> java() {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return command;
    }

    /** Runs {@code command} with its output in {@code log}; its exit code, or -1 when it did not end in time. */
    private static int run(List<String> command, Path log, long minutes) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
