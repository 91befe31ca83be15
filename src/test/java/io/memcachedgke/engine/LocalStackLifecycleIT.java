package io.memcachedgke.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The {@code local} stack's whole life on the real engine: the Pulumi CLI, the Java language host and the Kubernetes
 * provider built here, against the Docker-free control plane, on a file backend. Modelled on Pulumi's ProgramTest
 * lifecycle (pulumi/pulumi {@code pkg/testing/integration}: preview, update, the no-change preview/update/refresh,
 * edits, destroy). The steps run in order on one stack; each asserts what a user relies on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackLifecycleIT {
    static final String STACK = "local";
    static PulumiProject project;
    static RenderedStack render;
    static Lifecycle life;

    @BeforeAll
    static void start() {
        render = RenderedStack.of(STACK);
        project = PulumiProject.of(STACK);
        life = new Lifecycle(project);
    }

    @AfterAll
    static void end() {
        if (project != null) {
            // Whatever a failed step left behind goes, so the next class (and the next run) starts clean.
            project.pulumi("destroy", "--yes", "--skip-preview");
            project.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName("preview of a new stack plans exactly the rendered resources")
    void previewOfANewStack() {
        var plan = life.preview("preview of a new stack");
        assertThat(plan.creates()).as(plan.report()).containsExactlyElementsOf(render.typeAndNames());
        assertThat(plan.opsOtherThan("create")).as(plan.report()).isEmpty();
    }

    @Test
    @Order(2)
    @DisplayName("up succeeds, the Jobs complete, and every live object carries the rendered fields")
    void upCreatesWhatTheRenderSays() {
        life.up("up of a new stack");
        var problems = new ArrayList<String>();
        for (var manifest : render.manifests()) {
            var live = life.live(manifest);
            Subset.differences(manifest, live).forEach(d -> problems.add(Lifecycle.id(manifest) + d));
        }
        assertThat(problems).as("live objects against target/render/local/manifests.yaml").isEmpty();
        for (var job : life.jobs()) {
            assertThat(job.at("/status/succeeded").asInt()).as("Job %s succeeded", job.at("/metadata/name").asText())
                .isEqualTo(1);
        }
    }

    @Test
    @Order(3)
    @DisplayName("stack export: every resource's inputs equal its inputs in resources.json")
    void exportEqualsTheRender() {
        var state = life.stateInputs();
        var problems = new ArrayList<String>();
        // The one input the program does not choose: the SDK's default from the environment of the CLI.
        assertThat(state.get("pulumi:providers:kubernetes::kubernetes").path("kubeconfig").asText())
            .isEqualTo(project.cluster.dir.resolve("kubeconfig").toString());
        for (var r : render.resources()) {
            var key = r.get("type").asText() + "::" + r.get("name").asText();
            var inputs = state.get(key);
            if (inputs == null) {
                problems.add(key + ": not in the state");
                continue;
            }
            var expected = Lifecycle.withoutEngineAdditions(r.get("type").asText(), r.get("inputs"));
            var actual = Lifecycle.withoutEngineAdditions(r.get("type").asText(), inputs);
            if (!expected.equals(actual)) {
                problems.add(key + ":\n  render " + expected + "\n  state  " + actual);
            }
        }
        assertThat(state.keySet()).containsExactlyInAnyOrderElementsOf(render.typeAndNames());
        assertThat(problems).isEmpty();
    }

    @Test
    @Order(4)
    @DisplayName("no changes: preview, a second up, refresh, and preview again")
    void noChanges() {
        life.expectNoChangesTimed("no-change preview", "preview", "--expect-no-changes", "--diff");
        life.expectNoChanges("up", "--yes", "--skip-preview", "--expect-no-changes", "--diff");
        life.expectNoChanges("refresh", "--yes", "--skip-preview", "--expect-no-changes", "--diff");
        life.expectNoChanges("preview", "--expect-no-changes", "--diff");
    }

    /**
     * A check Job is kept (no TTL: io.memcachedgke.kube.CheckJobs says why), so refresh finds it; one deleted by hand is
     * what the next preview says: a create of that Job, and nothing else.
     */
    @Test
    @Order(5)
    @DisplayName("a check Job deleted by hand: refresh drops it, and the preview plans exactly its create")
    void aDeletedCheckJob() {
        var job = project.json(project.pulumi("stack", "output", "--json").orFail()).get("smokeTestJob").asText();
        project.cluster.kubectl("delete", "job", job, "-n", Lifecycle.NAMESPACE, "--wait=true").orFail();
        var refresh = project.pulumi("refresh", "--yes", "--skip-preview");
        assertThat(refresh.exitCode()).as(refresh.report()).isZero();
        var plan = life.preview();
        assertThat(plan.opsOtherThan("same")).as(plan.report())
            .isEqualTo(java.util.Map.of("kubernetes:batch/v1:Job::mycache-smoke-test-job", "create"));
        life.up();
        life.expectNoChanges("preview", "--expect-no-changes", "--diff");
    }

    @Test
    @Order(8)
    @DisplayName("resize 3 -> 4 through the runbook: ConfigMap in place, proxies keep their pods")
    void growThroughTheRunbook() {
        resize(3, 4);
    }

    @Test
    @Order(9)
    @DisplayName("resize 4 -> 3 back: surplus shards go only on the last step")
    void shrinkBack() {
        resize(4, 3);
    }

    private void resize(int from, int to) {
        var proxies = life.podUids("mycache-mcrouter");
        var start = Instant.now().plus(Duration.ofMinutes(15)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        // 1. declare the move
        life.config("memcached.replicas", Integer.toString(to), "int");
        life.config("memcached.resize.from", Integer.toString(from), "int");
        life.config("memcached.resize.startTime", start.toString(), "string");
        life.config("memcached.resize.window", "1h", "string");
        runbookStep(proxies, Math.max(from, to));
        // 2. finish it
        life.config("memcached.resize.finish", "true", "bool");
        runbookStep(proxies, Math.max(from, to));
        // 3. remove the block: only now may surplus shards go
        project.pulumi("config", "rm", "--path", "memcached.resize").orFail();
        runbookStep(proxies, to);
    }

    private void runbookStep(Map<String, String> proxies, int shards) {
        var plan = life.preview();
        assertThat(plan.op("kubernetes:core/v1:ConfigMap::mycache-mcrouter-config")).as(plan.report()).isEqualTo("update");
        assertThat(plan.op("kubernetes:apps/v1:DaemonSet::mycache-mcrouter-daemonset")).as(plan.report()).isEqualTo("same");
        assertThat(plan.opsOtherThan("same", "update", "create", "delete", "replace", "create-replacement",
            "delete-replaced")).as(plan.report()).isEmpty();
        assertThat(plan.replaced()).as("only the checks' Jobs are replaced\n" + plan.report())
            .allMatch(k -> k.startsWith("kubernetes:batch/v1:Job::"));
        life.up();
        assertThat(life.podUids("mycache-mcrouter")).as("the proxies' pods (name -> UID)").isEqualTo(proxies);
        assertThat(life.podUids("mycache-memcached").keySet()).as("memcached pods")
            .containsExactlyElementsOf(Lifecycle.shardNames(shards));
    }

    @Test
    @Order(10)
    @DisplayName("a memcached image bump rolls the shards from the highest ordinal, minReadySeconds apart")
    void memcachedImageBumpRollsInOrder() {
        var before = life.podUids("mycache-memcached");
        // A 10 s warm-up instead of development's 30 s keeps the roll short; the pacing asserted is the live
        // StatefulSet's minReadySeconds, whatever it is.
        life.config("memcached.warmUpSeconds", "10", "int");
        life.config("memcached.image", "memcached:1.6.39-alpine", "string");
        var plan = life.preview();
        assertThat(plan.op("kubernetes:apps/v1:StatefulSet::mycache-memcached-statefulset")).as(plan.report()).isEqualTo("update");
        life.up();
        var minReady = life.object("statefulset", "mycache-memcached").at("/spec/minReadySeconds").asInt();
        assertThat(minReady).isEqualTo(10);
        var waited = life.awaitRollout("statefulset", "mycache-memcached");
        System.out.println("memcached image bump: pulumi up " + (waited ? "waited for" : "ended before the end of") + " the roll");
        var after = life.pods("mycache-memcached");
        assertThat(after).hasSize(before.size());
        // StatefulSet RollingUpdate replaces from the highest ordinal down, each after the previous is Ready for
        // minReadySeconds (Kubernetes docs: StatefulSet update strategies; minReadySeconds).
        Instant previousReady = null;
        for (int i = after.size() - 1; i >= 0; i--) {
            var pod = after.get("mycache-memcached-" + i);
            assertThat(pod.at("/metadata/uid").asText()).as("pod %d replaced", i).isNotEqualTo(before.get("mycache-memcached-" + i));
            assertThat(pod.at("/spec/containers/0/image").asText()).isEqualTo("memcached:1.6.39-alpine");
            var created = Instant.parse(pod.at("/metadata/creationTimestamp").asText());
            if (previousReady != null) {
                assertThat(Duration.between(previousReady, created).getSeconds()).as("pod %d created after pod %d was ready %d s", i, i + 1, minReady)
                    .isGreaterThanOrEqualTo(minReady - 1);
            }
            previousReady = Lifecycle.readySince(pod);
        }
    }

    @Test
    @Order(11)
    @DisplayName("an exporter bump leaves every memcached pod untouched")
    void exporterBumpLeavesShards() {
        var shards = life.podUids("mycache-memcached");
        life.config("memcached.exporterImage", "prom/memcached-exporter:v0.15.3", "string");
        var plan = life.preview();
        assertThat(plan.op("kubernetes:apps/v1:StatefulSet::mycache-memcached-statefulset")).as(plan.report()).isEqualTo("same");
        life.up();
        assertThat(life.podUids("mycache-memcached")).isEqualTo(shards);
        assertThat(life.object("deployment", "mycache-memcached-exporter").at("/spec/template/spec/containers/0/image").asText())
            .isEqualTo("prom/memcached-exporter:v0.15.3");
    }

    @Test
    @Order(7)
    @DisplayName("a bad stack file: preview exits non-zero with our one line and nothing else of ours, the state unchanged")
    void badStackFile() {
        var stateBefore = life.stateInputs();
        var good = life.readStackFile();
        try {
            life.config("namePrefx", "cache", "string");
            life.config("memcached.replicas", "0", "int");
            var expected = life.refusal();
            var r = project.pulumi("preview", "--diff");
            assertThat(r.exitCode()).as(r.report()).isNotZero();
            var out = r.stdout() + r.stderr();
            assertThat(out).as(r.report()).contains(expected);
            // Nothing else of the program's: no logging binding's warning, no SDK logger's copy, no stack trace. The
            // only other line is the Java host's own for the SDK's "after a user-actionable message" exit code
            // (docs/configuration.md, "Refusals and warnings").
            assertThat(out).as(r.report()).doesNotContain("SLF4J").doesNotContain("SEVERE").doesNotContain("\tat ")
                .doesNotContain("Exception");
            assertThat(out.split("\n")).as(r.report()).filteredOn(l -> l.contains(expected)).hasSize(1);
            assertThat(out.split("\n")).as(r.report()).filteredOn(l -> l.contains("error:"))
                .hasSize(2).anyMatch(l -> l.endsWith("exited with non-zero exit code: 32"));
            assertThat(expected).contains("memcached-gke:namePrefx is not a known key")
                .contains("memcached-gke:memcached.replicas must be between 1 and 64, but 0 was provided");
            var up = project.pulumi("up", "--yes", "--skip-preview");
            assertThat(up.exitCode()).as(up.report()).isNotZero();
            assertThat(life.stateInputs()).isEqualTo(stateBefore);
        } finally {
            life.writeStackFile(good);
        }
    }

    @Test
    @Order(6)
    @DisplayName("the policy pack through the real CLI: local passes; production's configuration fails what only development allows")
    void policyPack() {
        var pack = LocalControlPlane.PROJECT.resolve("policies").toString();
        var development = LocalControlPlane.PROJECT.resolve("policies/config/development.json").toString();
        var production = LocalControlPlane.PROJECT.resolve("policies/config/production.json").toString();
        var ok = project.pulumi("preview", "--policy-pack", pack, "--policy-pack-config", development);
        assertThat(ok.exitCode()).as(ok.report()).isZero();
        assertThat(ok.stdout()).as(ok.report()).contains("memcached-gke@v1.0.0 (local: " + pack + ")");
        var good = life.readStackFile();
        try {
            // NetworkPolicies off: development allows it (the program and the pack agree: an advisory), production
            // requires them (the program refuses it there; the pack's k8s-networkpolicy-covers-workloads is mandatory).
            life.config("networkPolicy.enabled", "false", "bool");
            var advised = project.pulumi("preview", "--policy-pack", pack, "--policy-pack-config", development);
            assertThat(advised.exitCode()).as(advised.report()).isZero();
            assertThat(advised.stdout() + advised.stderr()).as(advised.report())
                .contains("k8s-networkpolicy-covers-workloads").contains("advisory");
            var bad = project.pulumi("preview", "--policy-pack", pack, "--policy-pack-config", production);
            assertThat(bad.exitCode()).as(bad.report()).isNotZero();
            assertThat(bad.stdout() + bad.stderr()).as(bad.report())
                .contains("k8s-networkpolicy-covers-workloads").contains("mandatory");
        } finally {
            life.writeStackFile(good);
        }
    }

    /**
     * A cancelled CI job: the CLI and everything under it killed at once while the update is in flight (a Job being
     * created). What it leaves, as measured (docs/operations.md, "An interrupted up"): a lock, so the next update is
     * refused until {@code pulumi cancel}, and a pending create that every later update warns about until a refresh
     * clears it. The documented recovery must leave every object of the state live, none of the cache's objects
     * missing from the state, no pending operation and a clean preview.
     */
    @Test
    @Order(12)
    @DisplayName("an up killed part-way: the documented recovery leaves every object live, nothing pending, a clean preview")
    void anInterruptedUp() {
        life.config("memcached.memoryMiB", "80", "int");
        var up = project.start("up", "--yes", "--skip-preview");
        var inFlight = up.awaitOutput(Pattern.compile("kubernetes:batch/v1:Job\\s+\\S+\\s+creating"), Duration.ofMinutes(5));
        up.killTree();
        assertThat(inFlight).as("a Job's create was in flight when the CLI was killed\n%s", up.output()).isTrue();
        var refused = project.pulumi("up", "--yes", "--skip-preview");
        assertThat(refused.exitCode()).as(refused.report()).isNotZero();
        // Locked; or, when the kill cut the file backend's metadata short, unreadable (the runbook's first step).
        assertThat(refused.stdout() + refused.stderr()).as(refused.report())
            .containsAnyOf("the stack is currently locked", "failed to load checkpoint");

        // The runbook, as docs/operations.md gives it.
        Lifecycle.removeCutShortMetadata(project);
        project.pulumi("cancel", "--yes").orFail();
        project.pulumi("refresh", "--yes", "--skip-preview", "--clear-pending-creates").orFail();
        life.up();

        var deployment = life.deployment();
        assertThat(deployment.path("pending_operations")).as("pending operations after the recovery").isEmpty();
        assertThat(deployment.path("resources").size()).isPositive();
        assertThat(life.stateObjectsNotLive(deployment)).as("objects of the state the API server does not hold").isEmpty();
        assertThat(life.stateInputs().keySet()).as("the state after the recovery").containsExactlyInAnyOrderElementsOf(render.typeAndNames());
        life.expectNoChanges("preview", "--expect-no-changes", "--diff");
    }

    /**
     * The bad day's phantom update: a refresh that reads the StatefulSet while a shard is not ready used to record an
     * initialization error, and the next preview then proposed an update with no diff (io.memcachedgke.memcached.RollCheck
     * says why, and what the program does instead). A memory change rolls the shards; a shard pod deleted at once and
     * an immediate refresh catch the StatefulSet mid-roll with a pod missing; the preview after must be clean, ten
     * times in a row. The roll check's Job, meanwhile, holds what {@code up} waits for: its own command, run here with
     * its own account's rights, returns only once the roll is over.
     */
    @Test
    @Order(13)
    @DisplayName("a memory change, a deleted shard pod and an immediate refresh: a clean preview, ten times in a row")
    void refreshMidRollThenACleanPreview() {
        for (int i = 0; i < 10; i++) {
            life.config("memcached.memoryMiB", Integer.toString(i % 2 == 0 ? 72 : 80), "int");
            life.up();
            project.cluster.kubectl("delete", "pod", "mycache-memcached-" + (i % 3), "-n", Lifecycle.NAMESPACE,
                "--wait=false").orFail();
            var refresh = project.pulumi("refresh", "--yes", "--skip-preview");
            assertThat(refresh.exitCode()).as("refresh %d%n%s", i + 1, refresh.report()).isZero();
            var preview = project.pulumi("preview", "--expect-no-changes", "--diff");
            assertThat(preview.exitCode()).as("preview %d after a refresh mid-roll%n%s", i + 1, preview.report()).isZero();
        }
        var job = project.json(project.pulumi("stack", "output", "--json").orFail()).get("memcachedRollCheckJob").asText();
        var args = new ArrayList<String>();
        life.object("job", job).at("/spec/template/spec/containers/0/args").forEach(a -> args.add(a.asText()));
        var account = life.object("job", job).at("/spec/template/spec/serviceAccountName").asText();
        // The image's entrypoint is kubectl; here it runs as the Job's ServiceAccount (impersonated), so the Role is
        // what lets it read the StatefulSet. The cache directory is the pod's.
        args.removeIf(a -> a.startsWith("--cache-dir="));
        args.add("--as=system:serviceaccount:" + Lifecycle.NAMESPACE + ":" + account);
        var r = project.cluster.run(LocalControlPlane.PROJECT, Map.of(), Duration.ofMinutes(10), Cli.of("kubectl", args));
        assertThat(r.exitCode()).as(r.report()).isZero();
        var sts = life.object("statefulset", "mycache-memcached");
        assertThat(sts.at("/status/observedGeneration").asLong()).as("the roll check returned before the controller saw the change")
            .isEqualTo(sts.at("/metadata/generation").asLong());
        assertThat(sts.at("/status/updatedReplicas").asInt()).as(r.report()).isEqualTo(sts.at("/spec/replicas").asInt());
        assertThat(sts.at("/status/readyReplicas").asInt()).as(r.report()).isEqualTo(sts.at("/spec/replicas").asInt());
        var forbidden = project.cluster.kubectl("get", "deployments", "-n", Lifecycle.NAMESPACE,
            "--as=system:serviceaccount:" + Lifecycle.NAMESPACE + ":" + account);
        assertThat(forbidden.exitCode()).as("the roll check's account reads nothing but its StatefulSet\n%s", forbidden.report()).isNotZero();
    }

    @Test
    @Order(20)
    @DisplayName("destroy: the API server holds none of the program's objects and the state is empty")
    void destroy() {
        project.pulumi(Duration.ofMinutes(10), "destroy", "--yes", "--skip-preview").orFail();
        assertThat(life.stateInputs()).isEmpty();
        var ns = project.cluster.kubectl("get", "namespace", "memcached", "--ignore-not-found", "-o", "name");
        assertThat(ns.orFail().stdout().strip()).isEmpty();
        var left = project.cluster.kubectl("get", "all,configmap,networkpolicy,poddisruptionbudget", "-A",
            "-l", "app.kubernetes.io/part-of=memcached-gke", "-o", "name").orFail();
        assertThat(left.stdout().strip()).isEmpty();
    }
}
