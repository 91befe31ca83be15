package io.memcachedgke.settings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memcachedgke.config.Formats;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The images both layers check (policies/shared/cases.json): what the program's rule on every image setting calls
 * pinned, the pack's k8s-image-tag-pinned lets through (policies/test/shared.test.ts runs the same list there).
 */
class PinnedImagesTest {

    static Stream<Arguments> images() throws Exception {
        var cases = new ObjectMapper().readTree(Path.of("policies/shared/cases.json").toFile()).path("images");
        var out = Stream.<Arguments>builder();
        cases.forEach(c -> out.add(Arguments.of(c.path("image").asText(), c.path("pinned").asBoolean())));
        return out.build();
    }

    @ParameterizedTest(name = "{0}: pinned {1}")
    @MethodSource("images")
    void theProgramAgreesWithThePack(String image, boolean pinned) {
        assertThat(Formats.PINNED_IMAGE.matcher(image).matches()).isEqualTo(pinned);
    }
}
