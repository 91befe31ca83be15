package io.memcachedgke.kube;

import com.pulumi.kubernetes.core.v1.inputs.ResourceRequirementsArgs;
import java.util.Map;

/**
 * Container resources. Every container of the program gets limits equal to its requests: a cache
 * that is overcommitted on memory is the first thing the kernel kills, and the whole shard goes with it.
 */
public final class Resources {
    private Resources() {}

    /** Guaranteed QoS: CPU and memory limits equal to the requests. */
    public static ResourceRequirementsArgs guaranteed(int cpuMillis, int memoryMiB) {
        return ResourceRequirementsArgs.builder()
            .requests(Map.of("cpu", cpuMillis + "m", "memory", memoryMiB + "Mi"))
            .limits(Map.of("cpu", cpuMillis + "m", "memory", memoryMiB + "Mi"))
            .build();
    }
}
