package io.memcachedgke.impact;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.memcachedgke.hash.Ch3;

/**
 * What a change does to the cache, from two renders (base and head): which shards restart and why, which
 * keys move to another shard, whether they are served warm, which proxies restart, and the share of cached
 * items a client loses. Keys are placed by mcrouter's own hash ({@link Ch3}) over each render's pools: a
 * large deterministic sample, checked against the hash's theory ({@code 1 - min/max} of the pool sizes).
 *
 * <p>A key's item is where the base layout clients use (pool {@code A}) put it; the head can always read it
 * only from its own pool {@code A} (during a move, reads fall back to pool A; before the switch they go
 * nowhere else). So an item is lost when its server in the head's pool A is another one, or when its shard
 * restarts.
 *
 * @param sample how many keys are hashed
 */
public record ImpactReport(Snapshot base, Snapshot head, int sample, Findings findings) {

    /** Keys hashed by default: enough for the share to be within a few tenths of a percent. */
    public static final int DEFAULT_SAMPLE = 100_000;
    /** Where the resize runbook is. */
    public static final String RUNBOOK = "docs/operations.md#resize-without-a-miss-storm";

    /**
     * @param lostShare      share of cached items a client loses (0..1)
     * @param upTo           true when the loss is a worst case (a move ends: moved keys not touched during it)
     * @param movedWarmShare share of keys that move and are served warm (a move starts)
     * @param remappedShare  share of keys whose shard differs between the layouts clients read (sampled)
     * @param theoryShare    the same from ch3's theory, when the layouts are two sizes of one pool; -1 otherwise
     * @param shardRestarts  why every shard restarts (empty: none)
     * @param proxyRestarts  why every proxy restarts (empty: none)
     * @param warnings       what a reviewer must read
     * @param notes          changes with no effect on the cache, and other details
     * @param before         keys per pod before (the layout clients use in the base)
     * @param after          keys per pod after (the layout the head ends with)
     */
    public record Findings(double lostShare, boolean upTo, double movedWarmShare, double remappedShare,
                           double theoryShare, List<String> shardRestarts, List<String> proxyRestarts,
                           List<String> warnings, List<String> notes, Map<String, Integer> before,
                           Map<String, Integer> after) {}

    public static ImpactReport of(Snapshot base, Snapshot head) {
        return of(base, head, DEFAULT_SAMPLE);
    }

