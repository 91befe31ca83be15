package io.memcachedgke.impact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** What a pod template's differences mean, in the words the impact report shows. */
class JsonDiffTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aNewNodeSelectorSaysThePodsMove() throws Exception {
        var before = JSON.readTree("{\"spec\":{\"nodeSelector\":{\"pool\":\"a\"},\"containers\":[{\"name\":\"memcached\",\"image\":\"m:1\"}]}}");
        var after = JSON.readTree("{\"spec\":{\"nodeSelector\":{\"pool\":\"b\"},\"containers\":[{\"name\":\"memcached\",\"image\":\"m:2\"}]}}");
        // In the order of the paths (containers before nodeSelector).
        assertThat(JsonDiff.reasons(before, after, "memcached")).containsExactly(
            "memcached image changed: m:1 -> m:2",
            "the nodes the pods must run on changed (nodeSelector): each moves to one of them");
    }
}
