package io.memcachedgke.sizing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reference figures from Google's machine-family tables (GB x 1024), not from the data file under test. */
class MachineTypesTest {

    @ParameterizedTest
    @CsvSource({"e2-medium, 4096", "e2-standard-2, 8192", "e2-highmem-4, 32768", "n2-highcpu-8, 8192",
        "n1-standard-1, 3840", "c3-standard-4, 16384", "c3-highcpu-4, 8192", "n4-highcpu-4, 8192",
        "n2d-standard-224, 917504", "n1-highmem-2, 13312", "m3-ultramem-32, 999424"})
    void knowsThePredefinedShapes(String type, int miB) {
        assertThat(MachineTypes.memoryMiB(type)).hasValue(miB);
    }

    @ParameterizedTest
    @CsvSource({"custom-4-16384, 16384", "n2-custom-8-32768, 32768", "e2-custom-2-6144, 6144", "n2-custom-2-20480-ext, 20480"})
    void readsCustomTypesFromTheirName(String type, int miB) {
        assertThat(MachineTypes.memoryMiB(type)).hasValue(miB);
    }

    @ParameterizedTest
    @ValueSource(strings = {"n2-standrad-4", "n2-standard-3", "e2-medium2", "custom-4", "c3-standard-5"})
    void refusesWhatDoesNotExist(String type) {
        assertThat(MachineTypes.memoryMiB(type)).isEmpty();
    }
}
