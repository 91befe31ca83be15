package io.memcachedgke.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
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
 * for the image, reading the digest from the config file it is given, as mcrouter does. The fake carries the bind
 * mounts over (a container's paths become the mounted directories' copies), so with prod's mutual TLS the shards are
 * Debian's memcached with the render's own {@code -Z -o ssl_...} arguments, and the stand-in reaches them over TLS
 * only through what the render gives mcrouter: the {@code use_ssl} pool of the mounted config, the {@code --pem-*}
 * flags and the Secret's mount. A render without any one of them fails the check.
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
          rm)
            # docker rm -f returns once the containers are gone: their ports are free again.
            shift 2
            kill "$@" 2>/dev/null
            for pid in "$@"; do
              for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            done
            exit 0 ;;
          run) shift ;;
          *) echo "fake docker: unexpected: $*" >&2; exit 1 ;;
        esac
        mounts=()
        while [ $# -gt 0 ]; do
          case "$1" in
            -d|--read-only) shift ;;
            --volume)
              # A bind mount reaches its source whatever the host's parent directories allow (the script's work
              # directory is private; memcached reads as nobody): a copy every user can read stands for it.
              src=${2%%:*}; dst=${2#*:}; dst=${dst%:ro}
              copy=$(mktemp -d "$FAKE_DIR/mount.XXXXXX")
              cp -R "$src/." "$copy/"
              chmod -R a+rX "$copy"
              mounts+=("$dst=$copy")
              shift 2 ;;
            --network|--user|--cap-drop|--security-opt|--tmpfs|--env) shift 2 ;;
            *) break ;;
          esac
        done
        image=$1; shift
        # The container's paths under a mount, as the process here sees them.
        args=()
        for a in "$@"; do
          for m in "${mounts[@]}"; do a=${a//"${m%%=*}/"/"${m#*=}/"}; done
          args+=("$a")
        done
        set -- "${args[@]}"
        case "$1" in
          memcached) shift; memcached "$@" -u nobody >>"$FAKE_DIR/memcached.log" 2>&1 & echo $! ;;
          mcrouter)
            shift
            flags=()
            for a in "$@"; do
              case "$a" in
                --port=*) port=${a#--port=} ;;
                --config=file:*) config=${a#--config=file:}; flags+=("$a") ;;
                --pem-cert-path=*|--pem-key-path=*|--pem-ca-path=*) flags+=("$a") ;;
                --config-params=*) params=${a#--config-params=} ;;
              esac
            done
            digest=$(md5sum "$config" | cut -d' ' -f1)
            node=${params#node_name:}; node=${node%%,*}
            echo "$image" > "$FAKE_DIR/mcrouter-image"
            echo "${flags[*]}" > "$FAKE_DIR/standin-flags"
            python3 "$STANDIN" "${flags[@]}" "$port" "$digest" "$node" >>"$FAKE_DIR/standin.log" 2>&1 & echo $! ;;
          *) echo "fake docker: unexpected command: $*" >&2; exit 1 ;;
        esac
        """;

    private static List<String> deployedArgs(String stack, Path config, Path tlsDir) throws Exception {
        var command = new ArrayList<>(List.of("python3", "scripts/lib/mcrouter_as_deployed.py"));
        if (tlsDir != null) {
            command.addAll(List.of("--tls-dir", tlsDir.toString()));
        }
        command.addAll(List.of(golden(stack).toString(), "example/mcrouter:v1", config.toString(), "node-a",
            "127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"));
        var r = run(command, null);
        assertThat(r.exit).as(r.output).isZero();
        return List.of(r.output.strip().split("\n"));
    }

    /** A directory as the proxy's Secret holds it (empty files: the arguments only name them). */
    private static Path secretDir(Path dir) throws Exception {
        Files.createDirectories(dir);
        for (var f : List.of("tls.crt", "tls.key", "ca.crt")) {
            Files.writeString(dir.resolve(f), "");
        }
        return dir;
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
        var pod = daemonSetPod(stack);
        var tls = hasSecretVolume(pod) ? secretDir(tmp.resolve("tls")) : null;
        var args = deployedArgs(stack, tmp.resolve("config"), tls);
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
        assertThat(config.at("/pools/A/use_ssl").asBoolean()).isEqualTo(tls != null);
        if (tls != null) {
            // prod's mutual TLS: the proxy's certificate where the DaemonSet mounts its Secret, named by the flags.
            assertThat(options).contains("--volume " + tls + ":/etc/memcached-gke/tls:ro");
            assertThat(args.subList(image + 1, args.size())).contains("--pem-cert-path=/etc/memcached-gke/tls/tls.crt",
                "--pem-key-path=/etc/memcached-gke/tls/tls.key", "--pem-ca-path=/etc/memcached-gke/tls/ca.crt");
        } else {
            assertThat(options).doesNotContain("/etc/memcached-gke/tls");
        }
    }

    private static boolean hasSecretVolume(JsonNode pod) {
        for (var v : pod.get("volumes")) {
            if (v.has("secret")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aSecretVolumeWithoutTlsDirIsRefusedWithOneLineNamingTheFlag(@TempDir Path tmp) throws Exception {
        var r = run(List.of("python3", "scripts/lib/mcrouter_as_deployed.py", golden("prod").toString(), "example/mcrouter:v1",
            tmp.resolve("config").toString(), "node-a", "127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"), null);
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output.strip()).isEqualTo("mcrouter_as_deployed: the mcrouter container mounts Secret "
            + "mycache-mcrouter-tls at /etc/memcached-gke/tls: pass --tls-dir <dir> with its files (tls.crt, tls.key, ca.crt)");
    }

    @Test
    void aTlsDirMissingAFileTheFlagsNameIsRefused(@TempDir Path tmp) throws Exception {
        var tls = secretDir(tmp.resolve("tls"));
        Files.delete(tls.resolve("ca.crt"));
        var r = run(List.of("python3", "scripts/lib/mcrouter_as_deployed.py", "--tls-dir", tls.toString(),
            golden("prod").toString(), "example/mcrouter:v1", tmp.resolve("config").toString(), "node-a", "127.0.0.1:1",
            "127.0.0.1:2", "127.0.0.1:3"), null);
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output.strip()).isEqualTo("mcrouter_as_deployed: the mcrouter container reads "
            + "/etc/memcached-gke/tls/ca.crt, but --tls-dir " + tls + " has no ca.crt");
    }

    @Test
    void aTlsDirForAProxyWithoutASecretIsRefused(@TempDir Path tmp) throws Exception {
        var tls = secretDir(tmp.resolve("tls"));
        var r = run(List.of("python3", "scripts/lib/mcrouter_as_deployed.py", "--tls-dir", tls.toString(),
            golden("dev").toString(), "example/mcrouter:v1", tmp.resolve("config").toString(), "node-a", "127.0.0.1:1",
            "127.0.0.1:2", "127.0.0.1:3"), null);
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output.strip()).startsWith("mcrouter_as_deployed: --tls-dir " + tls + " was given, but the mcrouter "
            + "container mounts no Secret");
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
        var fake = fakeDocker(tmp);

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
        assertThat(String.join("\n", log)).doesNotContain("-Z", "--pem-", "/etc/memcached-gke/tls");
    }

    /**
     * prod: the shards serve mutual TLS with the render's own arguments and refuse plain text; the stand-in, given
     * the rendered flags, config and mount, writes every shard over TLS with the proxy's certificate.
     */
    @Test
    void prodsProxyReachesShardsThatServeOnlyMutualTls(@TempDir Path tmp) throws Exception {
        ScriptSandbox.require("openssl", "Debian: apt-get install -y openssl");
        var fake = fakeDocker(tmp);

        var r = run(List.of("bash", "scripts/mcrouter-image-check.sh", "example/mcrouter:v1", golden("prod").toString()),
            tmp);
        assertThat(r.exit).as(r.output).isZero();
        var lines = r.output.strip().split("\n");
        assertThat(lines[lines.length - 1]).as(r.output)
            .startsWith("mcrouter-image-check: OK: example/mcrouter:v1 runs as the render's DaemonSet runs it (port 5000, 3 shards, digest ")
            .endsWith("; over mutual TLS: each shard refuses plain text and holds keys written through the proxy)");

        var log = Files.readAllLines(fake.resolve("docker.log"));
        // Each shard: the stack's memcached image with the StatefulSet's TLS arguments as rendered, the shards'
        // certificate mounted where the StatefulSet mounts its Secret.
        var tlsArgs = String.join(" ", memcachedTlsArgs("prod"));
        assertThat(tlsArgs).startsWith("-Z -o ssl_chain_cert=/etc/memcached-gke/tls/tls.crt,").endsWith(",ssl_verify_mode=2,ssl_session_cache");
        for (int i = 0; i < 3; i++) {
            assertThat(log.get(i)).matches("run -d --network host --user 11211:11211 --read-only --cap-drop ALL --volume "
                + "\\S+/shard-tls:/etc/memcached-gke/tls:ro memcached:1\\.6\\.38-alpine memcached -l 127\\.0\\.0\\.1 -p "
                + (21211 + i) + " -U 0 -m 16 " + Pattern.quote(tlsArgs));
        }
        assertThat(log.get(3)).startsWith("run -d --network host --user 65534:65534 --read-only --cap-drop ALL")
            .containsPattern("--volume \\S+/proxy-tls:/etc/memcached-gke/tls:ro")
            .contains("--pem-cert-path=/etc/memcached-gke/tls/tls.crt --pem-key-path=/etc/memcached-gke/tls/tls.key "
                + "--pem-ca-path=/etc/memcached-gke/tls/ca.crt");
        // The stand-in was handed the mounted config (with its use_ssl pool) and the flags, at the mounts' copies.
        assertThat(Files.readString(fake.resolve("standin-flags"))).contains("--config=file:" + fake + "/mount.")
            .contains("--pem-cert-path=" + fake + "/mount.");
    }

    /** What the check would wave through if the stand-in ignored TLS: each part the render gives the proxy matters. */
    @ParameterizedTest
    @ValueSource(strings = {"no use_ssl in the pool", "no --pem-* flags", "no Secret mounted"})
    void prodsCheckFailsWhenTheProxyLacksAPartOfItsTls(String mutation, @TempDir Path tmp) throws Exception {
        ScriptSandbox.require("openssl", "Debian: apt-get install -y openssl");
        fakeDocker(tmp);
        var render = Files.createDirectories(tmp.resolve("render"));
        var resources = (ArrayNode) JSON.readTree(
            golden("prod").resolve("resources.json").toFile());
        for (var r : resources) {
            var inputs = (ObjectNode) r.get("inputs");
            var kind = inputs.path("kind").asText();
            if (mutation.startsWith("no use_ssl") && kind.equals("ConfigMap")
                    && inputs.at("/metadata/name").asText().equals("mycache-mcrouter")) {
                var data = (ObjectNode) inputs.get("data");
                var config = (ObjectNode) JSON.readTree(data.get("config.json").asText());
                ((ObjectNode) config.at("/pools/A")).remove("use_ssl");
                data.put("config.json", JSON.writeValueAsString(config));
            }
            if (kind.equals("DaemonSet")) {
                var container = (ObjectNode) inputs.at("/spec/template/spec/containers/0");
                if (mutation.startsWith("no --pem")) {
                    var args = JSON.createArrayNode();
                    container.get("args").forEach(a -> {
                        if (!a.asText().startsWith("--pem-")) {
                            args.add(a);
                        }
                    });
                    container.set("args", args);
                }
                if (mutation.startsWith("no Secret")) {
                    var mounts = JSON.createArrayNode();
                    container.get("volumeMounts").forEach(m -> {
                        if (!m.get("name").asText().equals("tls")) {
                            mounts.add(m);
                        }
                    });
                    container.set("volumeMounts", mounts);
                }
            }
        }
        JSON.writeValue(render.resolve("resources.json").toFile(), resources);

        var r = run(List.of("bash", "scripts/mcrouter-image-check.sh", "example/mcrouter:v1", render.toString()), tmp);
        assertThat(r.exit).as(r.output).isEqualTo(1);
        var lines = r.output.strip().split("\n");
        var last = lines[lines.length - 1];
        switch (mutation) {
            case "no Secret mounted" -> assertThat(last).as(r.output).startsWith("mcrouter-image-check: FAIL: mcrouter_as_deployed: --tls-dir ")
                .endsWith("was given, but the mcrouter container mounts no Secret (the render's proxy has no client certificate)");
            default -> {
                assertThat(last).as(r.output).isEqualTo(
                    "mcrouter-image-check: FAIL: a set and a get through mcrouter on port 5000 did not return the value");
                assertThat(r.output).contains(mutation.startsWith("no use_ssl") ? "SERVER_ERROR 127.0.0.1:"
                    : "SERVER_ERROR Some of ssl key paths are not set!");
            }
        }
    }

    private static List<String> memcachedTlsArgs(String stack) throws Exception {
        for (var r : JSON.readTree(golden(stack).resolve("resources.json").toFile())) {
            if (r.get("type").asText().equals("kubernetes:apps/v1:StatefulSet")) {
                var args = new ArrayList<String>();
                r.at("/inputs/spec/template/spec/containers/0/args").forEach(a -> args.add(a.asText()));
                return args.subList(args.indexOf("-Z"), args.size());
            }
        }
        throw new AssertionError("no StatefulSet in the " + stack + " render");
    }

    /** The fake docker on the PATH; its directory (readable by nobody, as memcached drops to it). */
    private static Path fakeDocker(Path tmp) throws Exception {
        ScriptSandbox.require("memcached", "Debian: apt-get install -y memcached");
        var fake = Files.createDirectories(tmp.resolve("fake"));
        for (var dir : List.of(tmp, fake)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        var docker = Files.createDirectories(tmp.resolve("bin")).resolve("docker");
        Files.writeString(docker, DOCKER);
        docker.toFile().setExecutable(true);
        return fake;
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
