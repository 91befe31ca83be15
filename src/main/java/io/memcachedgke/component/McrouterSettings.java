package io.memcachedgke.component;

import com.pulumi.core.annotations.Import;
import java.util.List;
import java.util.Map;

/** The {@code McrouterSettings} argument type: its properties are the model's settings of the same path (docs/packages.md). */
public final class McrouterSettings {
    @Import(name = "image")
    private String image;

    @Import(name = "exporterImage")
    private String exporterImage;

    @Import(name = "port")
    private Integer port;

    @Import(name = "exposure")
    private String exposure;

    @Import(name = "cpuMillis")
    private Integer cpuMillis;

    @Import(name = "memoryMiB")
    private Integer memoryMiB;

    @Import(name = "allowedClients")
    private List<Map<String, String>> allowedClients;

    @Import(name = "serverTimeoutMs")
    private Integer serverTimeoutMs;

    @Import(name = "probeTimeoutInitialMs")
    private Integer probeTimeoutInitialMs;

    @Import(name = "probeTimeoutMaxMs")
    private Integer probeTimeoutMaxMs;

    @Import(name = "timeoutsUntilTko")
    private Integer timeoutsUntilTko;

    @Import(name = "reconfigurationDelayMs")
    private Integer reconfigurationDelayMs;

    @Import(name = "rolloutWaitSeconds")
    private Integer rolloutWaitSeconds;

    McrouterSettings() {}
}
