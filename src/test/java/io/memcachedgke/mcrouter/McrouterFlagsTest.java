package io.memcachedgke.mcrouter;

import io.memcachedgke.support.Plans;
import io.memcachedgke.support.Records;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * mcrouter's command line: one flag per option this project sets, named as upstream's
 * {@code mcrouter/mcrouter_options_list.h} and {@code standalone_options_list.h} name them.
 */
class McrouterFlagsTest {
    @Test
    void oneProxyThreadPerWholeCpuAndNeverNone() {
        assertThat(McrouterFlags.proxyThreadsFor(50)).isEqualTo(1);
        assertThat(McrouterFlags.proxyThreadsFor(999)).isEqualTo(1);
        assertThat(McrouterFlags.proxyThreadsFor(1000)).isEqualTo(1);
        assertThat(McrouterFlags.proxyThreadsFor(1999)).isEqualTo(1);
        assertThat(McrouterFlags.proxyThreadsFor(2000)).isEqualTo(2);
        assertThat(McrouterFlags.proxyThreadsFor(16000)).isEqualTo(16);
    }

    @Test
    void theDefaultsAsTheContainerGetsThem() {
        var flags = McrouterFlags.of(Records.with(Plans.mcrouter(), "cpuMillis", 2500));
        assertThat(flags.args("abc123")).containsExactly("--port=5000", "--config=file:/etc/mcrouter/config.json",
            "--num-proxies=2", "--asynclog-disable", "--server-timeout=250", "--probe-timeout-initial=1000",
            "--probe-timeout-max=10000", "--timeouts-until-tko=3", "--reconfiguration-delay-ms=500",
            "--config-params=node_name:$(NODE_NAME),template:abc123");
    }

    @Test
    void everyKeyReachesItsFlag() {
        var flags = McrouterFlags.of(Records.with(Plans.mcrouter(), "port", 6000, "serverTimeoutMs", 100, "probeTimeoutInitialMs", 2000, "probeTimeoutMaxMs", 20000, "timeoutsUntilTko", 5, "reconfigurationDelayMs", 1000));
        assertThat(flags.args("r")).contains("--port=6000", "--server-timeout=100", "--probe-timeout-initial=2000",
            "--probe-timeout-max=20000", "--timeouts-until-tko=5", "--reconfiguration-delay-ms=1000");
        assertThat(flags.list()).allSatisfy(f -> assertThat(f.why()).isNotBlank());
    }
}
