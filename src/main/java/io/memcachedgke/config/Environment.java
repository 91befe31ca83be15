package io.memcachedgke.config;

/** What the stack is for; production turns the hardening rules from advice into requirements. */
public enum Environment implements ConfigValue {
    DEVELOPMENT("development"), PRODUCTION("production");

    private final String configValue;

    Environment(String configValue) {
        this.configValue = configValue;
    }

    @Override
    public String configValue() {
        return configValue;
    }
}
