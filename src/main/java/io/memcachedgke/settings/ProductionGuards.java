package io.memcachedgke.settings;

import io.memcachedgke.config.ConfigValue;
import io.memcachedgke.config.Formats;
import io.memcachedgke.config.GcpLocations;
import io.memcachedgke.config.Rule;
import io.memcachedgke.config.SharedRules;
import io.memcachedgke.config.SharedRules.Guard;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The rules the policy pack holds on what is deployed, held by the program on what is set: production's guards and
 * pinned images, each read from their one source ({@link SharedRules}: policies/shared/guards.json). A guard names the
 * setting, a check both layers understand and the problem; the pack names the policy that refuses the deployed
 * object. ProductionGuardsIT runs policies/shared/cases.json through the program and the pack.
 */
public final class ProductionGuards {
    private ProductionGuards() {}

    static final List<Guard> GUARDS = SharedRules.productionGuards();

    /** The guards on the stack's cluster, in the file's order. */
    static List<Rule<Settings>> clusterRules() {
        return GUARDS.stream().filter(g -> g.setting().startsWith("cluster.")).map(ProductionGuards::rule).toList();
    }

    /** The guards on the cache's settings. */
    static List<Rule<Settings>> cacheRules() {
        return GUARDS.stream().filter(g -> !g.setting().startsWith("cluster.")).map(ProductionGuards::rule).toList();
    }

    /** An image setting: pinned to a tag other than latest or to a digest. */
    static Rule<Settings> pinned(String path, Function<Settings, String> image) {
        return Rule.matches(path, image, Formats.PINNED_IMAGE, Formats.PINNED_IMAGE_TEXT);
    }

    private static Rule<Settings> rule(Guard g) {
        return (s, n) -> {
            if (!s.production()) {
                return Optional.empty();
            }
            return SettingPaths.value(s, g.setting()).flatMap(v -> breach(g, v))
                .map(match -> n.key(g.setting()) + " " + g.problem().replace("{match}", match) + ", but " + show(v(s, g))
                    + " was provided");
        };
    }

    private static Object v(Settings s, Guard g) {
        return SettingPaths.value(s, g.setting()).orElseThrow();
    }

    /** What breaks the guard (the offending item of a list, or the value), or empty when it holds. */
    static Optional<String> breach(Guard g, Object value) {
        return switch (g.check()) {
            case "true" -> Boolean.TRUE.equals(value) ? Optional.empty() : Optional.of(show(value));
            case "region" -> GcpLocations.regional((String) value) ? Optional.empty() : Optional.of(show(value));
            case "equals" -> text(value).equals(g.value()) ? Optional.empty() : Optional.of(show(value));
            case "notEmpty" -> ((List<?>) value).isEmpty() ? Optional.of(show(value)) : Optional.empty();
            case "noOpenCidr" -> ((List<?>) value).stream().map(String::valueOf).filter(ProductionGuards::open).findFirst();
            default -> throw new IllegalStateException("guards.json: a check the program does not know: " + g.check());
        };
    }

    /** A CIDR block that admits (nearly) every address: its prefix no longer than the shared limit. */
    static boolean open(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0 || !cidr.substring(slash + 1).matches("\\d{1,3}")) {
            return false;
        }
        return Integer.parseInt(cidr.substring(slash + 1)) <= SharedRules.openCidrPrefixLength();
    }

    private static String text(Object value) {
        return value instanceof ConfigValue c ? c.configValue() : String.valueOf(value);
    }

    private static String show(Object value) {
        return value instanceof ConfigValue c ? Rule.quote(c.configValue()) : Rule.quote(value);
    }
}
