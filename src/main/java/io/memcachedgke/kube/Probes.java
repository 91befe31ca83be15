package io.memcachedgke.kube;

import com.pulumi.kubernetes.core.v1.inputs.ProbeArgs;
import com.pulumi.kubernetes.core.v1.inputs.TCPSocketActionArgs;

/** TCP probes on a named container port: both servers speak a text protocol with no health endpoint. */
public final class Probes {
    private Probes() {}

    /** Ready as soon as the port accepts connections. */
    public static ProbeArgs readiness(String portName) {
        return ProbeArgs.builder()
            .tcpSocket(TCPSocketActionArgs.builder().port(portName).build())
            .initialDelaySeconds(2)
            .periodSeconds(5)
            .timeoutSeconds(2)
            .failureThreshold(3)
            .build();
    }

    /** Restart only after 30 s of refused connections: a restart flushes a cache shard. */
    public static ProbeArgs liveness(String portName) {
        return ProbeArgs.builder()
            .tcpSocket(TCPSocketActionArgs.builder().port(portName).build())
            .initialDelaySeconds(10)
            .periodSeconds(10)
            .timeoutSeconds(5)
            .failureThreshold(3)
            .build();
    }
}
