package io.memcachedgke.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import io.memcachedgke.config.InvalidConfigException;
import io.memcachedgke.render.Rendering;

/** The steps of a stack's life through the real CLI, and what the API server and the state then hold. */
final class Lifecycle {
    static final String NAMESPACE = "memcached";
    final PulumiProject project;

    Lifecycle(PulumiProject project) {
        this.project = project;
    }

    /** {@code pulumi preview --json}: the plan. */
    Plan preview() {
        return preview(null);
    }

    /** The plan, timed by phase when {@code timing} names the figure (docs/performance.md). */
    Plan preview(String timing) {
        var r = project.pulumi(withTrace(timing, "preview", "--json"));
        if (!r.ok()) {
            throw new AssertionError("preview failed\n" + r.report());
        }
        phases(timing);
        return Plan.of(project.json(r), r);
    }

    void up() {
        up(null);
    }

    void up(String timing) {
        var r = project.pulumi(Duration.ofMinutes(15), withTrace(timing, "up", "--yes", "--skip-preview", "--diff"));
        if (!r.ok()) {
            throw new AssertionError("up failed\n" + r.report() + "\n--- live objects\n" + liveReport());
        }
        phases(timing);
    }

    /**
     * Where a command's time went ({@code scripts/lib/otel-phases.py} on the OpenTelemetry trace the CLI writes with
     * {@code --otel-traces}): printed and appended to {@code target/real-engine/timings.txt}, not asserted.
     */
    void phases(String timing) {
        if (timing == null) {
            return;
        }
        var trace = trace(timing);
        var r = Cli.run(List.of("python3", LocalControlPlane.PROJECT.resolve("scripts/lib/otel-phases.py").toString(),
            trace.toString(), timing), LocalControlPlane.PROJECT, Map.of(), Duration.ofMinutes(1)).orFail();
        System.out.print("real engine: " + r.stdout());
        try {
            var out = LocalControlPlane.PROJECT.resolve("target/real-engine/timings.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, r.stdout(), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private java.nio.file.Path trace(String timing) {
        return project.dir.resolve("trace-" + timing.replaceAll("[^a-z0-9-]", "-") + ".json");
    }

    private String[] withTrace(String timing, String... args) {
        if (timing == null) {
            return args;
        }
        var all = new ArrayList<>(List.of(args));
        all.add("--otel-traces");
        all.add("file://" + trace(timing));
        return all.toArray(String[]::new);
    }

    /** Runs a command that must succeed and change nothing ({@code --expect-no-changes}). */
    void expectNoChanges(String... args) {
        expectNoChangesTimed(null, args);
    }

    void expectNoChangesTimed(String timing, String... args) {
        var r = project.pulumi(Duration.ofMinutes(10), withTrace(timing, args));
        assertThat(r.exitCode()).as("pulumi %s changed something or failed\n%s", String.join(" ", args), r.report()).isZero();
        phases(timing);
    }

    /** {@code pulumi config set --path <key> <value> --type <type>}: the real CLI rewriting the stack file. */
    void config(String key, String value, String type) {
        project.pulumi("config", "set", "--path", key, value, "--type", type).orFail();
    }

    String readStackFile() {
        try {
            return Files.readString(project.stackFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void writeStackFile(String content) {
        try {
            Files.writeString(project.stackFile(), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one line the program gives for the stack file as it is now (the offline render's reading of it). */
    String refusal() {
        try {
            Rendering.of(project.dir, project.stack);
        } catch (InvalidConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("the program accepts " + project.stackFile());
    }

    /** Every resource in the state, "type::name" to its inputs. */
    Map<String, JsonNode> stateInputs() {
        var r = project.pulumi("stack", "export", "--show-secrets").orFail();
        var out = new TreeMap<String, JsonNode>();
        var resources = project.json(r).at("/deployment/resources");
        for (var res : resources) {
            var type = res.get("type").asText();
            if (type.equals("pulumi:pulumi:Stack")) {
                continue;
            }
            out.put(type + "::" + nameOf(res.get("urn").asText()), res.has("inputs") ? res.get("inputs") : PulumiProject.JSON.createObjectNode());
        }
        return out;
    }

    /**
     * The runbook's first step on a file backend: remove the metadata files a killed update cut short. gocloud.dev's
     * fileblob writes a blob's {@code .attrs} sidecar in place ({@code os.Create}, then encode: gocloud.dev v0.46.0
     * blob/fileblob/attrs.go, {@code setAttrs}) and reads it before the blob ({@code getAttrs}), so a kill between the
     * two leaves an empty sidecar and every later command fails with "failed to load checkpoint: EOF"; a missing
     * sidecar is read as none. The checkpoint itself is written to a temporary file and renamed, never cut short.
     */
    static void removeCutShortMetadata(PulumiProject project) {
        try (var files = Files.walk(project.backend)) {
            for (var f : files.filter(p -> p.toString().endsWith(".attrs")).toList()) {
                if (Files.size(f) == 0) {
                    System.out.println("removing the empty metadata file a killed update left: " + f);
                    Files.delete(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code pulumi stack export}'s deployment: its resources and any pending operations. */
    JsonNode deployment() {
        return project.json(project.pulumi("stack", "export", "--show-secrets").orFail()).get("deployment");
    }

    /**
     * The Kubernetes objects of the state that the API server does not hold (by the kind, name and namespace the state
     * recorded for each): empty when every object of the state is live.
     */
    List<String> stateObjectsNotLive(JsonNode deployment) {
        var missing = new ArrayList<String>();
        for (var res : deployment.path("resources")) {
            var type = res.get("type").asText();
            if (!type.startsWith("kubernetes:") || res.path("outputs").path("kind").isMissingNode()) {
                continue;
            }
            var manifest = res.get("outputs");
            var r = project.cluster.kubectl(liveArgs(manifest).toArray(String[]::new));
            if (!r.ok()) {
                missing.add(type + "::" + nameOf(res.get("urn").asText()) + " (" + id(manifest) + "): "
                    + r.stderr().strip());
            }
        }
        return missing;
    }

    /**
     * A provider's inputs as the program declared them. The engine adds {@code version} and {@code __internal} (the
     * plugin version the SDK asked for and its own bookkeeping of it, pkg/resource/deploy/providers), and the SDK fills
     * {@code kubeconfig} from {@code $KUBECONFIG} (which the render leaves out: io.memcachedgke.render.AmbientInputs);
     * the caller checks that value before it goes.
     */
    static JsonNode withoutEngineAdditions(String type, JsonNode inputs) {
        if (type.startsWith("pulumi:providers:") && inputs.isObject()) {
            var copy = ((ObjectNode) inputs).deepCopy();
            copy.remove("__internal");
            copy.remove("version");
            copy.remove("kubeconfig");
            return copy;
        }
        return inputs;
    }

    /** The live object a rendered manifest names. */
    JsonNode live(JsonNode manifest) {
        var r = project.cluster.kubectl(liveArgs(manifest).toArray(String[]::new));
        if (!r.ok()) {
            throw new AssertionError(id(manifest) + " is not in the API server\n" + r.report());
        }
        return project.json(r);
    }

    private static List<String> liveArgs(JsonNode manifest) {
        var args = new ArrayList<>(List.of("get", kindArg(manifest), manifest.at("/metadata/name").asText(), "-o", "json"));
        var ns = manifest.at("/metadata/namespace");
        if (!ns.isMissingNode() && !ns.asText().isEmpty()) {
            args.addAll(List.of("-n", ns.asText()));
        }
        return args;
    }

    /**
     * Waits until the StatefulSet's roll is over ({@code kubectl rollout status}); true if {@code up} had already
     * waited for it. The Kubernetes provider built here can end an update before the roll has begun: its StatefulSet
     * await compares status fields only and may read them before the controller has seen the new generation
     * (pulumi/pulumi-kubernetes#3329, fixed by #4094 after the commit built here; docs/operations.md).
     */
    boolean awaitRollout(String kind, String name) {
        var before = project.cluster.kubectl("get", kind, name, "-n", NAMESPACE, "-o", "json").orFail();
        var status = project.json(before).get("status");
        var done = status.path("currentRevision").asText().equals(status.path("updateRevision").asText())
            && status.path("observedGeneration").asLong() == project.json(before).at("/metadata/generation").asLong();
        project.cluster.run(LocalControlPlane.PROJECT, Map.of(), Duration.ofMinutes(10), List.of("kubectl", "rollout",
            "status", kind + "/" + name, "-n", NAMESPACE, "--timeout=8m")).orFail();
        return done;
    }

    JsonNode object(String kind, String name) {
        return project.json(project.cluster.kubectl("get", kind, name, "-n", NAMESPACE, "-o", "json").orFail());
    }

    List<JsonNode> jobs() {
        var list = project.json(project.cluster.kubectl("get", "jobs", "-n", NAMESPACE, "-o", "json").orFail());
        var out = new ArrayList<JsonNode>();
        list.get("items").forEach(out::add);
        return out;
    }

    /** The pods labelled {@code app=<app>}, by name (running ones only: not being deleted). */
    Map<String, JsonNode> pods(String app) {
        var list = project.json(project.cluster.kubectl("get", "pods", "-n", NAMESPACE, "-l", "app=" + app, "-o", "json").orFail());
        var out = new TreeMap<String, JsonNode>();
        for (var p : list.get("items")) {
            if (p.at("/metadata/deletionTimestamp").isMissingNode()) {
                out.put(p.at("/metadata/name").asText(), p);
            }
        }
        return out;
    }

    Map<String, String> podUids(String app) {
        var out = new LinkedHashMap<String, String>();
        pods(app).forEach((k, v) -> out.put(k, v.at("/metadata/uid").asText()));
        return out;
    }

    static List<String> shardNames(int n) {
        return IntStream.range(0, n).mapToObj(i -> "mycache-memcached-" + i).sorted().toList();
    }

    static Instant readySince(JsonNode pod) {
        for (var c : pod.at("/status/conditions")) {
            if (c.get("type").asText().equals("Ready") && c.get("status").asText().equals("True")) {
                return Instant.parse(c.get("lastTransitionTime").asText());
            }
        }
        throw new AssertionError("pod not Ready: " + pod.at("/metadata/name"));
    }

    static String id(JsonNode manifest) {
        return manifest.get("kind").asText() + " " + manifest.at("/metadata/name").asText();
    }

    /** kubectl's name for a manifest's kind, qualified by group so a CRD's kind cannot be mistaken. */
    private static String kindArg(JsonNode manifest) {
        var apiVersion = manifest.get("apiVersion").asText();
        var kind = manifest.get("kind").asText();
        if (!apiVersion.contains("/")) {
            return kind;
        }
        var group = apiVersion.substring(0, apiVersion.indexOf('/'));
        var version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        return kind + "." + version + "." + group;
    }

    /** The live objects of the namespace, for a failed step's report. */
    String liveReport() {
        var r = project.cluster.kubectl("get", "all,configmap,networkpolicy,poddisruptionbudget,events", "-n", NAMESPACE, "-o", "wide");
        return r.stdout() + r.stderr();
    }

    /** A resource's logical name from its URN ({@code urn:pulumi:<stack>::<project>::<type>::<name>}). */
    static String nameOf(String urn) {
        var parts = urn.split("::", 4);
        return parts[3];
    }

    /** A resource's own type from its URN (the last of its parent-qualified type). */
    static String typeOf(String urn) {
        var qualified = urn.split("::", 4)[2];
        return qualified.substring(qualified.lastIndexOf('$') + 1);
    }

    /** A plan: each resource ("type::name") and the step the engine would take for it. */
    record Plan(Map<String, String> ops, Map<String, List<String>> changedPaths, Cli.Result result) {
        static Plan of(JsonNode preview, Cli.Result result) {
            var ops = new TreeMap<String, String>();
            var paths = new TreeMap<String, List<String>>();
            for (var step : preview.path("steps")) {
                var urn = step.get("urn").asText();
                var type = typeOf(urn);
                if (type.equals("pulumi:pulumi:Stack")) {
                    continue;
                }
                var key = type + "::" + nameOf(urn);
                var op = step.get("op").asText();
                // A replacement shows as create-replacement + delete-replaced (or replace): one "replace".
                if (op.equals("create-replacement") || op.equals("delete-replaced") || op.equals("replace")) {
                    op = "replace";
                }
                ops.merge(key, op, (a, b) -> a.equals("replace") || b.equals("replace") ? "replace" : a);
                // The property paths an update changes: the provider's detailed diff (pulumi-kubernetes returns one),
                // else the engine's diff reasons (top-level properties).
                var changed = new ArrayList<String>();
                step.path("detailedDiff").fieldNames().forEachRemaining(changed::add);
                if (changed.isEmpty()) {
                    step.path("diffReasons").forEach(r -> changed.add(r.asText()));
                }
                paths.merge(key, changed, (a, b) -> {
                    var all = new ArrayList<>(a);
                    all.addAll(b);
                    return all;
                });
            }
            return new Plan(ops, paths, result);
        }

        /** The property paths the plan changes on one resource (empty when it leaves it alone). */
        List<String> changedPaths(String key) {
            return changedPaths.getOrDefault(key, List.of());
        }

        List<String> creates() {
            return ops.entrySet().stream().filter(e -> e.getValue().equals("create")).map(Map.Entry::getKey).sorted().toList();
        }

        List<String> replaced() {
            return ops.entrySet().stream().filter(e -> e.getValue().equals("replace")).map(Map.Entry::getKey).toList();
        }

        Map<String, String> opsOtherThan(String... allowed) {
            var out = new TreeMap<String, String>();
            ops.forEach((k, v) -> {
                if (!List.of(allowed).contains(v)) {
                    out.put(k, v);
                }
            });
            return out;
        }

        /** The step for one resource; "same" when the plan leaves it alone ({@code preview --json} lists no step then). */
        String op(String key) {
            return ops.getOrDefault(key, "same");
        }

        String report() {
            return "plan: " + ops + "\n" + result.report();
        }
    }
}
