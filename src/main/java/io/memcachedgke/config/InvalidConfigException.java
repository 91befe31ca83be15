package io.memcachedgke.config;

import java.util.List;

/**
 * Every problem found in a stack's configuration, raised before any resource is registered.
 * The message is one line so that `pulumi up`, the render and CI logs all show it whole.
 */
public final class InvalidConfigException extends RuntimeException {
    /** How every refusal starts, so that tools can tell it from other failures in the engine's log. */
    public static final String PREFIX = "invalid configuration (";
    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        return PREFIX + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "): "
            + String.join("; ", problems);
    }

    /** The exception a logged refusal ({@link #getMessage()}) stands for, its problems split again. */
    public static InvalidConfigException fromMessage(String message) {
        if (!message.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a refusal: " + message);
        }
        var list = message.substring(message.indexOf("): ") + 3);
        // Every problem starts with the full key it is about (namespace:key), which no problem's own text does after "; ".
        return new InvalidConfigException(List.of(list.split("; (?=[a-z][a-z0-9-]*:[a-zA-Z])")));
    }

    /** Throws when {@code problems} is not empty. */
    public static void throwIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }
}
