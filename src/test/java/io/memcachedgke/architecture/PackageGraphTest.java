package io.memcachedgke.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The structure tells where each decision lives, and every import points down: the ground floor ({@code config})
 * imports nothing of the program; the building blocks only the ground floor and each other; the settings model
 * those; no tier imports another tier, the model, the composition root or a front door; the composition root
 * ({@code cache}) composes the tiers from the model; the two front doors ({@code stack}, {@code component}) import
 * the model and the root, never each other; nothing below the front doors imports either.
 */
class PackageGraphTest {

    static final Path MAIN = Path.of("src/main/java/io/memcachedgke");
    /** A reference to another package of the program: an import or a fully qualified name. */
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.memcachedgke\\.([a-z]+)\\.[A-Za-z]");
    private static final Pattern ROOT_REFERENCE = Pattern.compile("\\bio\\.memcachedgke\\.[A-Z]");
    static final String ROOT = "(root)";
    static final String GROUND = "config";
    static final Set<String> BUILDING_BLOCKS = Set.of("kube", "sizing", "hash", "locate", "probe", "alerts", "impact");
    static final String MODEL = "settings";
    static final Set<String> TIERS = Set.of("gke", "namespace", "memcached", "mcrouter", "metrics", "monitoring",
        "sampleapp", "smoke", "tls");
    static final String COMPOSITION_ROOT = "cache";
    static final Set<String> FRONT_DOORS = Set.of("stack", "component");
    /** What runs the stack program offline or at a terminal, above its front door. */
    static final Set<String> ABOVE_THE_DOORS = Set.of("render", "tools");

    /** package -> the packages of the program its sources refer to. */
    static Map<String, Set<String>> graph() {
        var graph = new TreeMap<String, Set<String>>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                var rel = MAIN.relativize(file.getParent());
                var pkg = rel.toString().isEmpty() ? ROOT : rel.toString().replace('/', '.');
                var deps = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
                var text = Files.readString(file);
                var m = REFERENCE.matcher(text);
                while (m.find()) {
                    deps.add(m.group(1));
                }
                if (ROOT_REFERENCE.matcher(text).find()) {
                    deps.add(ROOT);
                }
                deps.remove(pkg);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    /** Every package reachable from {@code from}, {@code from} excluded unless a cycle leads back. */
    static Set<String> reachable(Map<String, Set<String>> graph, String from) {
        var seen = new TreeSet<String>();
        Deque<String> todo = new ArrayDeque<>(graph.getOrDefault(from, Set.of()));
        while (!todo.isEmpty()) {
            var p = todo.pop();
            if (seen.add(p)) {
                todo.addAll(graph.getOrDefault(p, Set.of()));
            }
        }
        return seen;
    }

    @Test
    void noPackageReachesItselfAgain() {
        var graph = graph();
        var cycles = new ArrayList<String>();
        graph.keySet().forEach(p -> {
            if (reachable(graph, p).contains(p)) {
                cycles.add(p + " -> ... -> " + p);
            }
        });
        assertThat(cycles).as("package graph %s", render(graph)).isEmpty();
    }

    @Test
    void everyPackageHasItsPlace() {
        var placed = new TreeSet<String>(Set.of(GROUND, MODEL, COMPOSITION_ROOT, "startup"));
        placed.addAll(BUILDING_BLOCKS);
        placed.addAll(TIERS);
        placed.addAll(FRONT_DOORS);
        placed.addAll(ABOVE_THE_DOORS);
        assertThat(graph().keySet()).isEqualTo(placed);
    }

    @Test
    void theGroundFloorImportsNothingOfTheProgram() {
        assertThat(graph().get(GROUND)).as("config's imports").isEmpty();
    }

    @Test
    void buildingBlocksImportOnlyTheGroundFloorAndEachOther() {
        var allowed = new TreeSet<>(BUILDING_BLOCKS);
        allowed.add(GROUND);
        BUILDING_BLOCKS.forEach(b -> assertThat(allowed).as(b).containsAll(graph().get(b)));
    }

    @Test
    void theModelImportsNoTierNoRootAndNoFrontDoor() {
        var allowed = new TreeSet<>(BUILDING_BLOCKS);
        allowed.add(GROUND);
        assertThat(allowed).containsAll(graph().get(MODEL));
    }

    @Test
    void noTierImportsAnotherTierOrAnythingAboveTheBuildingBlocks() {
        var allowed = new TreeSet<>(BUILDING_BLOCKS);
        allowed.add(GROUND);
        var wrong = new ArrayList<String>();
        TIERS.forEach(tier -> graph().get(tier).stream().filter(d -> !allowed.contains(d)).forEach(d -> wrong.add(tier + " -> " + d)));
        assertThat(wrong).isEmpty();
    }

    @Test
    void theFrontDoorsImportTheModelNeverEachOtherAndNothingBelowImportsThem() {
        var graph = graph();
        FRONT_DOORS.forEach(door -> {
            assertThat(graph.get(door)).as(door).contains(MODEL, COMPOSITION_ROOT);
            FRONT_DOORS.stream().filter(other -> !other.equals(door))
                .forEach(other -> assertThat(graph.get(door)).as(door + " imports " + other).doesNotContain(other));
        });
        var wrong = new ArrayList<String>();
        graph.forEach((pkg, deps) -> {
            if (!FRONT_DOORS.contains(pkg) && !ABOVE_THE_DOORS.contains(pkg)) {
                deps.stream().filter(FRONT_DOORS::contains).forEach(d -> wrong.add(pkg + " -> " + d));
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void theGraphIsWhatTheDocsShow() throws IOException {
        // docs/architecture.md carries the graph; a change of layering is a change of the docs.
        var doc = Files.readString(Path.of("docs/architecture.md"));
        assertThat(doc).contains(render(graph()));
    }

    /** One line per package: {@code pkg -> a, b, c}. */
    static String render(Map<String, Set<String>> graph) {
        var lines = new ArrayList<String>();
        graph.forEach((p, deps) -> lines.add(p + " -> " + (deps.isEmpty() ? "(nothing)" : String.join(", ", deps))));
        return String.join("\n", lines);
    }

    /** Prints the graph (for the docs): {@code java ... PackageGraphTest}. */
    public static void main(String[] args) {
        System.out.println(render(graph()));
    }

    static List<String> packages() {
        return List.copyOf(graph().keySet());
    }
}
