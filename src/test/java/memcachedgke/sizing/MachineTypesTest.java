package memcachedgke.sizing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MachineTypesTest {

    @ParameterizedTest
    @CsvSource({"e2-medium, 4096", "e2-standard-2, 8192", "e2-highmem-4, 32768", "n2-highcpu-8, 8192",
        "n1-standard-1, 3840", "c3-standard-4, 16384"})
    void knowsThePredefinedShapes(String type, int miB) {
        assertThat(MachineTypes.memoryMiB(type)).hasValue(miB);
    }

    @ParameterizedTest
    @ValueSource(strings = {"m3-ultramem-32", "custom-4-16384", "a2-highgpu-1g"})
    void leavesOthersToConfiguration(String type) {
        assertThat(MachineTypes.memoryMiB(type)).isEmpty();
    }
}
