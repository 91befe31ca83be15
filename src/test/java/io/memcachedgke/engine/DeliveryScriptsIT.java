package io.memcachedgke.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The delivery scripts the workflows run ({@code scripts/ci/}), on the real engine: the Pulumi CLI, the Java language
 * host and the Kubernetes provider built here, against the Docker-free control plane, on a file backend. What
 * e2e-gke.yml's destroy job meets after a cancelled run - an {@code up} killed part-way, its lock and its pending
 * creates left behind - and what it does about it: {@code scripts/ci/destroy-stack.sh}, the very script the job runs
 * (not a copy of its steps), with the backend {@code PULUMI_BACKEND_URL} names ({@code file://} here, {@code gs://} on
 * GitHub). It must end with an empty stack and no lock, and a later run of it must find nothing to do. The workflows'
 * other scripts that need no engine are run by {@code .github/lint/ci-scripts.test.mjs}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeliveryScriptsIT {
    static final String STACK = "local";
    static PulumiProject project;
    static Lifecycle life;

    @BeforeAll
    static void start() {
        project = PulumiProject.of(STACK);
        life = new Lifecycle(project);
    }

    @AfterAll
    static void end() {
        if (project != null) {
            // Whatever a failed step left: unlocked and destroyed, so the next class starts clean (results ignored:
            // the last step removes the stack).
            project.pulumi("cancel", "--yes");
            project.pulumi("destroy", "--yes", "--skip-preview");
            project.close();
        }
    }

    /** Runs {@code scripts/ci/<name>} from the project directory, as a job step does from the checkout. */
    static Cli.Result script(String name, String... args) {
        var command = new ArrayList<String>();
        command.add(LocalControlPlane.PROJECT.resolve("scripts/ci").resolve(name).toString());
        command.addAll(List.of(args));
        var env = new LinkedHashMap<>(project.env());
        env.put("GITHUB_STEP_SUMMARY", summary().toString());
        return project.cluster.run(project.dir, env, Duration.ofMinutes(15), command);
    }

    static Path summary() {
        return project.dir.resolve("step-summary.md");
    }

    /** The lock files of the file backend ({@code .pulumi/locks/<org>/<project>/<stack>/<id>.json}). */
    static List<Path> locks() {
        var dir = project.backend.resolve(".pulumi/locks");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".json")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @Order(1)
    @DisplayName("stack-exists.sh: exists=true for a stack of the backend; exists=false and a notice for one that is not")
    void stackExists() {
        var yes = script("stack-exists.sh", STACK);
        assertThat(yes.exitCode()).as(yes.report()).isZero();
        assertThat(yes.stdout()).as(yes.report()).isEqualTo("exists=true\n");
        var no = script("stack-exists.sh", "prod");
        assertThat(no.exitCode()).as(no.report()).isZero();
        assertThat(no.stdout()).as(no.report()).contains("exists=false\n")
            .contains("::notice title=Preview of prod skipped::Stack prod does not exist in the backend yet");
    }

    /**
     * A cancelled job: the CLI and everything under it killed at once while the first {@code up} is in flight. It
     * leaves a lock in the backend and pending creates in the state, and a plain {@code destroy} - what e2e-gke.yml
     * ran before - is refused at once.
     */
    @Test
    @Order(2)
    @DisplayName("an up killed part-way leaves its lock and pending creates; a plain destroy is refused")
    void anUpKilledPartWay() {
        var up = project.start("up", "--yes", "--skip-preview");
        var inFlight = up.awaitOutput(Pattern.compile("kubernetes:batch/v1:Job\\s+\\S+\\s+creating"), Duration.ofMinutes(10));
        up.killTree();
        assertThat(inFlight).as("a Job's create was in flight when the CLI was killed\n%s", up.output()).isTrue();
        assertThat(locks()).as("the lock the killed up left in %s", project.backend).isNotEmpty();
        assertThat(life.deployment().path("pending_operations")).as("pending operations after the kill").isNotEmpty();
        var refused = project.pulumi("destroy", "--yes", "--skip-preview");
        assertThat(refused.exitCode()).as(refused.report()).isNotZero();
        assertThat(refused.stdout() + refused.stderr()).as(refused.report()).contains("the stack is currently locked");
    }

    @Test
    @Order(3)
    @DisplayName("destroy-stack.sh, as the destroy job runs it: unlocked, pending creates reported and cleared, destroyed; an empty stack, no lock")
    void theDestroyJobsScript() {
        var r = script("destroy-stack.sh", STACK);
        System.out.println("destroy-stack.sh after the killed up:\n" + r.stdout());
        assertThat(r.exitCode()).as(r.report()).isZero();
        var out = r.stdout();
        assertThat(out).as(r.report()).contains("destroy-stack: 1. pulumi cancel")
            .contains("destroy-stack: 2. pending operations of the interrupted update")
            .contains("creating urn:pulumi:" + STACK + "::memcached-gke::")
            .contains("destroy-stack: OK: stack " + STACK + " is empty");
        assertThat(out.indexOf("1. pulumi cancel")).as("cancel before destroy").isLessThan(out.indexOf("3. pulumi destroy"));

        var deployment = life.deployment();
        assertThat(deployment.path("resources")).as("resources in the state").isEmpty();
        assertThat(deployment.path("pending_operations")).as("pending operations in the state").isEmpty();
        assertThat(locks()).as("locks left in %s", project.backend).isEmpty();
        // An update takes the lock again: nothing refuses it now.
        var refresh = project.pulumi("refresh", "--yes", "--skip-preview");
        assertThat(refresh.exitCode()).as(refresh.report()).isZero();

        var ns = project.cluster.kubectl("get", "namespace", Lifecycle.NAMESPACE, "--ignore-not-found", "-o", "name");
        assertThat(ns.orFail().stdout().strip()).as("the namespace (and the Job whose create was cut short in it)").isEmpty();
        var left = project.cluster.kubectl("get", "all,configmap,networkpolicy,poddisruptionbudget", "-A",
            "-l", "app.kubernetes.io/part-of=memcached-gke", "-o", "name").orFail();
        assertThat(left.stdout().strip()).isEmpty();
        try {
            assertThat(Files.readString(summary())).contains("Pending operations of an interrupted update")
                .contains("Every resource of `" + STACK + "` destroyed");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @Order(4)
    @DisplayName("destroy-stack.sh again (a later run): --rm removes the stack; once more, nothing to do")
    void aLaterRun() {
        var rm = script("destroy-stack.sh", STACK, "--rm");
        assertThat(rm.exitCode()).as(rm.report()).isZero();
        assertThat(rm.stdout()).as(rm.report()).contains("destroy-stack: 2. no pending operations")
            .contains("OK: stack " + STACK + " is empty and removed");
        var exists = script("stack-exists.sh", STACK);
        assertThat(exists.stdout()).as(exists.report()).contains("exists=false");
        var again = script("destroy-stack.sh", STACK, "--rm");
        assertThat(again.exitCode()).as(again.report()).isZero();
        assertThat(again.stdout()).as(again.report()).contains("no stack " + STACK + " in file://" + project.backend
            + ": nothing to destroy");
        assertThat(locks()).isEmpty();
        assertThat(Files.exists(project.stackFile())).as("stack rm removes %s too", project.stackFile()).isFalse();
    }
}
