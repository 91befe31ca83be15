package io.memcachedgke.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link PromptExit} finds grpc-netty-shaded's shared worker loops the SDK's channels run on and shuts them down, so no
 * thread is left in {@code epoll_wait} when the JVM exits. Run in a JVM of its own: the loops are shared by every
 * channel of a JVM, this test's included.
 */
class PromptExitTest {

    /** A channel that has started its transport (as the SDK's have), then the release, in a child JVM. */
    public static void main(String[] args) throws Exception {
        var channel = io.grpc.ManagedChannelBuilder.forTarget("127.0.0.1:9").usePlaintext().build();
        channel.getState(true); // connect: the shared worker loop starts its threads
        Thread.sleep(200);
        System.out.println("loops before: " + loops());
        System.out.println("released: " + PromptExit.releaseEventLoops());
        Thread.sleep(100);
        System.out.println("loops after: " + loops());
        System.exit(0);
    }

    static long loops() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && t.getName().startsWith("grpc-default-worker-ELG")).count();
    }

    @Test
    void theSharedWorkerLoopsGoBeforeTheExit() throws IOException, InterruptedException {
        var java = ProcessHandle.current().info().command().orElse("java");
        var p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), PromptExitTest.class.getName()))
            .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).as(out).contains("released: true").contains("loops after: 0").doesNotContain("loops before: 0");
    }
}
