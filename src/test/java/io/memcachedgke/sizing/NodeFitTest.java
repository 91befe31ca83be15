package io.memcachedgke.sizing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A node's pods against its allocatable memory: the sum, the exact edge, the spread and the message. */
class NodeFitTest {
    /** dev: e2-medium (4096 MiB, 2972 allocatable), 3 shards of 64 MiB, proxy 128 + exporter 32, app 2 x 128. */
    static final MemcachedSizing DEV_SHARD = MemcachedSizing.of(64, 250, 1024);

    static NodeFit dev(int appMiB) {
        return NodeFit.of("e2-medium", 4096, 3, 3, DEV_SHARD, 128, 32, 96, 5, appMiB);
    }

    @Test
    void theDevNodeNeedsWhatTheRenderPrints() {
        var fit = dev(128);
        assertThat(DEV_SHARD.limitMiB()).isEqualTo(112);
        assertThat(fit.memcachedPerNode()).isEqualTo(1);
        assertThat(fit.appPerNode()).as("5 app pods over 3 nodes: 2 on the fullest").isEqualTo(2);
        assertThat(fit.neededMiB()).isEqualTo(112 + 128 + 32 + 96 + 2 * 128 + NodeFit.SYSTEM_PODS_MIB).isEqualTo(1024);
        assertThat(fit.allocatableMiB()).isEqualTo(2972);
        assertThat(fit.itemShare()).isEqualTo(64.0 / 4096);
        assertThat(fit.fits()).isTrue();
    }

    @Test
    void aNodeFilledToTheLastMiBFitsAndOneMoreDoesNot() {
        // app pods take what is left: 2 x appMiB = 2972 - (1024 - 256)
        int exact = (2972 - (1024 - 256)) / 2;
        assertThat(dev(exact).neededMiB()).isEqualTo(2972);
        assertThat(dev(exact).fits()).isTrue();
        assertThat(dev(exact + 1).neededMiB()).isEqualTo(2974);
        assertThat(dev(exact + 1).fits()).isFalse();
    }

    @Test
    void theShortfallNamesEveryTerm() {
        assertThat(dev(2000).shortfall()).startsWith("each e2-medium node (4096 MiB, 2972 MiB allocatable) would need 4768 MiB "
            + "(1 memcached pod(s) x 112 MiB limit, mcrouter 128 MiB + 32 MiB exporter, memcached exporter pod 96 MiB, "
            + "2 sample-app pod(s) x 2000 MiB");
        assertThat(NodeFit.of("e2-medium", 4096, 3, 3, DEV_SHARD, 128, 0, 0, 5, 2000).shortfall())
            .doesNotContain("exporter");
    }
}
