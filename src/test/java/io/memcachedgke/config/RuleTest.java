package io.memcachedgke.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The rule kinds every tier's table is made of: where each bound lies, what each message says. */
class RuleTest {
    record Box(Integer n, String s) {}

    static List<String> check(Rule<Box> rule, Integer n, String s) {
        return Rule.checkAll(List.of(rule), new Box(n, s), "memcached-gke:x.");
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
    void atLeastAcceptsTheBoundAndRefusesOneBelow() {
        var rule = Rule.atLeast("n", Box::n, 250);
        assertThat(check(rule, 250, null)).isEmpty();
        assertThat(check(rule, 249, null)).containsExactly("memcached-gke:x.n must be at least 250, but 249 was provided");
    }

    @Test
    void oneOfNamesEveryAllowedValue() {
        var rule = Rule.oneOf("s", Box::s, List.of("hostPort", "nodeLocalService"));
        assertThat(check(rule, null, "hostPort")).isEmpty();
        assertThat(check(rule, null, "hostport")).containsExactly(
            "memcached-gke:x.s must be one of hostPort, nodeLocalService, but 'hostport' was provided");
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
        Rule<Box> rule = Rule.custom("n", (b, p) -> b.n() > 3 ? "is more than " + p + "limit" : null);
        assertThat(check(rule, 3, null)).isEmpty();
        assertThat(check(rule, 4, null)).containsExactly("memcached-gke:x.n is more than memcached-gke:x.limit");
    }

    @Test
    void everyProblemOfATableInTableOrder() {
        var table = List.<Rule<Box>>of(Rule.between("n", Box::n, 1, 2), Rule.oneOf("s", Box::s, List.of("a")));
        assertThat(Rule.checkAll(table, new Box(3, "b"), "p.")).containsExactly(
            "p.n must be between 1 and 2, but 3 was provided", "p.s must be one of a, but 'b' was provided");
    }
}
