package io.memcachedgke.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code scripts/resize.sh} (io.memcachedgke.tools.ResizeCommand, the Automation API) on the real engine, the
 * {@code local} stack: 3 -> 4 and back, each once straight through and once killed part-way and run again. While the
 * move is declared, the lifecycle suite's runbook assertions hold: the proxies' config changes in place (the
 * ConfigMap keeps its UID), no proxy pod is replaced, the StatefulSet runs {@code max(from, replicas)} pods, and
 * surplus pods go only with the block. Each run ends with a clean {@code preview --expect-no-changes}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResizeCommandIT {
    static final String STACK = "local";
    /** The shortest window the rules take, and a start just far enough ahead for the declaring up. */
    static final List<String> FAST = List.of("--window", "1m", "--start-in", "20s", "--yes");
    static PulumiProject project;
    static Lifecycle life;

    @BeforeAll
    static void start() {
        project = PulumiProject.of(STACK);
        life = new Lifecycle(project);
        life.up();
    }

    @AfterAll
    static void end() {
        if (project != null) {
            project.pulumi("destroy", "--yes", "--skip-preview");
            project.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName("resize local --to 4, straight through")
    void growStraight() {
        var run = new Observed(3, 4);
        var cmd = resize(4);
        run.whileDeclared(cmd);
        var end = finish(cmd);
        assertThat(end).contains("resize: declare the move 3 -> 4").contains("% of the window gone")
            .contains("resize: finish the move").contains("resize: remove the resize block")
            .contains("resize: stack local has 4 shards");
        run.after();
    }

    @Test
    @Order(2)
    @DisplayName("resize local --to 3, straight through")
    void shrinkStraight() {
        var run = new Observed(4, 3);
        var cmd = resize(3);
        run.whileDeclared(cmd);
        finish(cmd);
        run.after();
    }

    @Test
    @Order(3)
    @DisplayName("resize local --to 4, killed during the window, run again: it carries on")
    void growKilledInTheWindow() {
        var run = new Observed(3, 4);
        var cmd = resize(4);
        run.whileDeclared(cmd);
        cmd.killTree();
        var again = resize(4);
        assertThat(again.awaitOutput(Pattern.compile("waiting for the window to pass"), Duration.ofMinutes(2)))
            .as(again.output()).isTrue();
        assertThat(again.output()).as("the second run declares nothing").doesNotContain("declare the move");
        finish(again);
        run.after();
    }

    @Test
    @Order(4)
    @DisplayName("resize local --to 3, killed during an up: refused until the documented recovery, then it carries on")
    void shrinkKilledInAnUp() {
        var run = new Observed(4, 3);
        var cmd = resize(3);
        run.whileDeclared(cmd);
        assertThat(cmd.awaitOutput(Pattern.compile("resize: finish the move[\\s\\S]*kubernetes:"), Duration.ofMinutes(5)))
            .as(cmd.output()).isTrue();
        cmd.killTree();
        var refused = project.cluster.run(project.dir, project.env(), Duration.ofMinutes(5), command(3));
        System.out.println("resize after a kill during an up: " + refused.stderr().strip());
        assertThat(refused.exitCode()).as(refused.report()).isNotZero();
        assertThat(refused.stderr()).as(refused.report()).contains("pulumi cancel").contains("run `scripts/resize.sh local --to 3");
        assertThat(refused.stderr().lines().filter(l -> l.startsWith("resize: "))).as(refused.report()).hasSize(1);
        // docs/operations.md, "An interrupted up".
        Lifecycle.removeCutShortMetadata(project);
        project.pulumi("cancel", "--yes").orFail();
        project.pulumi("refresh", "--yes", "--skip-preview", "--clear-pending-creates").orFail();
        finish(resize(3));
        run.after();
    }

    @Test
    @Order(5)
    @DisplayName("resize local, its state's metadata file cut short by a kill: refused with the file backend's recovery")
    void stateMetadataCutShort() throws java.io.IOException {
        List<java.nio.file.Path> sidecars;
        try (var files = java.nio.file.Files.walk(project.backend)) {
            sidecars = files.filter(p -> p.getFileName().toString().equals(STACK + ".json.attrs")).toList();
        }
        assertThat(sidecars).as("the file backend writes a metadata file beside the state").hasSize(1);
        // What a kill between os.Create and the encode leaves (gocloud.dev v0.46.0 blob/fileblob/attrs.go, setAttrs).
        java.nio.file.Files.write(sidecars.get(0), new byte[0]);
        var refused = project.cluster.run(project.dir, project.env(), Duration.ofMinutes(5), command(4));
        System.out.println("resize with a cut-short metadata file: " + refused.stderr().strip());
        assertThat(refused.exitCode()).as(refused.report()).isNotZero();
        assertThat(refused.stderr().lines().filter(l -> l.startsWith("resize: ")).toList()).as(refused.report())
            .singleElement().asString().contains("failed to load checkpoint")
            .contains("find <backend dir>/.pulumi -name '*.attrs' -empty -delete")
            .contains("run `scripts/resize.sh local --to 4");
        Lifecycle.removeCutShortMetadata(project);
        project.pulumi("stack", "export").orFail();
    }

    /** The command started in the project's copy, as a user runs it (scripts/resize.sh's java line). */
    private static Cli.Started resize(int to) {
        return project.cluster.start(project.dir, project.env(), command(to));
    }

    private static List<String> command(int to) {
        var all = new ArrayList<>(List.of("java", "-cp", "target/memcached-gke.jar", "io.memcachedgke.tools.ResizeCommand",
            STACK, "--to", Integer.toString(to)));
        all.addAll(FAST);
        return all;
    }

    private static String finish(Cli.Started cmd) {
        try {
            var ended = cmd.process().waitFor(10, java.util.concurrent.TimeUnit.MINUTES);
            assertThat(ended).as("the resize ended\n%s", cmd.output()).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertThat(cmd.process().exitValue()).as(cmd.output()).isZero();
        return cmd.output();
    }

    /** What a move may and may not change, watched from before it to after it. */
    private static final class Observed {
        final int from;
        final int to;
        final Map<String, String> proxies;
        final String configMapUid;

        Observed(int from, int to) {
            this.from = from;
            this.to = to;
            this.proxies = life.podUids("mycache-mcrouter");
            this.configMapUid = life.object("configmap", "mycache-mcrouter").at("/metadata/uid").asText();
            assertThat(life.podUids("mycache-memcached").keySet()).containsExactlyElementsOf(Lifecycle.shardNames(from));
        }

        /** Once the move is declared (the window is counted down): both layouts' pods, the proxies untouched. */
        void whileDeclared(Cli.Started cmd) {
            assertThat(cmd.awaitOutput(Pattern.compile("resize: \\d+ -> \\d+: "), Duration.ofMinutes(5))).as(cmd.output()).isTrue();
            assertThat(life.podUids("mycache-memcached").keySet()).as("memcached pods while the move is declared")
                .containsExactlyElementsOf(Lifecycle.shardNames(Math.max(from, to)));
            assertThat(life.podUids("mycache-mcrouter")).as("the proxies' pods (name -> UID)").isEqualTo(proxies);
            assertThat(life.object("configmap", "mycache-mcrouter").at("/metadata/uid").asText())
                .as("the proxies' ConfigMap changed in place").isEqualTo(configMapUid);
            assertThat(life.object("configmap", "mycache-mcrouter").at("/data/config.json").asText()).contains("MigrateRoute");
        }

        void after() {
            assertThat(life.podUids("mycache-memcached").keySet()).as("memcached pods after the move")
                .containsExactlyElementsOf(Lifecycle.shardNames(to));
            assertThat(life.podUids("mycache-mcrouter")).as("the proxies' pods (name -> UID)").isEqualTo(proxies);
            assertThat(life.object("configmap", "mycache-mcrouter").at("/metadata/uid").asText()).isEqualTo(configMapUid);
            assertThat(life.readStackFile()).doesNotContain("resize:");
            life.expectNoChanges("preview", "--expect-no-changes", "--diff");
        }
    }
}
