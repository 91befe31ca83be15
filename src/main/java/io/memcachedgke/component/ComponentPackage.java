package io.memcachedgke.component;

import com.pulumi.provider.internal.ResourceProviderService;

/**
 * The package's plugin: what the Java language host starts for {@code PulumiPlugin.yaml} (Maven's
 * {@code exec:java}, with the engine's address as the argument): a provider serving the schema and constructing
 * {@link CacheService}. It prints the port it listens on and runs until the engine ends it.
 */
public final class ComponentPackage {
    private ComponentPackage() {}

    public static void main(String[] args) throws Exception {
        io.memcachedgke.startup.CommonPool.ensureParallelism();
        new ResourceProviderService(engineAddress(args), new PackageProvider()).startAndBlockUntilShutdown();
    }

    /** The one argument that is not a logging flag the engine adds (as the SDK's ComponentProviderHost reads it). */
    static String engineAddress(String[] args) {
        String address = null;
        for (int i = 0; i < args.length; i++) {
            var a = args[i];
            if (a.equals("--logtostderr") || a.startsWith("-v=") || a.equals("--logflow")) {
                continue;
            }
            if (a.equals("--tracing")) {
                i++;
                continue;
            }
            if (address != null) {
                throw new IllegalArgumentException("expected one engine address, got " + address + " and " + a);
            }
            address = a;
        }
        if (address == null) {
            throw new IllegalArgumentException("no engine address given");
        }
        return address;
    }
}
