package io.memcachedgke.component;

import com.pulumi.core.annotations.Import;

/** The {@code SmokeTestSettings} argument type: its properties are the model's settings of the same path (docs/packages.md). */
public final class SmokeTestSettings {
    @Import(name = "enabled")
    private Boolean enabled;

    @Import(name = "image")
    private String image;

    SmokeTestSettings() {}
}
