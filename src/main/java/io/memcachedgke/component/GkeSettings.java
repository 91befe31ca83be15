package io.memcachedgke.component;

import com.pulumi.core.annotations.Import;

/** The {@code GkeSettings} argument type: its properties are the model's settings of the same path (docs/packages.md). */
public final class GkeSettings {
    @Import(name = "project")
    private String project;

    @Import(name = "cluster")
    private String cluster;

    GkeSettings() {}
}
