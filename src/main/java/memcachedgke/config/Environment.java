package memcachedgke.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What the stack is for; production turns the hardening rules from advice into requirements. */
public enum Environment {
    DEVELOPMENT("development"), PRODUCTION("production");

    private final String configValue;

    Environment(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }

    public static List<String> configValues() {
        return Arrays.stream(values()).map(Environment::configValue).toList();
    }

    public static Optional<Environment> fromConfig(String v) {
        return Arrays.stream(values()).filter(e -> e.configValue.equals(v)).findFirst();
    }
}
