package io.memcachedgke.component;

import com.pulumi.core.annotations.Import;

/** The {@code ResizeSettings} argument type: its properties are the model's settings of the same path (docs/packages.md). */
public final class ResizeSettings {
    @Import(name = "from")
    private Integer from;

    @Import(name = "startTime")
    private String startTime;

    @Import(name = "window")
    private String window;

    @Import(name = "copyTtl")
    private String copyTtl;

    @Import(name = "finish")
    private Boolean finish;

    ResizeSettings() {}
}
