package io.memcachedgke.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/cache-impact.sh (the pull request's cache-impact check) offline, in a real git repository with a base
 * and a head commit: a fake {@code mvnw} records where and how it renders and runs the impact report (answering
 * with a canned report and exit code per stack), a fake {@code gh} records the label read and the comment
 * written. Needs git and bash.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CacheImpactScriptTest {
    private static final String MVNW = """
        #!/usr/bin/env bash
        # fake mvnw: records "<dir> <args>", renders into target/render/<stack>, answers impact from env.
        echo "$(pwd) $*" >> "$FAKE_DIR/mvnw.log"
        for a in "$@"; do case "$a" in -Dstack=*) stack=${a#-Dstack=} ;; -Dhead=*) head=${a#-Dhead=} ;; esac; done
        case "$*" in
          *exec:java@render*) mkdir -p "target/render/$stack"; cp "Pulumi.$stack.yaml" "target/render/$stack/resources.json" ;;
          *exec:java@impact*)
            stack=${head##*/}
            var="IMPACT_${stack}"; rc="IMPACT_RC_${stack}"
            printf '%s\\n' "${!var}"
            exit "${!rc:-0}" ;;
        esac
        """;
    private static final String GH = """
        #!/usr/bin/env bash
        # fake gh: records its arguments; labels and comments from env; a written body is kept.
        echo "$*" >> "$FAKE_DIR/gh.log"
        case "$*" in
          *"/labels --jq"*) printf '%s\\n' $FAKE_LABELS ;;
          "api --paginate "*"/comments --jq"*) [ -z "$FAKE_COMMENT_ID" ] || echo "$FAKE_COMMENT_ID" ;;
          *"-F body=@"*) all="$*"; f=${all##*body=@}; cp "${f%% *}" "$FAKE_DIR/comment.md" ;;
          *) echo "fake gh: unexpected: $*" >&2; exit 1 ;;
        esac
        """;

    private record Run(int exit, String output, List<String> mvnw, List<String> gh, String comment) {
        String lastLine() {
            var lines = output.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    private static Path repo(Path tmp) throws Exception {
        var repo = Files.createDirectories(tmp.resolve("repo"));
        Files.createDirectories(repo.resolve("scripts"));
        Files.copy(Paths.get("scripts/cache-impact.sh"), repo.resolve("scripts/cache-impact.sh"));
        Files.writeString(repo.resolve("Pulumi.dev.yaml"), "config:\n  memcached-gke:memcached:\n    replicas: 3\n");
        Files.writeString(repo.resolve("Pulumi.prod.yaml"), "config:\n  memcached-gke:environment: production\n");
        Files.writeString(repo.resolve(".gitignore"), "target/\n");
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "base");
        Files.writeString(repo.resolve("Pulumi.dev.yaml"), "config:\n  memcached-gke:memcached:\n    replicas: 4\n");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-am", "head");
        for (var fake : Map.of("fake-mvnw", MVNW, "gh", GH).entrySet()) {
            var p = tmp.resolve("bin").resolve(fake.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, fake.getValue());
            p.toFile().setExecutable(true);
        }
        return repo;
    }

    private static String git(Path dir, String... args) throws Exception {
        ScriptSandbox.require("git", "Debian: apt-get install -y git");
        var command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        var p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.strip();
    }

    private static Run run(Path tmp, Path repo, Map<String, String> env) throws Exception {
        var fake = Files.createDirectories(tmp.resolve("fake"));
        var pb = new ProcessBuilder(repo.resolve("scripts/cache-impact.sh").toString(), "dev", "prod")
            .directory(repo.toFile()).redirectErrorStream(true);
        var e = pb.environment();
        e.put("PATH", tmp.resolve("bin") + File.pathSeparator + System.getenv("PATH"));
        e.put("FAKE_DIR", fake.toString());
        e.put("MVNW", tmp.resolve("bin/fake-mvnw").toString());
        e.put("BASE_SHA", git(repo, "rev-parse", "HEAD~1"));
        e.put("GITHUB_REPOSITORY", "owner/memcached-gke");
        e.put("PR_NUMBER", "7");
        e.put("IMPACT_dev", "cache impact: 25% of cached items lost - 3 -> 4 shards without a resize block");
        e.put("IMPACT_RC_dev", "3");
        e.put("IMPACT_prod", "cache impact: 0% of cached items lost - nothing changes");
        e.put("FAKE_LABELS", "");
        e.put("FAKE_COMMENT_ID", "");
        e.remove("GITHUB_STEP_SUMMARY");
        e.putAll(env);
        var p = pb.start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(100, TimeUnit.SECONDS)).isTrue();
        var comment = fake.resolve("comment.md");
        return new Run(p.exitValue(), out, lines(fake.resolve("mvnw.log")), lines(fake.resolve("gh.log")),
            Files.exists(comment) ? Files.readString(comment) : null);
    }

    private static List<String> lines(Path p) throws Exception {
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    @Test
    void aLossAboveTheShareFailsTheCheckAndTheReportIsCommented(@TempDir Path tmp) throws Exception {
        var repo = repo(tmp);
        var r = run(tmp, repo, Map.of("CAN_COMMENT", "true"));

        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.lastLine()).isEqualTo("cache-impact: FAIL: dev would lose more than 10% of cached items; "
            + "add the label cache-flush-ok and re-run to accept");
        // Base renders in its own worktree at the base commit, head in the checkout; the impact compares them.
        assertThat(r.mvnw()).hasSize(6);
        assertThat(r.mvnw().get(0)).endsWith("/base -B -q compile exec:java@render -Dstack=dev").doesNotStartWith(repo + " ");
        assertThat(r.mvnw().get(1)).isEqualTo(repo.toRealPath() + " -B -q compile exec:java@render -Dstack=dev");
        assertThat(r.mvnw().get(2)).startsWith(repo.toRealPath() + " -B -q exec:java@impact -Dbase=")
            .contains("/base/target/render/dev -Dhead=target/render/dev -Dformat=markdown -DfailAbove=10");
        assertThat(r.gh()).containsExactly(
            "api repos/owner/memcached-gke/issues/7/labels --jq .[].name",
            "api --paginate repos/owner/memcached-gke/issues/7/comments --jq .[] | select(.body | startswith(\"<!-- memcached-gke:cache-impact -->\")) | .id",
            "api --method POST repos/owner/memcached-gke/issues/7/comments -F body=@" + r.gh().get(2).substring(r.gh().get(2).indexOf('@') + 1));
        assertThat(r.comment()).startsWith("<!-- memcached-gke:cache-impact -->\n## Cache impact of this pull request")
            .contains("### `dev`\n\ncache impact: 25% of cached items lost", "### `prod`\n\ncache impact: 0%",
                "**Check failed**: dev would lose more than 10% of cached items. If that is intended, add the label `cache-flush-ok`");
        assertThat(git(repo, "worktree", "list")).as("the base worktree is removed").doesNotContain("base");
    }

    @Test
    void theLabelAcknowledgesTheLossAndAnEarlierCommentIsEdited(@TempDir Path tmp) throws Exception {
        var repo = repo(tmp);
        var r = run(tmp, repo, Map.of("CAN_COMMENT", "true", "FAKE_LABELS", "dependencies cache-flush-ok",
            "FAKE_COMMENT_ID", "991", "FAIL_ABOVE", "20"));

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.lastLine()).isEqualTo("cache-impact: OK");
        assertThat(r.mvnw().get(2)).contains("-DfailAbove=20");
        assertThat(r.gh().get(2)).startsWith("api --method PATCH repos/owner/memcached-gke/issues/comments/991 -F body=@");
        assertThat(r.comment()).contains("**Check passed, acknowledged**: dev would lose more than 20% of cached items; "
            + "the label `cache-flush-ok` accepts it.");
    }

    @Test
    void aForkGetsTheReportInTheSummaryAndNoComment(@TempDir Path tmp) throws Exception {
        var repo = repo(tmp);
        var summary = tmp.resolve("summary.md");
        var r = run(tmp, repo, Map.of("CAN_COMMENT", "false", "IMPACT_RC_dev", "0", "GITHUB_STEP_SUMMARY", summary.toString()));

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.gh()).containsExactly("api repos/owner/memcached-gke/issues/7/labels --jq .[].name");
        assertThat(r.comment()).isNull();
        assertThat(Files.readString(summary)).contains("**Check passed**: no stack loses more than 10% of its cached items.");
        assertThat(r.output()).contains("the report is in the job summary");
    }

    @Test
    void aStackNewInThisPullRequestHasNothingCached(@TempDir Path tmp) throws Exception {
        var repo = repo(tmp);
        Files.writeString(repo.resolve("Pulumi.staging.yaml"), "config: {}\n");
        var pb = new ProcessBuilder(repo.resolve("scripts/cache-impact.sh").toString(), "staging").directory(repo.toFile())
            .redirectErrorStream(true);
        pb.environment().put("PATH", tmp.resolve("bin") + File.pathSeparator + System.getenv("PATH"));
        pb.environment().put("BASE_SHA", git(repo, "rev-parse", "HEAD~1"));
        pb.environment().put("MVNW", tmp.resolve("bin/fake-mvnw").toString());
        pb.environment().put("FAKE_DIR", Files.createDirectories(tmp.resolve("fake")).toString());
        pb.environment().remove("PR_NUMBER");
        pb.environment().remove("GITHUB_STEP_SUMMARY");
        var p = pb.start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("### `staging`\n\nA new stack: nothing is cached in it yet.");
    }
}
