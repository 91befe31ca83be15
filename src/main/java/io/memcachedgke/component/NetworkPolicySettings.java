package io.memcachedgke.component;

import com.pulumi.core.annotations.Import;

/** The {@code NetworkPolicySettings} argument type: its properties are the model's settings of the same path (docs/packages.md). */
public final class NetworkPolicySettings {
    @Import(name = "enabled")
    private Boolean enabled;

    @Import(name = "allowKubectlRun")
    private Boolean allowKubectlRun;

    NetworkPolicySettings() {}
}
