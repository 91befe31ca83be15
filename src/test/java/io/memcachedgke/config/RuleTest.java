package io.memcachedgke.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import io.memcachedgke.config.Naming;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The rule kinds every tier's table is made of: where each bound lies, what each message says. */
class RuleTest {
    record Box(Integer n, String s) {}

    /** Names as a stack does, under {@code memcached-gke:x.}. */
    static final Naming NAMING = new Naming() {
        @Override
        public String key(String path) {
            return "memcached-gke:x." + path;
        }

        @Override
        public String objectExample(String path) {
            return path + ": {}";
        }
    };

    static List<String> check(Rule<Box> rule, Integer n, String s) {
        return Rule.checkAll(List.of(rule), new Box(n, s), NAMING);
    }

    @Test
    void betweenAcceptsBothBoundsAndRefusesOneBeyondEither() {
        var rule = Rule.between("n", Box::n, 1, 64);
        assertThat(check(rule, 1, null)).isEmpty();
        assertThat(check(rule, 64, null)).isEmpty();
        assertThat(check(rule, 0, null)).containsExactly("memcached-gke:x.n must be between 1 and 64, but 0 was provided");
        assertThat(check(rule, 65, null)).containsExactly("memcached-gke:x.n must be between 1 and 64, but 65 was provided");
    }

    @Test
    void matchesTakesTheWholeValue() {
        var rule = Rule.matches("s", Box::s, Pattern.compile("[a-z]+"), "lower-case letters");
        assertThat(check(rule, null, "abc")).isEmpty();
        assertThat(check(rule, null, "abc1")).containsExactly(
            "memcached-gke:x.s must be lower-case letters, but 'abc1' was provided");
    }

    @Test
    void anUnsetValueIsLeftToTheRulesThatRequireIt() {
        assertThat(check(Rule.between("n", Box::n, 1, 64), null, null)).isEmpty();
        assertThat(check(Rule.matches("s", Box::s, Pattern.compile("x"), "x"), null, null)).isEmpty();
    }

    @Test
    void customSentencesFollowTheFullKey() {
        Rule<Box> rule = Rule.custom("n", (b, n) -> b.n() > 3 ? "is more than " + n.key("limit") : null);
        assertThat(check(rule, 3, null)).isEmpty();
        assertThat(check(rule, 4, null)).containsExactly("memcached-gke:x.n is more than memcached-gke:x.limit");
    }

    @Test
    void everyProblemOfATableInTableOrder() {
        var table = List.<Rule<Box>>of(Rule.between("n", Box::n, 1, 2), Rule.matches("s", Box::s, Pattern.compile("a"), "a"),
            Rule.when(b -> b.n() > 5, Rule.between("n", Box::n, 1, 2)));
        assertThat(Rule.checkAll(table, new Box(3, "b"), NAMING)).containsExactly(
            "memcached-gke:x.n must be between 1 and 2, but 3 was provided", "memcached-gke:x.s must be a, but 'b' was provided");
    }
}
