package io.memcachedgke.startup;

import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;

/**
 * Lets the JVM exit at once when the program is done. HotSpot's exit waits up to 300 ms for every thread that is in
 * native code to block (JDK 17 src/hotspot/share/runtime/vmOperations.cpp, {@code VM_Exit::
 * wait_for_threads_in_native_to_block}: "at least 300 milliseconds" for user threads), and the Pulumi SDK's gRPC
 * channels leave their Netty event-loop threads in {@code epoll_wait} for good: every {@code pulumi preview} paid those
 * 300 ms after the program's last call (measured: 330 ms from {@code System.exit} to the process's end; 15 ms once the
 * loops are shut down; docs/performance.md). The SDK never shuts its channels down (com.pulumi.internal.PulumiInternal
 * {@code run}: {@code System.exit} straight after the run), so this shuts down grpc-netty's shared worker event-loop
 * group, the one its channels use by default, once every call has been answered.
 *
 * <p>Reflective and best-effort: the classes are grpc-netty-shaded's ({@code io.grpc.netty.shaded.io.grpc.netty.Utils
 * .DEFAULT_WORKER_EVENT_LOOP_GROUP}, a {@code SharedResourceHolder} resource), whose names this class does not import
 * so that the start-up package depends on nothing; if any of it is missing the program exits as it did, 300 ms later.
 */
public final class PromptExit {
    private PromptExit() {}

    static final String UTILS = "io.grpc.netty.shaded.io.grpc.netty.Utils";
    static final String HOLDER = "io.grpc.internal.SharedResourceHolder";
    static final String NETTY = "io.grpc.netty.shaded.io.netty.util.concurrent.";

    /** Shuts the shared gRPC worker loops down and waits for them (at most 200 ms). True when they are down. */
    public static boolean releaseEventLoops() {
        try {
            var field = Class.forName(UTILS).getDeclaredField("DEFAULT_WORKER_EVENT_LOOP_GROUP");
            field.setAccessible(true);
            var resource = field.get(null);
            Method get = Class.forName(HOLDER).getMethod("get", Class.forName(HOLDER + "$Resource"));
            // The holder gives out the one shared group (and counts a user more): the channels' own.
            var group = get.invoke(null, resource);
            // Through the public interfaces: the implementations are not public classes.
            var future = Class.forName(NETTY + "EventExecutorGroup")
                .getMethod("shutdownGracefully", long.class, long.class, TimeUnit.class)
                .invoke(group, 0L, 0L, TimeUnit.MILLISECONDS);
            return (boolean) Class.forName(NETTY + "Future").getMethod("await", long.class).invoke(future, 200L);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
