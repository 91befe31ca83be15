package io.memcachedgke.config;

/** Where the Kubernetes tiers run. */
public enum Platform implements ConfigValue {
    /** A GKE cluster that the stack creates. */
    GKE("gke"),
    /** The cluster of the current (or a named) kubeconfig context: kind, minikube, an existing GKE. */
    EXISTING("existing");

    private final String configValue;

    Platform(String configValue) {
        this.configValue = configValue;
    }

    @Override
    public String configValue() {
        return configValue;
    }
}
