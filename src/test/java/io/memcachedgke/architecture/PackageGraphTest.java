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
 * Every import points down: no package of the program reaches a package that reaches it back,
 * directly or through others. The ground floor ({@code config}: rules, messages, value types) imports
 * no other package of the program; the tiers never import the stack reader, the entry point or the tools.
 */
class PackageGraphTest {

    static final Path MAIN = Path.of("src/main/java/io/memcachedgke");
    /** A reference to another package of the program: an import or a fully qualified name. */
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.memcachedgke\\.([a-z]+)\\.[A-Za-z]");
    private static final Pattern ROOT_REFERENCE = Pattern.compile("\\bio\\.memcachedgke\\.[A-Z]");
    /** The component package's public surface, {@code io.memcachedgke} (its own root: the schema's namespace). */
    static final String COMPONENT_PACKAGE = "component";
    /** The entry point's package, {@code memcachedgke} itself. */
    static final String ROOT = "(root)";
    /** Packages above the tiers: they compose the tiers or run the program. */
    static final Set<String> TOP_FLOOR = Set.of(ROOT, COMPONENT_PACKAGE, "stack", "render", "tools");

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
    void theGroundFloorImportsNothingOfTheProgram() {
        assertThat(graph().get("config")).as("config's imports").isEmpty();
    }

    @Test
    void tiersNeverImportTheTopFloor() {
        var graph = graph();
        var wrong = new ArrayList<String>();
        graph.forEach((pkg, deps) -> {
            if (!TOP_FLOOR.contains(pkg)) {
                deps.stream().filter(TOP_FLOOR::contains).forEach(d -> wrong.add(pkg + " -> " + d));
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
