package io.memcachedgke.support;

import io.memcachedgke.stack.App;
import com.pulumi.Context;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import io.memcachedgke.render.RecordedResource;
import io.memcachedgke.render.Rendering;
import io.memcachedgke.render.StackFiles;

/** Runs the program (or a piece of it) under Pulumi's test engine and finds what it registered. */
public final class Stacks {
    private Stacks() {}

    public static final Path PROJECT_DIR = Path.of("").toAbsolutePath();

    /** The real program on the real {@code Pulumi.<stack>.yaml}, as the render runs it. */
    public static Rendering render(String stack) {
        return Rendering.of(PROJECT_DIR, stack);
    }

    /** The stack file's configuration, for tests that change one key of it. */
    public static Map<String, String> config(String stack) {
        return StackFiles.load(PROJECT_DIR, stack).configWithPlaceholderProject();
    }

    public static Rendering run(Consumer<Context> program) {
        return Rendering.run("test", Map.of(), Set.of(), program);
    }

    /** The stack program on {@code config} (every key as the engine passes it). */
    public static Rendering program(Map<String, String> config) {
        return run(config, ctx -> App.stack(ctx, config));
    }

    public static Rendering run(Map<String, String> config, Consumer<Context> program) {
        return Rendering.run("test", config, Set.of(), program);
    }

    public static List<RecordedResource> ofType(Rendering r, String type) {
        return r.resources().stream().filter(x -> x.type().equals(type)).toList();
    }

    public static RecordedResource one(Rendering r, String type) {
        var all = ofType(r, type);
        if (all.size() != 1) {
            throw new AssertionError("expected one " + type + " but found " + all.size());
        }
        return all.get(0);
    }

    public static Optional<RecordedResource> named(Rendering r, String type, String name) {
        return r.resources().stream().filter(x -> x.type().equals(type) && x.name().equals(name)).findFirst();
    }

    /** The Kubernetes object of {@code kind} whose metadata.name is {@code name}. */
    public static RecordedResource k8s(Rendering r, String kind, String name) {
        return r.resources().stream()
            .filter(x -> x.isKubernetesObject() && kind.equals(x.inputs().get("kind"))
                && name.equals(at(x.inputs(), "metadata.name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    /** A value inside nested maps and lists by a dotted path; list indexes are numbers ("containers.0.args"). */
    @SuppressWarnings("unchecked")
    public static <T> T at(Object root, String path) {
        Object cur = root;
        for (var part : path.split("\\.")) {
            if (cur instanceof Map<?, ?> m) {
                cur = m.get(part);
            } else if (cur instanceof List<?> l) {
                cur = l.get(Integer.parseInt(part));
            } else {
                throw new AssertionError("no " + path + " (stopped at " + part + ") in " + root);
            }
        }
        return (T) cur;
    }

    /** {@link #at} typed as Object, for assertions. */
    public static Object value(Object root, String path) {
        return at(root, path);
    }

    /** The first container of a workload's pod template. */
    public static Map<String, Object> container(RecordedResource workload) {
        return at(workload.inputs(), "spec.template.spec.containers.0");
    }
}
