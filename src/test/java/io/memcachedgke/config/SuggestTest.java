package io.memcachedgke.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * "Did you mean": the optimal string alignment distance, checked against textbook values (not computed by the
 * code under test), and how far a suggestion may be.
 */
class SuggestTest {
    @Test
    void theDistanceIsTheTextbookOptimalStringAlignment() {
        assertThat(Suggest.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggest.distance("flaw", "lawn")).isEqualTo(2);
        assertThat(Suggest.distance("", "abc")).isEqualTo(3);
        assertThat(Suggest.distance("abc", "")).isEqualTo(3);
        assertThat(Suggest.distance("same", "same")).isZero();
        // A swap of neighbours is one edit...
        assertThat(Suggest.distance("ab", "ba")).isEqualTo(1);
        assertThat(Suggest.distance("replcias", "replicas")).isEqualTo(1);
        // ...but OSA never edits a substring twice: "ca" -> "abc" is 3 (true Damerau-Levenshtein says 2).
        assertThat(Suggest.distance("ca", "abc")).isEqualTo(3);
        assertThat(Suggest.distance("namePrefx", "namePrefix")).isEqualTo(1);
        assertThat(Suggest.distance("abcdef", "azcdxf")).isEqualTo(2);
    }

    @Test
    void aSuggestionIsAtMostAThirdOfTheKeysLengthAway() {
        // 9 characters: up to 3 edits.
        assertThat(Suggest.closest("relicaxyz", List.of("replicas"))).isEmpty(); // 4 edits
        assertThat(Suggest.closest("replcasxy", List.of("replicas"))).contains("replicas"); // 3 edits
        // 6 characters: up to 2 edits.
        assertThat(Suggest.closest("pxrtyy", List.of("port"))).isEmpty(); // 3 edits
        assertThat(Suggest.closest("portxy", List.of("port"))).contains("port"); // 2 edits
        // Short keys still get one edit, and at most three for long ones.
        assertThat(Suggest.closest("pr", List.of("pt"))).contains("pt");
        assertThat(Suggest.closest("ab", List.of("xy"))).isEmpty();
        assertThat(Suggest.closest("serviceMonitorLabelsXXXX", List.of("serviceMonitorLabels"))).isEmpty();
        assertThat(Suggest.closest("serviceMonitorLabelsXXX", List.of("serviceMonitorLabels"))).contains("serviceMonitorLabels");
    }

    @Test
    void caseIsIgnoredTiesGoToTheFirstAndTheValueItselfIsNeverSuggested() {
        assertThat(Suggest.closest("NAMESPACE", List.of("namespace"))).contains("namespace");
        assertThat(Suggest.closest("cat", List.of("bat", "hat"))).contains("bat");
        assertThat(Suggest.closest("cat", List.of("hat", "bat"))).contains("hat");
        assertThat(Suggest.closest("port", List.of("port"))).isEmpty();
        // Of two within reach, the closer wins even when it comes second.
        assertThat(Suggest.closest("portxy", List.of("porta", "portx"))).contains("portx");
        assertThat(Suggest.didYouMean("prot", List.of("port", "image"))).isEqualTo(" (did you mean 'port'?)");
        assertThat(Suggest.didYouMean("zzzz", List.of("port"))).isEmpty();
    }
}
