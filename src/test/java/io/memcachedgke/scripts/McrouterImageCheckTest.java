package io.memcachedgke.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gate of the mcrouter image workflow, offline. {@code scripts/lib/mcrouter_as_deployed.py} turns a stack's
 * render into the {@code docker run} arguments of its DaemonSet's mcrouter container, held here against the render
 * itself (the shipped dev and prod renders, {@code src/test/resources/golden/}); and
 * {@code scripts/mcrouter-image-check.sh} runs whole with a fake {@code docker} that starts real memcached processes
 * for the shards and the mcrouter stand-in ({@code e2e/fakes/mcrouter-standin.py}: mcrouter is in no registry here)
 * for the image, reading the digest from the config file it is given, as mcrouter does.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class McrouterImageCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PROJECT = Paths.get("").toAbsolutePath();

    /** The fake docker: containers are local processes (their PIDs are the ids); every command line is recorded. */
    private static final String DOCKER = """
        #!/usr/bin/env bash
        echo "$*" >> "$FAKE_DIR/docker.log"
        case "$1" in
          logs) exit 0 ;;
          rm) shift 2; kill "$@" 2>/dev/null; exit 0 ;;
          run) shift ;;
          *) echo "fake docker: unexpected: $*" >&2; exit 1 ;;
        esac
        volume=""
        while [ $# -gt 0 ]; do
          case "$1" in
            -d|--read-only) shift ;;
            --volume) volume=$2; shift 2 ;;
            --network|--user|--cap-drop|--security-opt|--tmpfs|--env) shift 2 ;;
            *) break ;;
          esac
        done
        image=$1; shift
        case "$1" in
          memcached) shift; memcached "$@" -u nobody >/dev/null 2>&1 & echo $! ;;
          mcrouter)
            for a in "$@"; do
              case "$a" in
                --port=*) port=${a#--port=} ;;
                --config=file:*) config=${a#--config=file:} ;;
                --config-params=*) params=${a#--config-params=} ;;
              esac
            done
            src=${volume%%:*}; dst=${volume#*:}; dst=${dst%:ro}
            digest=$(md5sum "$src/${config#"$dst"/}" | cut -d' ' -f1)
            node=${params#node_name:}; node=${node%%,*}
            echo "$image" > "$FAKE_DIR/mcrouter-image"
            python3 "$STANDIN" "$port" "$digest" "$node" 21211 >/dev/null 2>&1 & echo $! ;;
          *) echo "fake docker: unexpected command: $*" >&2; exit 1 ;;
        esac
        """;

    private static List<String> deployedArgs(String stack, Path config) throws Exception {
        var r = run(List.of("python3", "scripts/lib/mcrouter_as_deployed.py", golden(stack).toString(), "example/mcrouter:v1",
            config.toString(), "node-a", "127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"), null);
        assertThat(r.exit).as(r.output).isZero();
        return List.of(r.output.strip().split("\n"));
    }

    private static Path golden(String stack) {
        return PROJECT.resolve("src/test/resources/golden").resolve(stack);
    }

    private static JsonNode daemonSetPod(String stack) throws Exception {
        for (var r : JSON.readTree(golden(stack).resolve("resources.json").toFile())) {
            if (r.get("type").asText().equals("kubernetes:apps/v1:DaemonSet")) {
                return r.at("/inputs/spec/template/spec");
            }
        }
        throw new AssertionError("no DaemonSet in the " + stack + " render");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theImageRunsWithTheDaemonSetsCommandFlagsUserAndMounts(String stack, @TempDir Path tmp) throws Exception {
        var args = deployedArgs(stack, tmp.resolve("config"));
        var pod = daemonSetPod(stack);
        var container = pod.get("containers").get(0);
        assertThat(container.get("name").asText()).isEqualTo("mcrouter");

        var expected = new ArrayList<String>();
        container.get("command").forEach(c -> expected.add(c.asText()));
        container.get("args").forEach(a -> expected.add(a.asText().replace("$(NODE_NAME)", "node-a")));
        var image = args.indexOf("example/mcrouter:v1");
        assertThat(args.subList(image + 1, args.size())).isEqualTo(expected);
        assertThat(args.subList(image + 1, args.size())).contains("--config=file:/etc/mcrouter/config.json")
            .anyMatch(a -> a.startsWith("--config-params=node_name:node-a,template:"));

        var options = String.join(" ", args.subList(0, image));
        assertThat(options).contains("--user " + pod.at("/securityContext/runAsUser").asInt() + ":"
                + pod.at("/securityContext/runAsGroup").asInt(),
            "--read-only", "--cap-drop ALL", "--security-opt no-new-privileges",
            "--volume " + tmp.resolve("config") + ":/etc/mcrouter:ro", "--tmpfs /var/mcrouter:uid=65534,gid=65534,size=64m",
            "--env NODE_NAME=node-a");
        // The config mounted is the stack's own, with only the shards' addresses replaced, in order.
        var config = JSON.readTree(tmp.resolve("config/config.json").toFile());
        assertThat(config.at("/pools/A/servers").toString()).isEqualTo("[\"127.0.0.1:1\",\"127.0.0.1:2\",\"127.0.0.1:3\"]");
        assertThat(config.get("route").asText()).isEqualTo("PoolRoute|A");
    }

    @Test
    void aPoolOfAnotherSizeIsRefusedWithOneLine(@TempDir Path tmp) throws Exception {
        var r = run(List.of("python3", "scripts/lib/mcrouter_as_deployed.py", golden("dev").toString(), "example/mcrouter:v1",
            tmp.resolve("config").toString(), "node-a", "127.0.0.1:1"), null);
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output.strip()).isEqualTo("mcrouter_as_deployed: the pool has 3 servers, but 1 were given");
    }

    @Test
    void theWholeCheckPassesWhenTheImageServesAndReportsTheMountedConfigsDigest(@TempDir Path tmp) throws Exception {
        ScriptSandbox.require("memcached", "Debian: apt-get install -y memcached");
        var fake = Files.createDirectories(tmp.resolve("fake"));
        var docker = Files.createDirectories(tmp.resolve("bin")).resolve("docker");
        Files.writeString(docker, DOCKER);
        docker.toFile().setExecutable(true);

        var r = run(List.of("bash", "scripts/mcrouter-image-check.sh", "example/mcrouter:v1", golden("dev").toString()),
            tmp);
        assertThat(r.exit).as(r.output).isZero();
        var lines = r.output.strip().split("\n");
        assertThat(lines[lines.length - 1]).startsWith(
            "mcrouter-image-check: OK: example/mcrouter:v1 runs as the render's DaemonSet runs it (port 5000, 3 shards, digest ");
        assertThat(Files.readString(fake.resolve("mcrouter-image")).strip()).isEqualTo("example/mcrouter:v1");
        var log = Files.readAllLines(fake.resolve("docker.log"));
        // Three shards of the stack's own memcached image, then the image under test, then everything removed.
        assertThat(log.get(0)).contains("memcached:1.6.38-alpine memcached -l 127.0.0.1 -p 21211");
        assertThat(log.get(3)).startsWith("run -d --network host --user 65534:65534 --read-only --cap-drop ALL");
        assertThat(log.get(log.size() - 1)).startsWith("rm -f ");
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command, Path tmp) throws Exception {
        var pb = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true);
        if (tmp != null) {
            var env = pb.environment();
            env.put("PATH", tmp.resolve("bin") + File.pathSeparator + System.getenv("PATH"));
            env.put("FAKE_DIR", tmp.resolve("fake").toString());
            env.put("STANDIN", PROJECT.resolve("e2e/fakes/mcrouter-standin.py").toString());
        }
        var p = pb.start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(100, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
