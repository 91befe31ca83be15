package io.memcachedgke.component;

import com.pulumi.core.annotations.Import;

/** The lab's sample application (stack config: {@code memcached-gke:sampleApp}). */
@Description("The lab's sample application `sample-application-py`, which reaches the proxy on its own node.")
public final class SampleAppSettings {
    /** @default true */
    @Import(name = "enabled")
    @Description("Declare the sample application. Default: true.")
    private Boolean enabled;

    /** @default 5 */
    @Import(name = "replicas")
    @Description("Pods (0-100). Default: 5, the lab's.")
    private Integer replicas;

    /** @default python:3.13.9-alpine3.22 */
    @Import(name = "image")
    @Description("Container image, pinned to a tag other than `latest` or to a digest. Default: `python:3.13.9-alpine3.22`.")
    private String image;

    /** @default 50 */
    @Import(name = "cpuMillis")
    @Description("CPU request and limit in millicores (10-4000). Default: 50.")
    private Integer cpuMillis;

    /** @default 128 */
    @Import(name = "memoryMiB")
    @Description("Memory request and limit in MiB (32-8192). Default: 128.")
    private Integer memoryMiB;

    SampleAppSettings() {}
}
