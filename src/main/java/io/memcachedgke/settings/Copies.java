package io.memcachedgke.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Immutable copies of the collections a setting holds, in the order the user wrote them (messages quote them so). */
final class Copies {
    private Copies() {}

    static Map<String, String> map(Map<String, String> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    static List<Map<String, String>> maps(List<Map<String, String>> l) {
        return l.stream().map(Copies::map).toList();
    }
}
