package io.memcachedgke.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A stack deployed with an earlier release moves to this one without a create, delete or replace of anything it
 * holds: the {@code local} stack is deployed with the program of {@code src/test/resources/upgrade-baseline} (a commit,
 * checked out and built here), then previewed with the checkout's program. A resource whose URN changed without an
 * alias would show as a delete and a create and fail this. The only creates allowed are of a component the earlier
 * release did not have (a logical resource: nothing in the cluster), named in {@link #NEW_COMPONENTS}, and of the
 * objects a later release added that hold no cache data, named in {@link #NEW_OBJECTS}; the only replacements, of the
 * check Jobs, when their scripts changed since (a check that runs again, no cache object); the only updates, of an
 * object's metadata: nothing under {@code spec}, so no pod template changes and no shard or proxy rolls.
 */
class UpgradeIT {
    /** Components this version adds above what the baseline had. */
    static final List<String> NEW_COMPONENTS = List.of("memcached-gke:index:CacheService::mycache");

    /**
     * Objects this version adds above what the baseline had, none holding cache data: the check that {@code up} ends
     * when the shards' roll has ended (issue 27), with its own one-StatefulSet Role.
     */
    static final List<String> NEW_OBJECTS = List.of(
        "kubernetes:batch/v1:Job::mycache-memcached-roll-check",
        "kubernetes:core/v1:ServiceAccount::mycache-memcached-roll-check-account",
        "kubernetes:rbac.authorization.k8s.io/v1:Role::mycache-memcached-roll-check-role",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding::mycache-memcached-roll-check-binding");

    @Test
    @DisplayName("the local stack of the last release: this version's preview creates, deletes and replaces nothing")
    void anExistingStackMovesWithoutAReplacement() throws Exception {
        var baseline = baseline();
        var source = Files.createTempDirectory("memcached-gke-baseline");
        Files.delete(source);
        git("worktree", "add", "--detach", source.toString(), baseline).orFail();
        PulumiProject project = null;
        try {
            // The baseline's own build of its jar (the start-up archive is not needed).
            Cli.run(List.of("./mvnw", "-B", "-q", "package", "-DskipTests", "-Dmaven.antrun.skip"), source, Map.of(),
                Duration.ofMinutes(10)).orFail();
            project = PulumiProject.of("local", source);
            var life = new Lifecycle(project);
            life.up();
            project.useBuildOf(LocalControlPlane.PROJECT);
            var plan = life.preview();
            var changes = plan.opsOtherThan("same");
            NEW_COMPONENTS.forEach(c -> assertThat(changes.remove(c)).as(plan.report()).isEqualTo("create"));
            NEW_OBJECTS.forEach(c -> assertThat(changes.remove(c)).as(plan.report()).isEqualTo("create"));
            // An update of metadata alone (the StatefulSet's pulumi.com/skipAwait annotation, issue 27) rolls
            // nothing; one under spec could roll the shards or the proxies, and stays in the map to fail below.
            changes.entrySet().removeIf(e -> e.getValue().equals("update")
                && !plan.changedPaths(e.getKey()).isEmpty()
                && plan.changedPaths(e.getKey()).stream().noneMatch(p -> p.startsWith("spec")));
            // A check Job is named for what it checks: a release that changes a check's script replaces the Job,
            // which runs the check again (io.memcachedgke.kube.CheckJobs), as every runbook step of the lifecycle allows.
            changes.entrySet().removeIf(e -> e.getKey().startsWith("kubernetes:batch/v1:Job::") && e.getValue().equals("replace"));
            assertThat(changes).as("a stack of %s previewed with this version: nothing created but the new "
                + "component and objects, nothing deleted or replaced but the check Jobs, nothing updated under spec"
                + "\n%s\nchanged paths: %s", baseline, plan.report(), plan.changedPaths()).isEmpty();
            life.up();
            life.expectNoChanges("preview", "--expect-no-changes", "--diff");
        } finally {
            if (project != null) {
                project.pulumi("destroy", "--yes", "--skip-preview");
                project.close();
            }
            git("worktree", "remove", "--force", source.toString());
        }
    }

    static String baseline() {
        try {
            return Files.readAllLines(LocalControlPlane.PROJECT.resolve("src/test/resources/upgrade-baseline")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow().strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Cli.Result git(String... args) {
        return Cli.run(Cli.of("git", List.of(args)), LocalControlPlane.PROJECT, Map.of(), Duration.ofMinutes(2));
    }
}
