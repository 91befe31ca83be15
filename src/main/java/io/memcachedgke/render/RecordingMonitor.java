package io.memcachedgke.render;

import com.pulumi.resources.Resource;
import com.pulumi.test.Mocks;
import com.pulumi.test.internal.MockMonitor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import pulumirpc.Resource.RegisterResourceRequest;
import pulumirpc.Resource.RegisterResourceResponse;

/**
 * Pulumi's mock monitor, also recording every registration as the engine would receive it: type,
 * name, parent, provider, dependencies and the serialized inputs. (The mocks alone see no parent.)
 */
final class RecordingMonitor extends MockMonitor {
    private static final String ROOT_STACK = "pulumi:pulumi:Stack";
    private final List<RecordedResource> recorded = Collections.synchronizedList(new ArrayList<>());
    private volatile long lastRegistrationMillis;

    RecordingMonitor(Mocks mocks, com.pulumi.Log log) {
        super(mocks, log);
    }

    @Override
    public CompletableFuture<RegisterResourceResponse> registerResourceAsync(Resource resource, RegisterResourceRequest request) {
        lastRegistrationMillis = System.currentTimeMillis();
        if (!ROOT_STACK.equals(request.getType())) {
            recorded.add(new RecordedResource(request.getType(), request.getName(), refOf(request.getParent()),
                providerRef(request.getProvider()), StructValues.toMap(request.getObject()), request.getProtect(),
                List.copyOf(request.getIgnoreChangesList()),
                request.getDependenciesList().stream().map(RecordingMonitor::refOf).sorted().toList()));
        }
        return super.registerResourceAsync(resource, request);
    }

    /** Wall-clock time (epoch ms) of the last registration. */
    long lastRegistrationMillis() {
        return lastRegistrationMillis;
    }

    List<RecordedResource> recorded() {
        return List.copyOf(recorded);
    }

    /** {@code urn:pulumi:stack::project::a$b$type::name} to {@code type::name}; the root stack to null. */
    static String refOf(String urn) {
        if (urn == null || urn.isEmpty()) {
            return null;
        }
        var parts = urn.split("::", 4);
        var qualifiedType = parts[2];
        var type = qualifiedType.substring(qualifiedType.lastIndexOf('$') + 1);
        return ROOT_STACK.equals(type) ? null : type + "::" + parts[3];
    }

    /** A provider reference is {@code <urn>::<id>}. */
    static String providerRef(String reference) {
        if (reference == null || reference.isEmpty()) {
            return null;
        }
        return refOf(reference.substring(0, reference.lastIndexOf("::")));
    }
}