    public static ImpactReport of(Snapshot base, Snapshot head, int sample) {
        // Where items are (base) and where the head always reads (see the class comment).
        var baseA = base.pool(base.homePool()).orElse(List.of());
        var headA = head.pool(head.homePool()).orElse(List.of());
        var headB = head.moving() ? head.pool("B") : java.util.Optional.<List<String>>empty();
        var baseB = base.moving() ? base.pool("B") : java.util.Optional.<List<String>>empty();
        var headFinal = headB.orElse(headA);

        var shardRestarts = base.shardTemplate() == null || head.shardTemplate() == null ? List.<String>of()
            : JsonDiff.reasons(base.shardTemplate(), head.shardTemplate(), "memcached");
        var pool = nodePoolChange(base, head);
        if (pool.isPresent()) {
            // On GKE the shards select their pool's label: the new selector is the pool change, said with what changed.
            shardRestarts = shardRestarts.stream().map(r -> r.equals(JsonDiff.NODES_CHANGED) ? pool.get() : r).toList();
        }
        var proxyRestarts = base.proxyTemplate() == null || head.proxyTemplate() == null ? List.<String>of()
            : JsonDiff.reasons(base.proxyTemplate(), head.proxyTemplate(), "mcrouter");

        int lost = 0;
        int remapped = 0;
        int movedWarm = 0;
        var before = new LinkedHashMap<String, Integer>();
        var after = new LinkedHashMap<String, Integer>();
        baseA.forEach(s -> before.put(pod(s), 0));
        headFinal.forEach(s -> after.put(pod(s), 0));
        for (int i = 0; i < sample; i++) {
            var key = "memcached-gke:impact:" + i;
            var from = baseA.isEmpty() ? null : baseA.get(Ch3.serverIndex(key, baseA.size()));
            var read = headA.isEmpty() ? null : headA.get(Ch3.serverIndex(key, headA.size()));
            var end = headFinal.isEmpty() ? null : headFinal.get(Ch3.serverIndex(key, headFinal.size()));
            if (from != null) {
                before.merge(pod(from), 1, Integer::sum);
            }
            if (end != null) {
                after.merge(pod(end), 1, Integer::sum);
            }
            if (from == null || !from.equals(read)) {
                lost++;
            }
            if (from != null && !from.equals(end)) {
                remapped++;
            }
            if (headB.isPresent() && read != null && !read.equals(end)) {
                movedWarm++;
            }
        }
        double lostShare = shardRestarts.isEmpty() ? (double) lost / sample : 1.0;
        boolean upTo = shardRestarts.isEmpty() && baseB.isPresent() && lost > 0 && baseB.get().equals(headA);

        var warnings = new ArrayList<String>();
        var notes = new ArrayList<String>();
        if (!head.moving() && !base.moving() && !baseA.equals(headA) && !baseA.isEmpty() && !headA.isEmpty()
            && shardRestarts.isEmpty()) {
            warnings.add("the pool changes from " + baseA.size() + " to " + headA.size() + " shards without a warm move: "
                + "declare memcached.resize (runbook: " + RUNBOOK + ")");
        }
        if (head.moving() && !headA.equals(baseA)) {
            warnings.add("the move starts from " + headA.size() + " shards (resize.from), but clients use " + baseA.size()
                + " now: items on the shards clients use are not where the move reads them");
        }
        var theory = theory(baseA, headA, headB.isPresent() ? headB.get() : headA);
        otherChanges(base, head, notes);
        return new ImpactReport(base, head, sample, new Findings(lostShare, upTo, (double) movedWarm / sample,
            (double) remapped / sample, theory, shardRestarts, proxyRestarts, warnings, notes, before, after));
    }

    /** The type of the GKE node pool (a GKE stack's render has one). */
    static final String NODE_POOL = "gcp:container/nodePool:NodePool";
    /** cert-manager's kinds (mutual TLS): a renewal or a new issuer changes Secrets, never a pod template. */
    static final String CERTIFICATE = "kubernetes:cert-manager.io/v1:Certificate";
    static final String ISSUER = "kubernetes:cert-manager.io/v1:Issuer";

    /**
     * A replaced node pool, in words: another pool resource (its name carries the settings GKE cannot change in
     * place) with the node settings that differ. Its nodes get the shards one at a time, each restarting empty.
     */
    static java.util.Optional<String> nodePoolChange(Snapshot base, Snapshot head) {
        var before = base.ofType(NODE_POOL);
        var after = head.ofType(NODE_POOL);
        if (before.size() != 1 || after.size() != 1 || before.keySet().equals(after.keySet())) {
            return java.util.Optional.empty();
        }
        var a = before.values().iterator().next().path("nodeConfig");
        var b = after.values().iterator().next().path("nodeConfig");
        var changed = JsonDiff.leaves(a, b).stream()
            .filter(p -> !p.startsWith("labels"))
            .map(p -> "cluster node " + p + " " + show(JsonDiff.at(a, p)) + " -> " + show(JsonDiff.at(b, p)))
            .toList();
        return java.util.Optional.of("the node pool is replaced" + (changed.isEmpty() ? "" : " (" + String.join(", ", changed)
            + ")") + ": each shard moves to a node of the new pool");
    }

    /** ch3's theory for a pool of n growing or shrinking to m: 1 - min(n, m) / max(n, m) of the keys move. */
    static double theory(List<String> baseA, List<String> headA, List<String> headFinal) {
        var from = baseA;
        var to = headFinal;
        int common = Math.min(from.size(), to.size());
        if (from.isEmpty() || to.isEmpty() || !from.subList(0, common).equals(to.subList(0, common))) {
            return -1;
        }
        return 1.0 - (double) common / Math.max(from.size(), to.size());
    }

