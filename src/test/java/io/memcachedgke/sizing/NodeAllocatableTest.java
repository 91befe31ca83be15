package io.memcachedgke.sizing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeAllocatableTest {

    @ParameterizedTest(name = "{0} MiB reserves {1} MiB")
    @CsvSource({
        // GKE's documented tiers, plus the 100 MiB eviction threshold.
        "1024, 356",     // 25% of 1 GiB = 256
        "4096, 1124",    // 25% of 4 GiB = 1024
        "8192, 1944",    // + 20% of 4 GiB = 819.2
        "16384, 2763",   // + 10% of 8 GiB = 819.2 (2662.4, rounded up)
        "32768, 3746",   // + 6% of 16 GiB = 983.04
        "262144, 12266", // + 6% of 112 GiB (6881.28) + 2% of 128 GiB (2621.44)
    })
    void reservesPerGkeFormula(int machineMiB, int reservedMiB) {
        assertThat(NodeAllocatable.reservedMiB(machineMiB)).isEqualTo(reservedMiB);
        assertThat(NodeAllocatable.allocatableMiB(machineMiB)).isEqualTo(machineMiB - reservedMiB);
    }
}
