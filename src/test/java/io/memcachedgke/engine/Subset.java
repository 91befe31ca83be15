package io.memcachedgke.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a live object departs from what the render declares: every field the render sets must be in the live
 * object with the same value (the API server may add fields; it may not drop or rewrite one the program set, or
 * the next preview shows a diff). Lists are compared element by element, in order.
 */
final class Subset {
    private Subset() {}

    static List<String> differences(JsonNode expected, JsonNode actual) {
        var out = new ArrayList<String>();
        walk("", expected, actual, out);
        return out;
    }

    private static void walk(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (actual == null || actual.isMissingNode() || actual.isNull()) {
            if (!(expected.isNull() || (expected.isContainerNode() && expected.isEmpty()))) {
                out.add(path + ": declared " + expected + ", absent in the API server");
            }
            return;
        }
        if (expected.isObject()) {
            if (!actual.isObject()) {
                out.add(path + ": declared " + expected + ", live " + actual);
                return;
            }
            expected.fields().forEachRemaining(e -> walk(path + "." + e.getKey(), e.getValue(), actual.get(e.getKey()), out));
        } else if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                out.add(path + ": declared " + expected + ", live " + actual);
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                walk(path + "[" + i + "]", expected.get(i), actual.get(i), out);
            }
        } else if (!scalarEquals(expected, actual)) {
            out.add(path + ": declared " + expected + ", live " + actual);
        }
    }

    /** The render writes every scalar as the program gave it; a number declared as a number equals its JSON value. */
    private static boolean scalarEquals(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return expected.equals(actual);
    }
}
