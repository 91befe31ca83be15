package memcachedgke.config;

import java.util.List;

/**
 * Every problem found in a stack's configuration, raised before any resource is registered.
 * The message is one line so that `pulumi up`, the render and CI logs all show it whole.
 */
public final class InvalidConfigException extends RuntimeException {
    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        return "invalid configuration (" + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "): "
            + String.join("; ", problems);
    }

    /** Throws when {@code problems} is not empty. */
    public static void throwIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }
}
