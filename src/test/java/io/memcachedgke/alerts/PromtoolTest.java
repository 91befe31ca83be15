package io.memcachedgke.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.TreeSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules as Prometheus itself reads them: {@code promtool check rules} on the generated rule file, and
 * {@code promtool test rules} on {@code src/test/promtool/alerts.test.yaml}, which feeds series to the rules
 * and says which alerts must fire and which must stay silent. promtool is required, not optional: a rule
 * file nobody parsed is not tested.
 */
class PromtoolTest {
    /** The scope the unit tests are written for. */
    static final RuleScope SCOPE = new RuleScope("memcached", "mycache", 0.8, "docs/alerts.md");
    /** Where the rule file goes; alerts.test.yaml names it relative to itself. */
    static final Path RULES = Path.of("target/promtool/rules.yaml");
    static final Path UNIT_TESTS = Path.of("src/test/promtool/alerts.test.yaml");

    record Run(int exit, String output) {}

    static Run promtool(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        command.add("promtool");
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("promtool is not on the PATH (" + e.getMessage() + "). Install Debian's prometheus package, which "
                + "ships /usr/bin/promtool: sudo apt-get install --no-install-recommends prometheus");
            throw e;
        }
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("promtool " + String.join(" ", args) + " did not finish in 120 s:\n" + output);
        }
        return new Run(process.exitValue(), output);
    }

    @BeforeAll
    static void writeRuleFile() throws IOException {
        Files.createDirectories(RULES.getParent());
        Files.writeString(RULES, AlertRules.ruleFileYaml(SCOPE));
    }

    @Test
    void promtoolAcceptsTheRuleFile() throws Exception {
        var run = promtool("check", "rules", RULES.toString());
        assertThat(run.exit()).as("promtool check rules %s:%n%s", RULES, run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: " + AlertRules.of(SCOPE).alerts().size() + " rules found");
    }

    @Test
    void theUnitTestsPass() throws Exception {
        var run = promtool("test", "rules", UNIT_TESTS.toString());
        assertThat(run.exit()).as("promtool test rules %s:%n%s", UNIT_TESTS, run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");
    }

    /** Every dashboard query, as a recording rule: promtool parses each (Cloud Monitoring reads the same PromQL). */
    @Test
    void promtoolParsesEveryDashboardQuery() throws Exception {
        var rules = new ArrayList<Map<String, Object>>();
        for (var tile : Dashboard.of(SCOPE, DashboardTest.CLUSTER).tiles()) {
            for (var query : tile.queries()) {
                rules.add(Map.of("record", "dashboard:query_" + rules.size(), "expr", query.promql()));
            }
        }
        var file = RULES.resolveSibling("dashboard-queries.yaml");
        Files.writeString(file, new ObjectMapper(new YAMLFactory())
            .writeValueAsString(Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules)))));
        var run = promtool("check", "rules", file.toString());
        assertThat(run.exit()).as("promtool check rules %s:%n%s", file, run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: " + rules.size() + " rules found");
    }

    @Test
    void theUnitTestsCoverEveryAlertFiringAndSilent() throws IOException {
        var fires = new TreeSet<String>();
        var silent = new TreeSet<String>();
        for (var test : new ObjectMapper(new YAMLFactory()).readTree(UNIT_TESTS.toFile()).get("tests")) {
            for (var check : test.path("alert_rule_test")) {
                var expected = check.path("exp_alerts");
                (expected.isEmpty() ? silent : fires).add(check.get("alertname").asText());
            }
        }
        var names = AlertRules.of(SCOPE).alerts().stream().map(AlertRules.Alert::name).toList();
        assertThat(fires).as("alerts with a case that fires").containsExactlyInAnyOrderElementsOf(names);
        assertThat(silent).as("alerts with a case that stays silent").containsExactlyInAnyOrderElementsOf(names);
    }
}
