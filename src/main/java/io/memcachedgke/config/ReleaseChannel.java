package io.memcachedgke.config;


/** GKE release channels; every cluster of this program is enrolled in one, so it is upgraded for it. */
public enum ReleaseChannel implements ConfigValue {
    RAPID, REGULAR, STABLE;

    /** GKE's own names: the config value is the channel as the API takes it. */
    @Override
    public String configValue() {
        return name();
    }
}