    /** Every other resource that changed, named as what it does (or does not do) to the cache. */
    private static void otherChanges(Snapshot base, Snapshot head, List<String> notes) {
        var seen = new java.util.TreeSet<String>();
        seen.addAll(base.resources().keySet());
        seen.addAll(head.resources().keySet());
        for (var ref : seen) {
            var a = base.resources().get(ref);
            var b = head.resources().get(ref);
            if (a != null && a.equals(b)) {
                continue;
            }
            var type = ref.substring(0, ref.indexOf("::"));
            String what;
            if (a == null) {
                what = "added";
            } else if (b == null) {
                what = "removed";
            } else {
                what = "changed (" + String.join(", ", JsonDiff.paths(a, b, 3)) + ")";
            }
            String effect = switch (type) {
                case "kubernetes:apps/v1:StatefulSet" -> "the shards: see above";
                case "kubernetes:apps/v1:DaemonSet" -> "the proxies: see above";
                case "kubernetes:core/v1:ConfigMap" -> "the proxies' config: reloaded in place";
                case "kubernetes:batch/v1:Job" -> "a check that runs again after the change";
                case NODE_POOL -> "the nodes: a new pool is created first, the shards move to it, the old one goes last";
                case CERTIFICATE, ISSUER -> "the certificates: cert-manager issues them again into the same Secrets, "
                    + "which reach the pods' files in place; the shards load them on refresh_certs and the proxies by "
                    + "themselves, so no shard and no proxy restarts";
                default -> "no effect on the cache";
            };
            notes.add(ref + " " + what + ": " + effect);
        }
    }

    static String pod(String server) {
        int dot = server.indexOf('.');
        return dot < 0 ? server : server.substring(0, dot);
    }

    /** The first line: the verdict. */
    public String verdict() {
        var f = findings;
        var pct = percent(f.lostShare());
        if (!f.shardRestarts().isEmpty()) {
            return "cache impact: 100% of cached items lost — every shard restarts, one at a time (" + String.join("; ",
                f.shardRestarts()) + ")";
        }
        if (f.lostShare() > 0 && f.upTo()) {
            return "cache impact: up to " + pct + " of cached items lost — the move ends: keys that moved and were neither "
                + "read nor written during the window are not in the new layout";
        }
        if (f.lostShare() > 0) {
            return "cache impact: " + pct + " of cached items lost — " + percent(f.remappedShare())
                + " of keys map to another shard and nothing serves them warm";
        }
        if (f.movedWarmShare() > 0) {
            return "cache impact: 0% of cached items lost — " + percent(f.movedWarmShare()) + " of keys move warm to "
                + "another shard (memcached.resize)";
        }
        if (!f.proxyRestarts().isEmpty()) {
            return "cache impact: 0% of cached items lost — the proxies restart one node at a time ("
                + String.join("; ", f.proxyRestarts()) + ")";
        }
        return "cache impact: 0% of cached items lost — no shard restarts and no key moves";
    }

    /** The share of cached items lost, in percent, for a threshold. */
    public double lostPercent() {
        return 100 * findings.lostShare();
    }

    /** The whole report as text: the verdict, then the details. */
    public String text() {
        var f = findings;
        var lines = new ArrayList<String>();
        lines.add(verdict());
        f.warnings().forEach(w -> lines.add("  warning: " + w));
        for (var row : rows()) {
            lines.add("  " + row[0] + ": " + row[1]);
        }
        f.notes().forEach(n -> lines.add("  change: " + n));
        return String.join("\n", lines) + "\n";
    }

