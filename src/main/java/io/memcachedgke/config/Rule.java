package io.memcachedgke.config;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One row of a validation table: a key, how to read its value from the target, and the check.
 * A rule never throws; it returns the problem as a sentence that names the full key, the value
 * given and what is allowed, so that all problems can be reported together.
 *
 * @param <T> what the rule reads (a tier's args, or the whole stack configuration)
 */
@FunctionalInterface
public interface Rule<T> {

    /** @return the problem with {@code target}, or empty when it is fine. Keys are prefixed with {@code keyPrefix}. */
    Optional<String> check(T target, String keyPrefix);

    /** Checks every rule and returns every problem, in table order. */
    static <T> List<String> checkAll(List<Rule<T>> rules, T target, String keyPrefix) {
        return rules.stream()
            .map(rule -> rule.check(target, keyPrefix))
            .flatMap(Optional::stream)
            .collect(Collectors.toList());
    }

    /** A rule from a predicate on the value and a message tail ("must be ..."). */
    static <T, V> Rule<T> of(String key, Function<T, V> value, Predicate<V> ok, Function<V, String> mustBe) {
        return (target, prefix) -> {
            V v = value.apply(target);
            if (v == null || ok.test(v)) {
                return Optional.empty();
            }
            return Optional.of(prefix + key + " " + mustBe.apply(v) + ", but " + quote(v) + " was provided");
        };
    }

    static <T> Rule<T> between(String key, Function<T, Integer> value, int min, int max) {
        return of(key, value, v -> v >= min && v <= max, v -> "must be between " + min + " and " + max);
    }

    static <T> Rule<T> atLeast(String key, Function<T, Integer> value, int min) {
        return of(key, value, v -> v >= min, v -> "must be at least " + min);
    }

    static <T> Rule<T> oneOf(String key, Function<T, String> value, List<String> allowed) {
        return of(key, value, allowed::contains, v -> "must be one of " + String.join(", ", allowed));
    }

    static <T> Rule<T> matches(String key, Function<T, String> value, Pattern pattern, String what) {
        return of(key, value, v -> pattern.matcher(v).matches(), v -> "must be " + what);
    }

    /**
     * A rule whose check is written out: {@code problem} gets the target and the key prefix (to name
     * sibling keys) and returns the whole sentence after the key, or null.
     */
    static <T> Rule<T> custom(String key, BiFunction<T, String, String> problem) {
        return (target, prefix) -> Optional.ofNullable(problem.apply(target, prefix)).map(p -> prefix + key + " " + p);
    }

    static String quote(Object v) {
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        return String.valueOf(v);
    }
}
