package memcachedgke.startup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The common pool's parallelism is raised to 2 where it would be less, and left alone elsewhere. */
class CommonPoolTest {
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(CommonPool.PARALLELISM);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(CommonPool.PARALLELISM);
        } else {
            System.setProperty(CommonPool.PARALLELISM, saved);
        }
    }

    @ParameterizedTest(name = "set to {0}: {1}")
    @CsvSource({"1, 2", "0, 2", "-3, 2", "two, 2", "2, 2", "3, 3", "8, 8"})
    void aValueBelowTwoIsRaised(String set, String expected) {
        System.setProperty(CommonPool.PARALLELISM, set);
        CommonPool.ensureParallelism();
        assertThat(System.getProperty(CommonPool.PARALLELISM)).isEqualTo(expected);
    }

    @Test
    void unsetItIsSetOnlyWhereTheDefaultWouldBeBelowTwo() {
        System.clearProperty(CommonPool.PARALLELISM);
        CommonPool.ensureParallelism();
        var expected = Runtime.getRuntime().availableProcessors() - 1 < 2 ? "2" : null;
        assertThat(System.getProperty(CommonPool.PARALLELISM)).isEqualTo(expected);
    }
}
