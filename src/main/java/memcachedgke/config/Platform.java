package memcachedgke.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Where the Kubernetes tiers run. */
public enum Platform {
    /** A GKE cluster that the stack creates. */
    GKE("gke"),
    /** The cluster of the current (or a named) kubeconfig context: kind, minikube, an existing GKE. */
    EXISTING("existing");

    private final String configValue;

    Platform(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }

    public static List<String> configValues() {
        return Arrays.stream(values()).map(Platform::configValue).toList();
    }

    public static Optional<Platform> fromConfig(String v) {
        return Arrays.stream(values()).filter(p -> p.configValue.equals(v)).findFirst();
    }
}
