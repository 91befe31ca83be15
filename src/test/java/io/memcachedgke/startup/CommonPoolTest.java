package io.memcachedgke.startup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** On JDK 25 the common pool's parallelism is raised to 2 where it would be less; before JDK 25 it is left alone. */
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
        CommonPool.ensureParallelism(25);
        assertThat(System.getProperty(CommonPool.PARALLELISM)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "JDK {0}")
    @CsvSource({"17", "21", "24"})
    void beforeJdk25NothingIsChangedSoParallelismOneKeepsAThreadPerTask(int jdk) {
        System.setProperty(CommonPool.PARALLELISM, "1");
        CommonPool.ensureParallelism(jdk);
        assertThat(System.getProperty(CommonPool.PARALLELISM)).isEqualTo("1");
        System.clearProperty(CommonPool.PARALLELISM);
        CommonPool.ensureParallelism(jdk);
        assertThat(System.getProperty(CommonPool.PARALLELISM)).isNull();
        assertThat(CommonPool.flagsFor(jdk)).isEmpty();
    }

    @Test
    void unsetItIsSetOnlyWhereTheDefaultWouldBeBelowTwo() {
        System.clearProperty(CommonPool.PARALLELISM);
        CommonPool.ensureParallelism(25);
        var expected = Runtime.getRuntime().availableProcessors() - 1 < 2 ? "2" : null;
        assertThat(System.getProperty(CommonPool.PARALLELISM)).isEqualTo(expected);
        assertThat(CommonPool.flagsFor(25)).containsExactly("-D" + CommonPool.PARALLELISM + "=2");
    }
}
