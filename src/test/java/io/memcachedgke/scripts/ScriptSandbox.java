package io.memcachedgke.scripts;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A copy of the project's scripts in a temporary repository, run with {@code e2e/fakes/kubectl} and
 * {@code e2e/fakes/pulumi} first on the PATH (they record every command line and answer from canned outputs)
 * and real memcached processes where the scripts talk the memcached protocol: the fakes run the in-cluster
 * commands ({@code kubectl exec ... python /tools/mctool.py ...}) here, and mctool.py's test seam
 * ({@code MCTOOL_ADDRESS_MAP}, {@code MCTOOL_RESOLVE}) sends the cluster's names to the local processes.
 *
 * <p>The scripts run from the copy, so the stack file they edit and restore is the copy's, never the project's.
 */
final class ScriptSandbox implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String LOOPBACK = "127.0.0.1";
    private static final Path PROJECT = Paths.get("").toAbsolutePath();

    final Path repo;
    final Path fake;
    final Path bin;
    final String stack;
    final ArrayNode canned = JSON.createArrayNode();
    final ObjectNode pods = JSON.createObjectNode();
    final ObjectNode fieldRefs = JSON.createObjectNode();
    final ObjectNode config = JSON.createObjectNode();
    ObjectNode outputs = JSON.createObjectNode();
    final Map<String, String> addresses = new LinkedHashMap<>();
    final Map<String, List<String>> names = new LinkedHashMap<>();
    final Map<String, String> env = new LinkedHashMap<>();
    private final List<Process> processes = new ArrayList<>();

    ScriptSandbox(Path tmp, String stack) throws IOException {
        require("bash", "Debian: bash");
        require("python3", "Debian: apt-get install -y python3");
        this.stack = stack;
        this.repo = Files.createDirectories(tmp.resolve("repo"));
        this.fake = Files.createDirectories(tmp.resolve("fake"));
        this.bin = Files.createDirectories(tmp.resolve("bin"));
        for (var file : List.of("scripts/lab-checks.sh", "scripts/e2e.sh", "scripts/lib/e2e-lib.sh", "e2e/mctool.py",
                "e2e/fakes/kubectl", "e2e/fakes/pulumi")) {
            var target = repo.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(PROJECT.resolve(file), target);
            target.toFile().setExecutable(true);
        }
        Files.createSymbolicLink(bin.resolve("kubectl"), repo.resolve("e2e/fakes/kubectl"));
        Files.createSymbolicLink(bin.resolve("pulumi"), repo.resolve("e2e/fakes/pulumi"));
        Files.writeString(repo.resolve("Pulumi." + stack + ".yaml"), "config:\n  memcached-gke:namespace: memcached\n");
        Files.createDirectories(repo.resolve("target"));
        Files.writeString(repo.resolve("target/memcached-gke.jar"), "");
    }

    /** The policy pack as the scripts look for it, with a config-of.js that names the stack's pack configuration. */
    void policyPack(String configFile) throws IOException {
        require("node", "Node.js 20");
        Files.createDirectories(repo.resolve("policies/node_modules"));
        Files.createDirectories(repo.resolve("policies/bin/conformance"));
        Files.writeString(repo.resolve("policies/bin/index.js"), "");
        Files.writeString(repo.resolve("policies/bin/conformance/config-of.js"),
            "if (process.argv[2] !== '" + stack + "') process.exit(1);\nconsole.log('" + configFile + "');\n");
    }

    /** A command line the fake kubectl answers; {@code *} matches anything. */
    void kubectl(String match, String stdout) {
        canned.addObject().put("match", match).put("stdout", stdout);
    }

    /** A command line answered in turn with each response (the last repeats). */
    void kubectl(String match, List<String> responses) {
        var entry = canned.addObject().put("match", match);
        responses.forEach(entry.putArray("responses")::add);
    }

    void kubectlFails(String match, String stderr) {
        canned.addObject().put("match", match).put("exit", 1).put("stderr", stderr);
    }

    /** Sends {@code host:port} as the cluster names it to a local process. */
    void address(String hostPort, int localPort) {
        addresses.put(hostPort, LOOPBACK + ":" + localPort);
    }

    Result run(String script, String... args) throws Exception {
        write("canned.json", canned);
        write("pods.json", pods);
        write("fieldrefs.json", fieldRefs);
        write("outputs.json", outputs);
        write("config.json", config);
        var command = new ArrayList<String>();
        command.add(repo.resolve(script).toString());
        command.addAll(Arrays.asList(args));
        var pb = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
        var e = pb.environment();
        e.remove("KUBECONFIG");
        e.remove("JDK_JAVA_OPTIONS");
        e.put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        e.put("FAKE_DIR", fake.toString());
        e.put("FAKE_STACK", stack);
        e.put("E2E_RUN_ID", "t1");
        e.put("MCTOOL_ADDRESS_MAP", String.join(",", addresses.entrySet().stream().map(a -> a.getKey() + "=" + a.getValue()).toList()));
        e.put("MCTOOL_RESOLVE", String.join(";", names.entrySet().stream().map(n -> n.getKey() + "=" + String.join(",", n.getValue())).toList()));
        e.putAll(env);
        var process = pb.start();
        process.getOutputStream().close();
        var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(script + " did not finish in 240 s:\n" + out);
        }
        return new Result(process.exitValue(), out, log("kubectl.log"), log("pulumi.log"));
    }

    private void write(String name, Object value) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(fake.resolve(name).toFile(), value);
    }

    private List<List<String>> log(String name) throws IOException {
        var file = fake.resolve(name);
        if (!Files.exists(file)) {
            return List.of();
        }
        var lines = new ArrayList<List<String>>();
        for (var line : Files.readAllLines(file)) {
            lines.add(Arrays.asList(JSON.readValue(line, String[].class)));
        }
        return lines;
    }

    /** The pod manifest the script applied, by name. */
    ObjectNode applied(String pod) throws IOException {
        return (ObjectNode) JSON.readTree(fake.resolve("pods").resolve(pod).resolve("manifest.json").toFile());
    }

    /** A real memcached on a free loopback port. */
    int memcached() throws Exception {
        var binary = require("memcached", "Debian: apt-get install -y memcached");
        var port = freePort();
        // -u nobody: memcached refuses to run as root without it (CI runs as root); ignored otherwise.
        var process = new ProcessBuilder(binary.toString(), "-l", LOOPBACK, "-p", Integer.toString(port), "-U", "0",
            "-m", "16", "-u", "nobody").redirectErrorStream(true).redirectOutput(fake.resolve("memcached-" + port + ".log").toFile())
            .start();
        processes.add(process);
        for (int i = 0; i < 100; i++) {
            try (var s = new Socket()) {
                s.connect(new InetSocketAddress(LOOPBACK, port), 200);
                return port;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("memcached did not listen on " + port);
    }

    void stop(int port) throws Exception {
        for (var p : processes) {
            if (p.info().arguments().map(a -> Arrays.asList(a).contains(Integer.toString(port))).orElse(false)) {
                p.destroy();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() {
        processes.forEach(Process::destroy);
        // Load generators the fake kubectl started: each wrote its pid.
        var pods = fake.resolve("pods");
        if (Files.isDirectory(pods)) {
            try (Stream<Path> dirs = Files.list(pods)) {
                dirs.map(d -> d.resolve("pid")).filter(Files::exists).forEach(pid -> {
                    try {
                        ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(ProcessHandle::destroy);
                    } catch (IOException | NumberFormatException ignored) {
                        // best effort
                    }
                });
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    static Path require(String name, String install) {
        for (var dir : System.getenv("PATH").split(File.pathSeparator)) {
            var p = Paths.get(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return fail(name + " is not on the PATH, and the offline tests of the scripts need it (" + install + ")");
    }

    static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        }
    }

    /** One memcached text-protocol request against a local process; the raw reply up to END/STORED/... */
    static String ask(int port, String request) throws IOException {
        try (var s = new Socket(LOOPBACK, port)) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write((request + "quit\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void set(int port, String key, String value) throws IOException {
        var reply = ask(port, "set " + key + " 0 0 " + value.getBytes(StandardCharsets.UTF_8).length + "\r\n" + value + "\r\n");
        if (!reply.startsWith("STORED")) {
            throw new IllegalStateException("set " + key + " on " + port + ": " + reply);
        }
    }

    /** The value of a key on a local memcached, or null. */
    static String get(int port, String key) throws IOException {
        var reply = ask(port, "get " + key + "\r\n").split("\r\n");
        return reply.length >= 2 && reply[0].startsWith("VALUE ") ? reply[1] : null;
    }

    record Result(int exit, String output, List<List<String>> kubectl, List<List<String>> pulumi) {
        String lastLine() {
            var lines = output.strip().split("\n");
            return lines[lines.length - 1];
        }

        List<String> kubectlLines() {
            return kubectl.stream().map(a -> String.join(" ", a)).toList();
        }

        List<String> pulumiLines() {
            return pulumi.stream().map(a -> String.join(" ", a)).toList();
        }
    }
}
