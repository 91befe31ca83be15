package io.memcachedgke.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.memcachedgke.config.Environment;
import io.memcachedgke.config.Exposure;
import io.memcachedgke.memcached.Memcached;
import io.memcachedgke.settings.CacheSpec;
import io.memcachedgke.settings.McrouterSpec;
import io.memcachedgke.settings.MemcachedSpec;
import io.memcachedgke.settings.MetricsSpec;
import io.memcachedgke.settings.SettingCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's tables of keys are the settings model's: each key's type, default and meaning, generated
 * from {@link SettingCatalog} between {@code <!-- settings: <section> -->} and {@code <!-- /settings -->}. A change of
 * a default or a meaning in the model is a change of this page ({@code -Dgolden.update=true} rewrites the tables).
 * The defaults the model writes in words (decided by code) are checked against that code here.
 */
class SettingDocsTest {
    static final Path DOC = Path.of("docs/configuration.md");
    static final Pattern BLOCK = Pattern.compile("(<!-- settings: ([a-zA-Z.-]+) -->\n)(.*?)(<!-- /settings -->)", Pattern.DOTALL);
    /** The marker of the top-level keys' table. */
    static final String TOP = "top-level";

    /** The table of one section of a stack's settings: "" is the top-level keys. */
    static String table(String marker) {
        var section = marker.equals(TOP) ? "" : marker;
        var rows = new ArrayList<String>();
        rows.add("| key | type | default | allowed / meaning |");
        rows.add("|---|---|---|---|");
        SettingCatalog.stack().forEach((path, e) -> {
            var parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
            if (parent.equals(section) && e.section().isEmpty()) {
                rows.add("| `" + path + "` | " + e.type() + " | " + e.defaultText() + " | " + e.doc().replace("|", "\\|")
                    + " |");
            }
        });
        return String.join("\n", rows) + "\n";
    }

    static String generated(String doc) {
        Matcher m = BLOCK.matcher(doc);
        var out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + table(m.group(2)) + m.group(4)));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Test
    void theTablesOfKeysAreTheModels() throws Exception {
        var doc = Files.readString(DOC);
        var expected = generated(doc);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(DOC, expected);
        }
        assertThat(doc).as("docs/configuration.md's tables (rerun with -Dgolden.update=true)").isEqualTo(expected);
    }

    @Test
    void everySectionOfTheModelHasItsTable() throws Exception {
        var sections = new ArrayList<String>();
        BLOCK.matcher(Files.readString(DOC)).results().forEach(r -> sections.add(r.group(2).equals(TOP) ? "" : r.group(2)));
        var expected = new ArrayList<String>(List.of(""));
        SettingCatalog.stack().forEach((path, e) -> {
            if (e.section().isPresent()) {
                expected.add(path);
            }
        });
        assertThat(sections).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** The defaults the model states in words, against the code that decides them. */
    @Test
    void theDefaultsInWordsAreWhatTheCodeDecides() {
        var m = MemcachedSpec.DEFAULTS;
        assertThat(m.warmUpSeconds(Environment.PRODUCTION)).isEqualTo(300);
        assertThat(m.warmUpSeconds(Environment.DEVELOPMENT)).isEqualTo(30);
        assertThat(docOf("memcached.warmUpSeconds")).isEqualTo("`300` in production, `30` in development");
        var r = McrouterSpec.DEFAULTS;
        assertThat(r.exposure(Environment.DEVELOPMENT)).isEqualTo(Exposure.HOST_PORT);
        assertThat(r.exposure(Environment.PRODUCTION)).isEqualTo(Exposure.NODE_LOCAL_SERVICE);
        assertThat(docOf("mcrouter.exposure")).isEqualTo("`hostPort` (the lab's) in development, `nodeLocalService` in production");
        var metrics = MetricsSpec.DEFAULTS;
        assertThat(metrics.podMonitoring(true)).isTrue();
        assertThat(metrics.podMonitoring(false)).isFalse();
        assertThat(docOf("cluster.upgradeSoakSeconds")).isEqualTo("production: `memcached.warmUpSeconds` + "
            + Memcached.POD_START_SECONDS + " (`" + (m.warmUpSeconds(Environment.PRODUCTION) + Memcached.POD_START_SECONDS)
            + "` by default); development: `0`");
        assertThat(CacheSpec.DEFAULTS.environment()).isEqualTo(Environment.DEVELOPMENT);
    }

    private static String docOf(String path) {
        return SettingCatalog.stack().get(path).defaultText();
    }
}
