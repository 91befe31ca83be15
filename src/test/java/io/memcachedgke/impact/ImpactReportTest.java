package io.memcachedgke.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import io.memcachedgke.stack.App;
import io.memcachedgke.render.RenderWriter;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.support.Stacks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The impact report on the changes a reviewer sees most, each rendered from the real dev stack with one change:
 * an image bump, a resize with and without a warm move, a label, a metrics-only change. The figures are
 * the ones the issue asks for; the reports are printed so the closing note can quote them.
 */
class ImpactReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private static Snapshot base;
    private static final StringBuilder PRINTED = new StringBuilder();

    @BeforeAll
    static void renderTheBase() throws Exception {
        base = render("base", Stacks.config("dev"));
    }

    @AfterAll
    static void print() {
        System.out.println(PRINTED);
    }

    static Snapshot render(String name, Map<String, String> config) throws Exception {
        var rendering = Rendering.run(name, config, Set.of(), ctx -> App.stack(ctx, config));
        var out = RenderWriter.write(rendering, dir);
        return Snapshot.read(out);
    }

    /** The dev stack with {@code section.key} set to {@code value}. */
    static Map<String, String> dev(String section, String key, Object value) throws Exception {
        var config = new HashMap<>(Stacks.config("dev"));
        var node = (ObjectNode) JSON.readTree(config.getOrDefault("memcached-gke:" + section, "{}"));
        node.set(key, JSON.valueToTree(value));
        config.put("memcached-gke:" + section, JSON.writeValueAsString(node));
        return config;
    }

    /** Where each scenario's whole report is kept: what a reviewer reads, held against unintended change. */
    static final Path SNAPSHOTS = Path.of("src/test/resources/io/memcachedgke/impact");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    static ImpactReport report(String title, Snapshot head) throws Exception {
        return report(title, base, head);
    }

    static ImpactReport report(String title, Snapshot from, Snapshot head) throws Exception {
        var r = ImpactReport.of(from, head);
        var whole = r.text() + "\n--- markdown\n" + r.markdown();
        PRINTED.append("=== ").append(title).append("\n").append(whole).append("\n");
        // The text and the pull-request comment, whole (-Dgolden.update=true rewrites them; review the diff).
        var file = SNAPSHOTS.resolve(title.replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "") + ".txt");
        if (UPDATE) {
            Files.createDirectories(SNAPSHOTS);
            Files.writeString(file, whole);
        }
        assertThat(file).as("snapshot %s (create it with -Dgolden.update=true)", file).exists();
        assertThat(whole).isEqualTo(Files.readString(file));
        return r;
    }

    @Test
    void anImageBumpLosesEveryCachedItemAsEveryShardRestarts() throws Exception {
        var r = report("memcached image bump", render("image", dev("memcached", "image", "memcached:1.6.39-alpine")));
        assertThat(r.lostPercent()).isEqualTo(100);
        assertThat(r.verdict()).isEqualTo("cache impact: 100% of cached items lost — every shard restarts, one at a time "
            + "(memcached image changed: memcached:1.6.38-alpine -> memcached:1.6.39-alpine)");
    }

    /**
     * A node setting GKE cannot change in place (the machine type) declares a new node pool: the shards move to its
     * nodes one at a time, each restarting empty, and the report names the pool and the setting.
     */
    @Test
    void aMachineTypeChangeMovesEveryShardToANewNodePool() throws Exception {
        var r = report("machine type", render("machine", dev("cluster", "machineType", "e2-standard-2")));
        assertThat(r.lostPercent()).isEqualTo(100);
        assertThat(r.verdict()).isEqualTo("cache impact: 100% of cached items lost — every shard restarts, one at a time "
            + "(the node pool is replaced (cluster node machineType e2-medium -> e2-standard-2): each shard moves to a "
            + "node of the new pool)");
        assertThat(r.findings().proxyRestarts()).isEmpty();
        assertThat(r.findings().notes()).anyMatch(n -> n.startsWith("gcp:container/nodePool:NodePool::demo-cluster-pool-")
            && n.endsWith(" added: the nodes: a new pool is created first, the shards move to it, the old one goes last"))
            .anyMatch(n -> n.endsWith(" removed: the nodes: a new pool is created first, the shards move to it, the old one goes last"));
    }

    /**
     * Mutual TLS on prod: a renewal (new durations re-issue every certificate) and a change of issuer change only
     * cert-manager's objects and the exporter's annotation: no shard and no proxy restarts, no key moves.
     */
    @Test
    void aCertificateRenewalOrANewIssuerRestartsNoShardAndNoProxy() throws Exception {
        var prod = render("prod", Stacks.config("prod"));
        var renewal = report("tls renewal", prod, render("renew", with(Stacks.config("prod"), "tls", "renewBefore", "15d")));
        assertThat(renewal.verdict()).isEqualTo("cache impact: 0% of cached items lost — no shard restarts and no key moves");
        assertThat(renewal.findings().shardRestarts()).isEmpty();
        assertThat(renewal.findings().proxyRestarts()).isEmpty();
        assertThat(renewal.findings().notes()).anyMatch(n -> n.startsWith("kubernetes:cert-manager.io/v1:Certificate::")
            && n.contains("no shard and no proxy restarts"));
        var issuer = report("tls new issuer", prod, render("issuer", with(with(Stacks.config("prod"), "tls", "issuer",
            "corp-ca"), "tls", "issuerKind", "ClusterIssuer")));
        assertThat(issuer.verdict()).isEqualTo("cache impact: 0% of cached items lost — no shard restarts and no key moves");
        assertThat(issuer.findings().shardRestarts()).isEmpty();
        assertThat(issuer.findings().proxyRestarts()).isEmpty();
    }

    /** {@code config} with {@code <section>.<key>} set (the section's JSON, as the engine passes it). */
    static Map<String, String> with(Map<String, String> config, String section, String key, Object value) throws Exception {
        var out = new HashMap<>(config);
        var full = "memcached-gke:" + section;
        var node = out.containsKey(full) ? (ObjectNode) JSON.readTree(out.get(full)) : JSON.createObjectNode();
        node.set(key, JSON.valueToTree(value));
        out.put(full, JSON.writeValueAsString(node));
        return out;
    }

    @Test
    void threeToFourWithoutAResizeBlockLosesAQuarterAndWarns() throws Exception {
        var r = report("3 -> 4 without resize", render("plain4", dev("memcached", "replicas", 4)));
        assertThat(r.findings().lostShare()).isCloseTo(0.25, within(0.01));
        assertThat(r.findings().theoryShare()).isEqualTo(0.25);
        assertThat(r.verdict()).startsWith("cache impact: 2").contains("% of cached items lost — ")
            .endsWith("of keys map to another shard and nothing serves them warm");
        assertThat(r.findings().warnings()).containsExactly("the pool changes from 3 to 4 shards without a warm move: "
            + "declare memcached.resize (runbook: docs/operations.md#resize-without-a-miss-storm)");
        assertThat(r.findings().shardRestarts()).isEmpty();
        assertThat(r.findings().proxyRestarts()).as("a new server list restarts no proxy").isEmpty();
    }

    @Test
    void threeToFourWithAResizeBlockLosesNothingAndMovesAQuarterWarm() throws Exception {
        var resize = Map.of("from", 3, "startTime", "2026-12-01T10:00:00Z", "window", "1h");
        var config = dev("memcached", "replicas", 4);
        var node = (ObjectNode) JSON.readTree(config.get("memcached-gke:memcached"));
        node.set("resize", JSON.valueToTree(resize));
        config.put("memcached-gke:memcached", JSON.writeValueAsString(node));
        var head = render("warm4", config);
        var r = report("3 -> 4 with resize", head);
        assertThat(r.lostPercent()).isZero();
        assertThat(r.findings().movedWarmShare()).isCloseTo(0.25, within(0.01));
        assertThat(r.verdict()).startsWith("cache impact: 0% of cached items lost — 2").endsWith(
            "of keys move warm to another shard (memcached.resize)");
        assertThat(r.findings().warnings()).isEmpty();
        assertThat(r.markdown()).contains("```mermaid\nxychart-beta\n", "\"mycache-memcached-3\"");

        // The move finishes (resize.finish: true): at most the keys that moved and were not touched during it.
        var finishConfig = new HashMap<>(config);
        var finishNode = (ObjectNode) JSON.readTree(finishConfig.get("memcached-gke:memcached"));
        ((ObjectNode) finishNode.get("resize")).put("finish", true);
        finishConfig.put("memcached-gke:memcached", JSON.writeValueAsString(finishNode));
        var finishing = render("finish4", finishConfig);
        var finished = report("the move finishes (resize.finish: true)", head, finishing);
        assertThat(finished.findings().upTo()).isTrue();
        assertThat(finished.verdict()).startsWith("cache impact: up to 2");
        // Then the block goes: nothing more is lost.
        var removed = report("the block is removed", finishing, render("done4", dev("memcached", "replicas", 4)));
        assertThat(removed.lostPercent()).isZero();
    }

    @Test
    void aLabelOnlyChangeDoesNothingToTheCache() throws Exception {
        var r = report("label only", render("label", dev("networkPolicy", "allowKubectlRun", false)));
        assertThat(r.lostPercent()).isZero();
        assertThat(r.verdict()).isEqualTo("cache impact: 0% of cached items lost — no shard restarts and no key moves");
        assertThat(r.findings().notes()).anyMatch(n -> n.contains("NetworkPolicy") && n.endsWith("no effect on the cache"));
    }

    @Test
    void aMetricsOnlyChangeRestartsNoShard() throws Exception {
        var r = report("metrics only", render("metrics", dev("memcached", "exporterImage", "prom/memcached-exporter:v0.15.3")));
        assertThat(r.lostPercent()).isZero();
        assertThat(r.findings().shardRestarts()).isEmpty();
        assertThat(r.verdict()).isEqualTo("cache impact: 0% of cached items lost — no shard restarts and no key moves");
        assertThat(r.findings().notes()).anyMatch(n -> n.startsWith("kubernetes:apps/v1:Deployment::mycache-metrics-memcached-exporter changed"));
    }

    @Test
    void aProxyFlagChangeRestartsTheProxiesButLosesNothing() throws Exception {
        var r = report("mcrouter flag", render("flag", dev("mcrouter", "serverTimeoutMs", 500)));
        assertThat(r.lostPercent()).isZero();
        assertThat(r.verdict()).isEqualTo("cache impact: 0% of cached items lost — the proxies restart one node at a time "
            + "(mcrouter flags changed)");
    }

    @Test
    void readsARenderDirectoryAndNamesAMissingOne() throws Exception {
        assertThat(Files.exists(dir.resolve("base/resources.json"))).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Snapshot.read(dir.resolve("nope")))
            .hasMessageContaining("nope/resources.json does not exist (render it first");
    }
}
