package io.memcachedgke.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every shell script of the project passes Debian's shellcheck (warnings included, sourced files followed):
 * everything under scripts/ and the workflows' helpers under .github/scripts/. Fails, never skips, without
 * shellcheck (Debian: apt-get install -y shellcheck).
 */
class ShellcheckTest {
    private static final Path ROOT = Paths.get("").toAbsolutePath();

    static List<Path> scripts() throws Exception {
        try (Stream<Path> files = Stream.concat(walk("scripts"), walk(".github/scripts"))) {
            return files.filter(ShellcheckTest::isShell).sorted().toList();
        }
    }

    private static Stream<Path> walk(String dir) throws Exception {
        var path = ROOT.resolve(dir);
        return Files.isDirectory(path) ? Files.walk(path).filter(Files::isRegularFile) : Stream.empty();
    }

    private static boolean isShell(Path p) {
        if (p.toString().endsWith(".sh")) {
            return true;
        }
        try {
            var first = Files.readAllLines(p, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            return first.startsWith("#!") && first.matches("#!.*\\b(ba)?sh\\b.*");
        } catch (Exception binary) {
            return false;
        }
    }

    @Test
    void theScriptsAreFound() throws Exception {
        assertThat(scripts()).extracting(p -> ROOT.relativize(p).toString().replace('\\', '/'))
            .contains("scripts/e2e.sh", "scripts/lab-checks.sh", "scripts/lib/e2e-lib.sh", "scripts/measure-program-start.sh");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void passesShellcheck(Path script) throws Exception {
        var shellcheck = ScriptSandbox.require("shellcheck", "Debian: apt-get install -y shellcheck");
        var process = new ProcessBuilder(shellcheck.toString(), "--external-sources", "--format=gcc", script.toString())
            .directory(script.getParent().toFile()).redirectErrorStream(true).start();
        var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("shellcheck %s:%n%s", ROOT.relativize(script), out).isZero();
    }
}
