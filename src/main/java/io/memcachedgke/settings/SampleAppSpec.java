package io.memcachedgke.settings;

/** The lab's sample application. */
@Doc("The lab's sample application `sample-application-py`, which reaches the proxy on its own node.")
public record SampleAppSpec(
    @Doc("Declare the lab's `sample-application-py` Deployment") boolean enabled,
    @Doc("0–100 pods (the lab runs 5)") int replicas,
    @Doc("Container image, pinned to a tag other than `latest` or to a digest") String image,
    @Doc("10–4000: CPU request and limit in millicores") int cpuMillis,
    @Doc("32–8192: memory request and limit in MiB") int memoryMiB) {

    public static final SampleAppSpec DEFAULTS = new SampleAppSpec(true, 5, "python:3.13.9-alpine3.22", 50, 128);
}