    /** The details as label/value rows. */
    List<String[]> rows() {
        var f = findings;
        var rows = new ArrayList<String[]>();
        rows.add(new String[] {"shards restarted", f.shardRestarts().isEmpty()
            ? "none (the memcached pod template is unchanged)"
            : "every shard, one at a time: " + String.join("; ", f.shardRestarts())});
        var remap = percent(f.remappedShare()) + " of " + sample + " sampled keys map to another shard";
        if (f.theoryShare() >= 0) {
            remap += " (ch3 theory: " + percent(f.theoryShare()) + ")";
        }
        rows.add(new String[] {"keys remapped", remap});
        rows.add(new String[] {"served warm", f.movedWarmShare() > 0
            ? percent(f.movedWarmShare()) + " of keys move warm: a miss on the new layout reads the old one (WarmUpRoute)"
            : f.remappedShare() > 0 ? "no: moved keys miss until written again" : "nothing moves"});
        var config = base.digest().equals(head.digest()) ? "same config"
            : "reload the new config in place (digest " + base.digest() + " -> " + head.digest() + ")";
        rows.add(new String[] {"proxies", config + (f.proxyRestarts().isEmpty() ? "; none restarts"
            : "; restart one node at a time: " + String.join("; ", f.proxyRestarts()))});
        rows.add(new String[] {"shards", base.shards() == head.shards() ? base.shards() + " pods"
            : base.shards() + " -> " + head.shards() + " pods"});
        return rows;
    }

    /** The report for a pull-request comment: verdict, warnings, details, and keys per shard as a Mermaid chart. */
    public String markdown() {
        var f = findings;
        var sb = new StringBuilder();
        sb.append("### ").append(capitalise(verdict().replace("cache impact: ", "Cache impact: "))).append("\n\n");
        for (var w : f.warnings()) {
            sb.append("> **Warning:** ").append(w).append("\n\n");
        }
        sb.append("| | |\n|---|---|\n");
        for (var row : rows()) {
            sb.append("| ").append(row[0]).append(" | ").append(row[1].replace("|", "\\|")).append(" |\n");
        }
        if (!f.before().isEmpty() && !f.after().isEmpty() && (!f.before().equals(f.after()))) {
            var pods = new java.util.TreeSet<String>(java.util.Comparator.comparingInt(ImpactReport::ordinal)
                .thenComparing(p -> p));
            pods.addAll(f.before().keySet());
            pods.addAll(f.after().keySet());
            sb.append("\nKeys per shard, before (line) and after (bars), of ").append(sample).append(" sampled:\n\n");
            sb.append("```mermaid\nxychart-beta\n");
            sb.append("  x-axis [").append(String.join(", ", pods.stream().map(p -> "\"" + p + "\"").toList())).append("]\n");
            sb.append("  y-axis \"keys\"\n");
            sb.append("  bar [").append(String.join(", ", pods.stream().map(p -> String.valueOf(f.after().getOrDefault(p, 0))).toList())).append("]\n");
            sb.append("  line [").append(String.join(", ", pods.stream().map(p -> String.valueOf(f.before().getOrDefault(p, 0))).toList())).append("]\n");
            sb.append("```\n");
        }
        if (!f.notes().isEmpty()) {
            sb.append("\n<details><summary>Every change (").append(f.notes().size()).append(")</summary>\n\n");
            f.notes().forEach(n -> sb.append("- ").append(n.replace("|", "\\|")).append("\n"));
            sb.append("\n</details>\n");
        }
        return sb.toString();
    }

    private static int ordinal(String pod) {
        int dash = pod.lastIndexOf('-');
        try {
            return Integer.parseInt(pod.substring(dash + 1));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String percent(double share) {
        double p = 100 * share;
        if (p == 0 || p == 100) {
            return String.format(Locale.ROOT, "%.0f%%", p);
        }
        return String.format(Locale.ROOT, "%.1f%%", p);
    }

    /** The value at a path of a JSON tree, for messages. */
    static String show(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "(none)";
        }
        var s = v.isTextual() ? v.asText() : v.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
