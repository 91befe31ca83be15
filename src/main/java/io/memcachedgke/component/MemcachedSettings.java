package io.memcachedgke.component;

import com.pulumi.core.annotations.Import;
import java.util.List;
import java.util.Map;

/** The {@code MemcachedSettings} argument type: its properties are the model's settings of the same path (docs/packages.md). */
public final class MemcachedSettings {
    @Import(name = "replicas")
    private Integer replicas;

    @Import(name = "memoryMiB")
    private Integer memoryMiB;

    @Import(name = "cpuMillis")
    private Integer cpuMillis;

    @Import(name = "maxConnections")
    private Integer maxConnections;

    @Import(name = "image")
    private String image;

    @Import(name = "warmUpSeconds")
    private Integer warmUpSeconds;

    @Import(name = "exporterImage")
    private String exporterImage;

    @Import(name = "directClients")
    private List<Map<String, String>> directClients;

    @Import(name = "nodeSelector")
    private Map<String, String> nodeSelector;

    @Import(name = "resize")
    private ResizeSettings resize;

    MemcachedSettings() {}
}
