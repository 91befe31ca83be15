package io.memcachedgke.config;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One row of a rule table: a setting's path, how to read its value, and the check. A rule never throws; it returns
 * the problem as a sentence that names the setting (in the user's terms, through {@link Naming}), the value given
 * and what is allowed, so that every problem can be reported together.
 *
 * @param <T> what the rule reads (the whole settings model)
 */
@FunctionalInterface
public interface Rule<T> {

    /** @return the problem with {@code target}, or empty when it is fine. */
    Optional<String> check(T target, Naming naming);

    /** Checks every rule and returns every problem, in table order. */
    static <T> List<String> checkAll(List<Rule<T>> rules, T target, Naming naming) {
        return rules.stream()
            .map(rule -> rule.check(target, naming))
            .flatMap(Optional::stream)
            .collect(Collectors.toList());
    }

    /** A rule from a predicate on the value and a message tail ("must be ..."); an unset (null) value passes. */
    static <T, V> Rule<T> of(String path, Function<T, V> value, Predicate<V> ok, Function<V, String> mustBe) {
        return (target, naming) -> {
            V v = value.apply(target);
            if (v == null || ok.test(v)) {
                return Optional.empty();
            }
            return Optional.of(naming.key(path) + " " + mustBe.apply(v) + ", but " + quote(v) + " was provided");
        };
    }

    static <T> Rule<T> between(String path, Function<T, Integer> value, int min, int max) {
        return of(path, value, v -> v >= min && v <= max, v -> "must be between " + min + " and " + max);
    }

    static <T> Rule<T> matches(String path, Function<T, String> value, Pattern pattern, String what) {
        return of(path, value, v -> pattern.matcher(v).matches(), v -> "must be " + what);
    }

    /**
     * A rule whose check is written out: {@code problem} gets the target and the naming (to name other settings)
     * and returns the whole sentence after the setting's name, or null.
     */
    static <T> Rule<T> custom(String path, BiFunction<T, Naming, String> problem) {
        return (target, naming) -> Optional.ofNullable(problem.apply(target, naming)).map(p -> naming.key(path) + " " + p);
    }

    /** Only where {@code applies} holds (a tier that is turned on, a platform). */
    static <T> Rule<T> when(Predicate<T> applies, Rule<T> rule) {
        return (target, naming) -> applies.test(target) ? rule.check(target, naming) : Optional.empty();
    }

    static String quote(Object v) {
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        return String.valueOf(v);
    }
}
