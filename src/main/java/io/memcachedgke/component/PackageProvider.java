package io.memcachedgke.component;

import com.pulumi.provider.internal.ComponentProvider;
import com.pulumi.provider.internal.Provider;
import com.pulumi.provider.internal.models.ConstructRequest;
import com.pulumi.provider.internal.models.ConstructResponse;
import com.pulumi.provider.internal.models.GetSchemaRequest;
import com.pulumi.provider.internal.models.GetSchemaResponse;
import java.util.concurrent.CompletableFuture;
import io.memcachedgke.config.InvalidConfigException;

/**
 * The package's provider: the Java SDK's component provider (it finds {@link CacheService} and constructs it from
 * the request), serving {@link PackageSchema} with its descriptions and version, and handing a refusal back as our
 * one line. The SDK's own wraps a constructor's exception as "Failed to construct component: ..."
 * (com.pulumi.provider.internal.ComponentProvider, construct), and a thrown exception reaches the engine as
 * "Multiple exceptions occurred" behind a stack trace; a failed answer carries its message alone, so the program
 * that declared the component prints "error: ... has a problem: invalid configuration (...)".
 */
final class PackageProvider implements Provider {
    private final ComponentProvider components = new ComponentProvider(PackageSchema.metadata(), CacheService.class.getPackage());

    @Override
    public CompletableFuture<GetSchemaResponse> getSchema(GetSchemaRequest request) {
        return CompletableFuture.completedFuture(new GetSchemaResponse(PackageSchema.json()));
    }

    @Override
    public CompletableFuture<ConstructResponse> construct(ConstructRequest request) {
        try {
            return components.construct(request);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InvalidConfigException invalid) {
                    return CompletableFuture.failedFuture(invalid);
                }
            }
            throw e;
        }
    }
}
