package io.memcachedgke.impact;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;

/** Where two JSON trees differ, as paths, and what a pod template's differences mean in words. */
final class JsonDiff {
    private JsonDiff() {}

    /** The paths of every leaf that differs, e.g. {@code spec.containers[0].image}. */
    static List<String> leaves(JsonNode a, JsonNode b) {
        var out = new ArrayList<String>();
        walk("", a, b, out);
        return out;
    }

    private static void walk(String at, JsonNode a, JsonNode b, List<String> out) {
        if (a != null && a.equals(b)) {
            return;
        }
        if (a != null && b != null && a.isObject() && b.isObject()) {
            var keys = new TreeSet<String>();
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                keys.add(it.next());
            }
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                keys.add(it.next());
            }
            for (var k : keys) {
                walk(at.isEmpty() ? k : at + "." + k, a.get(k), b.get(k), out);
            }
            return;
        }
        if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                walk(at + "[" + i + "]", a.get(i), b.get(i), out);
            }
            return;
        }
        out.add(at.isEmpty() ? "(root)" : at);
    }

    /** At most {@code max} changed paths, cut to their first three segments. */
    static List<String> paths(JsonNode a, JsonNode b, int max) {
        var out = new LinkedHashSet<String>();
        for (var p : leaves(a, b)) {
            var parts = p.split("\\.");
            out.add(String.join(".", java.util.Arrays.copyOf(parts, Math.min(3, parts.length))));
        }
        var list = new ArrayList<>(out);
        if (list.size() > max) {
            var more = list.size() - max;
            list = new ArrayList<>(list.subList(0, max));
            list.add("and " + more + " more");
        }
        return list;
    }

    /** The reason a pod template's {@code nodeSelector} changed: its pods move to other nodes. */
    static final String NODES_CHANGED = "the nodes the pods must run on changed (nodeSelector): each moves to one of them";

    /**
     * What changed in a pod template, in words: the image, the flags, the resources of the container named
     * {@code main}, and otherwise the field, each with its old and new value.
     */
    static List<String> reasons(JsonNode before, JsonNode after, String main) {
        var out = new LinkedHashSet<String>();
        for (var p : leaves(before, after)) {
            var mainContainer = containerIndex(before, main);
            var prefix = "spec.containers[" + mainContainer + "].";
            if (mainContainer >= 0 && p.startsWith(prefix + "image")) {
                out.add(main + " image changed: " + ImpactReport.show(at(before, p)) + " -> " + ImpactReport.show(at(after, p)));
            } else if (mainContainer >= 0 && (p.startsWith(prefix + "args") || p.startsWith(prefix + "command"))) {
                out.add(main + " flags changed");
            } else if (mainContainer >= 0 && p.startsWith(prefix + "resources")) {
                out.add(main + " resources changed");
            } else if (p.startsWith("spec.nodeSelector")) {
                out.add(NODES_CHANGED);
            } else if (p.startsWith("spec.containers")) {
                out.add("a container of the pod changed (" + p + ")");
            } else {
                out.add("pod template changed at " + p);
            }
        }
        return List.copyOf(out);
    }

    private static int containerIndex(JsonNode template, String name) {
        var containers = template.path("spec").path("containers");
        for (int i = 0; i < containers.size(); i++) {
            if (name.equals(containers.get(i).path("name").asText())) {
                return i;
            }
        }
        return -1;
    }

    /** The node at a path made by {@link #leaves}. */
    static JsonNode at(JsonNode root, String path) {
        JsonNode cur = root;
        for (var part : path.split("\\.")) {
            var name = part.contains("[") ? part.substring(0, part.indexOf('[')) : part;
            cur = cur == null ? null : cur.get(name);
            var rest = part.contains("[") ? part.substring(part.indexOf('[')) : "";
            while (cur != null && rest.startsWith("[")) {
                int close = rest.indexOf(']');
                cur = cur.get(Integer.parseInt(rest.substring(1, close)));
                rest = rest.substring(close + 1);
            }
        }
        return cur;
    }
}
