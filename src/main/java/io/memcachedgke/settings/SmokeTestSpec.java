package io.memcachedgke.settings;

/** The smoke test Job. */
@Doc("A Job after every change that writes keys through every proxy and reads each from the shard mcrouter's hash "
    + "puts it on: the update fails when the cache does not work.")
public record SmokeTestSpec(
    @Doc("Run the smoke-test Job after every change") boolean enabled,
    @Doc("Its image, with busybox's `sh` and `nc`; pinned. Also the rollout check's image (there is no separate "
        + "setting for it)")
    String image) {

    public static final SmokeTestSpec DEFAULTS = new SmokeTestSpec(true, "busybox:1.37.0");
}
