package io.memcachedgke.config;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Durations written as in Go and kubectl ({@code 1h}, {@code 90m}, {@code 1h30m}, {@code 2d}) and RFC 3339 UTC times. */
public final class Durations {
    private Durations() {}

    private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,4})d)?(?:(\\d{1,5})h)?(?:(\\d{1,6})m)?(?:(\\d{1,7})s)?");
    /** {@code 2026-12-01T10:00:00Z}: RFC 3339 in UTC, whole seconds or a fraction. */
    private static final Pattern RFC3339_UTC = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");

    public static final String DURATION_TEXT = "a duration such as 30m, 1h or 1h30m";
    public static final String TIME_TEXT = "an RFC 3339 time in UTC such as 2026-12-01T10:00:00Z";

    /** @return the duration, or empty when {@code text} is not one (or is zero-length). */
    public static Optional<Duration> parse(String text) {
        var m = DURATION.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            return Optional.empty();
        }
        long seconds = 0;
        long[] unit = {86400, 3600, 60, 1};
        for (int i = 0; i < 4; i++) {
            if (m.group(i + 1) != null) {
                seconds += Long.parseLong(m.group(i + 1)) * unit[i];
            }
        }
        return Optional.of(Duration.ofSeconds(seconds));
    }

    /** @return the instant, or empty when {@code text} is not an RFC 3339 time in UTC. */
    public static Optional<Instant> parseUtc(String text) {
        if (!RFC3339_UTC.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code 1h30m} for 5400 s: the shortest way this class reads back. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        var sb = new StringBuilder();
        long[] unit = {86400, 3600, 60, 1};
        String[] suffix = {"d", "h", "m", "s"};
        for (int i = 0; i < 4; i++) {
            if (s >= unit[i]) {
                sb.append(s / unit[i]).append(suffix[i]);
                s %= unit[i];
            }
        }
        return sb.length() == 0 ? "0s" : sb.toString();
    }
}
