package io.memcachedgke.component;

import com.pulumi.core.annotations.Import;

/** The smoke test Job (stack config: {@code memcached-gke:smokeTest}). */
@Description("A Job after every change that writes keys through every proxy and reads each from the shard mcrouter's "
    + "hash puts it on: the update fails when the cache does not work.")
public final class SmokeTestSettings {
    /** @default true */
    @Import(name = "enabled")
    @Description("Run the smoke test. Default: true.")
    private Boolean enabled;

    /** @default busybox:1.37.0 */
    @Import(name = "image")
    @Description("Its image (and the rollout check's), with busybox's sh and nc; pinned. Default: `busybox:1.37.0`.")
    private String image;

    SmokeTestSettings() {}
}
