package io.memcachedgke.config;


/** How application pods reach the mcrouter on their own node. */
public enum Exposure implements ConfigValue {
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

    @Override
    public String configValue() {
        return configValue;
    }
}
