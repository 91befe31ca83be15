package io.memcachedgke.render;

import java.util.Map;
import java.util.TreeMap;

/**
 * Provider inputs that come from the machine the program runs on, not from the stack: the Kubernetes SDK's
 * {@code ProviderArgs} defaults {@code kubeconfig} to {@code $KUBECONFIG} (pulumi-kubernetes' schema:
 * {@code "default": {"environment": ["KUBECONFIG"]}}), so the {@code local} stack's provider carries whatever path
 * the user's shell has. The render leaves that value out, so two renders of a stack are byte-identical on any
 * machine; the real engine's state has it (the real-engine suite checks it is exactly {@code $KUBECONFIG}).
 */
final class AmbientInputs {
    private AmbientInputs() {}

    static RecordedResource withoutAmbient(RecordedResource r, Map<String, String> env) {
        var kubeconfig = env.get("KUBECONFIG");
        if (!r.type().equals("pulumi:providers:kubernetes") || kubeconfig == null
            || !kubeconfig.equals(r.inputs().get("kubeconfig"))) {
            return r;
        }
        var inputs = new TreeMap<>(r.inputs());
        inputs.remove("kubeconfig");
        return new RecordedResource(r.type(), r.name(), r.parent(), r.provider(), inputs, r.protect(), r.ignoreChanges(),
            r.dependencies());
    }
}
