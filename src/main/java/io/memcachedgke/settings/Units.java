package io.memcachedgke.settings;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * What a whole-number key's unit is, read from its name ({@code memoryMiB}, {@code cpuMillis},
 * {@code ...Seconds}), and what a value written in another unit means in it, so that {@code 4Gi} where
 * MiB are asked is answered with "4Gi is 4096" instead of a bare "must be an integer".
 */
final class Units {
    private Units() {}

    /** A Kubernetes-style quantity: a number and a suffix. */
    private static final Pattern QUANTITY = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([A-Za-z]*)\\s*");
    /** Bytes per suffix, binary and decimal, as Kubernetes reads memory quantities. */
    private static final Map<String, Long> BYTES = Map.ofEntries(
        Map.entry("", 1L), Map.entry("B", 1L),
        Map.entry("Ki", 1L << 10), Map.entry("KiB", 1L << 10), Map.entry("K", 1000L), Map.entry("KB", 1000L),
        Map.entry("Mi", 1L << 20), Map.entry("MiB", 1L << 20), Map.entry("M", 1000_000L), Map.entry("MB", 1000_000L),
        Map.entry("Gi", 1L << 30), Map.entry("GiB", 1L << 30), Map.entry("G", 1000_000_000L), Map.entry("GB", 1000_000_000L),
        Map.entry("Ti", 1L << 40), Map.entry("TiB", 1L << 40));
    private static final Map<String, Long> SECONDS = Map.of("s", 1L, "m", 60L, "min", 60L, "h", 3600L);

    /** The sentence after "must be ": the unit, and what the given value is in it when that can be told. */
    static String wholeNumberOf(String key, JsonNode given) {
        var text = given.isTextual() ? given.asText() : given.toString();
        if (key.endsWith("MiB")) {
            return "a whole number of MiB" + hint(text, inMiB(text), null);
        }
        if (key.endsWith("Millis")) {
            return "a whole number of millicores" + hint(text, inMillicores(text), "1000 is one CPU");
        }
        if (key.endsWith("Seconds")) {
            return "a whole number of seconds" + hint(text, inSeconds(text), null);
        }
        if (key.endsWith("Ms")) {
            var seconds = inSeconds(text);
            return "a whole number of milliseconds" + hint(text,
                seconds.isPresent() ? OptionalLong.of(seconds.getAsLong() * 1000) : OptionalLong.empty(), null);
        }
        return "an integer";
    }

    /** " (4Gi is 4096)", with a general note before it when there is one; nothing when there is nothing to say. */
    private static String hint(String text, OptionalLong converted, String note) {
        var parts = new java.util.ArrayList<String>();
        if (note != null) {
            parts.add(note);
        }
        converted.ifPresent(v -> parts.add(text.trim() + " is " + v));
        return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
    }

    /** {@code 4Gi} is 4096 MiB; empty when it is not a whole number of MiB or not a memory quantity. */
    static OptionalLong inMiB(String text) {
        var m = QUANTITY.matcher(text);
        if (!m.matches() || m.group(2).isEmpty() || !BYTES.containsKey(m.group(2))) {
            return OptionalLong.empty();
        }
        var bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(BYTES.get(m.group(2))));
        var mib = bytes.divide(BigDecimal.valueOf(1L << 20));
        return wholeOrEmpty(mib);
    }

    /** {@code 500m} is 500, {@code 0.5} and {@code 0.5cpu} are 500 millicores. */
    static OptionalLong inMillicores(String text) {
        var m = QUANTITY.matcher(text);
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        var number = new BigDecimal(m.group(1));
        return switch (m.group(2)) {
            case "m" -> wholeOrEmpty(number);
            case "", "cpu", "CPU" -> wholeOrEmpty(number.multiply(BigDecimal.valueOf(1000)));
            default -> OptionalLong.empty();
        };
    }

    /** {@code 5m} is 300 seconds. */
    static OptionalLong inSeconds(String text) {
        var m = QUANTITY.matcher(text);
        if (!m.matches() || !SECONDS.containsKey(m.group(2))) {
            return OptionalLong.empty();
        }
        return wholeOrEmpty(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(SECONDS.get(m.group(2)))));
    }

    private static OptionalLong wholeOrEmpty(BigDecimal v) {
        try {
            return OptionalLong.of(v.stripTrailingZeros().longValueExact());
        } catch (ArithmeticException e) {
            return OptionalLong.empty();
        }
    }
}
