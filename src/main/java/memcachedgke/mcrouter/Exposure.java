package memcachedgke.mcrouter;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** How application pods reach the mcrouter on their own node. */
public enum Exposure {
    /**
     * The lab's way: the proxy listens on port 5000 of its node, apps dial their node
     * ({@code NODE_NAME} or the host IP). Needs a namespace whose Pod Security level admits hostPort
     * (only {@code privileged} does).
     */
    HOST_PORT("hostPort"),
    /**
     * A ClusterIP Service with {@code internalTrafficPolicy: Local}: apps dial the Service name and
     * kube-proxy/Dataplane V2 keeps the traffic on the node. Nothing listens on a host port, so the
     * namespace can enforce {@code restricted}.
     */
    NODE_LOCAL_SERVICE("nodeLocalService");

    private final String configValue;

    Exposure(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }

    public static List<String> configValues() {
        return Arrays.stream(values()).map(Exposure::configValue).toList();
    }

    public static Optional<Exposure> fromConfig(String value) {
        return Arrays.stream(values()).filter(e -> e.configValue.equals(value)).findFirst();
    }
}
