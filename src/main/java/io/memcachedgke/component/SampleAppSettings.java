package io.memcachedgke.component;

import com.pulumi.core.annotations.Import;

/** The {@code SampleAppSettings} argument type: its properties are the model's settings of the same path (docs/packages.md). */
public final class SampleAppSettings {
    @Import(name = "enabled")
    private Boolean enabled;

    @Import(name = "replicas")
    private Integer replicas;

    @Import(name = "image")
    private String image;

    @Import(name = "cpuMillis")
    private Integer cpuMillis;

    @Import(name = "memoryMiB")
    private Integer memoryMiB;

    SampleAppSettings() {}
}
