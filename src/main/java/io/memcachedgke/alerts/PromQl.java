package io.memcachedgke.alerts;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The few pieces of PromQL the rules and the dashboard share: label matchers with their values quoted as
 * PromQL strings, and selectors built from them, so that no selector is ever typed twice.
 */
final class PromQl {
    private PromQl() {}

    /** {@code name="value"}. */
    static String eq(String label, String value) {
        return label + "=" + quote(value);
    }

    /** {@code name=~"regex"} (PromQL anchors the regex at both ends). */
    static String re(String label, String regex) {
        return label + "=~" + quote(regex);
    }

    /** {@code metric{m1, m2, ...}}: the scope's matchers, then the selector's own. */
    static String select(String metric, List<String> scope, String... own) {
        var all = new ArrayList<>(scope);
        all.addAll(List.of(own));
        return metric + "{" + String.join(", ", all) + "}";
    }

    /** {@code label_replace(v, "shard", "$1", "server", ...)}: the shard's pod from mcrouter's destination id. */
    static String shardOfServer(String vector) {
        // mcrouter names a destination host:port:protocol:security:compression (mcrouter/AccessPoint.cpp) with the
        // host as the config gives it, here the shard's pod DNS name: its first label is the pod.
        return "label_replace(" + vector + ", " + quote(RuleScope.SHARD_LABEL) + ", \"$1\", \"server\", \"([^.:]+).*\")";
    }

    /** A number as PromQL and people write it: {@code 0.8}, not {@code 0.80000} or {@code 8E-1}. */
    static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** A PromQL double-quoted string: backslashes and quotes escaped. */
    static String quote(String v) {
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
