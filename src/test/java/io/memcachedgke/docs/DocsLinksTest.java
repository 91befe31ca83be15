package io.memcachedgke.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README is a front door and the pages behind it hold together: every relative link in the README, in
 * {@code docs/} and in the policy pack's README names a file that exists and, with a {@code #fragment}, a heading
 * (or an explicit anchor) of that file, by GitHub's rules for heading anchors. Links inside code blocks and to
 * other sites are not followed.
 */
class DocsLinksTest {
    static final Path ROOT = Path.of("").toAbsolutePath();
    /** "About one screen": what a reader sees before deciding where to go. */
    static final int README_MAX_LINES = 150;

    private static final Pattern LINK = Pattern.compile("(?<!!)\\[([^\\]]*)]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

    static List<Path> pages() throws IOException {
        var pages = new ArrayList<Path>();
        pages.add(ROOT.resolve("README.md"));
        pages.add(ROOT.resolve("policies/README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The lines outside fenced code blocks, with inline code blanked (a link in code is not a link). */
    static List<String> prose(Path page) throws IOException {
        var out = new ArrayList<String>();
        boolean fenced = false;
        for (var line : Files.readAllLines(page)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                out.add("");
                continue;
            }
            out.add(fenced ? "" : line);
        }
        return out;
    }

    /** GitHub's anchor for a heading: lower case, punctuation other than '-' and '_' dropped, spaces to '-'. */
    static String slug(String heading) {
        var text = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").replace("`", "").replace("*", "");
        var sb = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                sb.appendCodePoint(Character.toLowerCase(c));
            } else if (c == ' ') {
                sb.append('-');
            }
            i += Character.charCount(c);
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** Every anchor a page offers: its headings (repeats get -1, -2, as GitHub numbers them) and explicit anchors. */
    static Set<String> anchors(Path page) throws IOException {
        var out = new LinkedHashSet<String>();
        var seen = new HashMap<String, Integer>();
        for (var line : prose(page)) {
            var h = HEADING.matcher(line);
            if (h.matches()) {
                var base = slug(h.group(2));
                int n = seen.merge(base, 1, Integer::sum) - 1;
                out.add(n == 0 ? base : base + "-" + n);
            }
            var a = HTML_ANCHOR.matcher(line);
            while (a.find()) {
                out.add(a.group(1));
            }
        }
        return out;
    }

    static List<String> brokenLinks() throws IOException {
        var broken = new ArrayList<String>();
        Map<Path, Set<String>> anchorCache = new HashMap<>();
        for (var page : pages()) {
            var lines = prose(page);
            for (int i = 0; i < lines.size(); i++) {
                var line = INLINE_CODE.matcher(lines.get(i)).replaceAll("");
                var targets = new ArrayList<String>();
                var m = LINK.matcher(line);
                while (m.find()) {
                    targets.add(m.group(2));
                }
                var img = IMAGE.matcher(line);
                while (img.find()) {
                    targets.add(img.group(1));
                }
                for (var target : targets) {
                    if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                        continue; // https:, mailto: and the like: another site
                    }
                    var where = ROOT.relativize(page) + ":" + (i + 1) + ": " + target;
                    int hash = target.indexOf('#');
                    var file = hash < 0 ? target : target.substring(0, hash);
                    var fragment = hash < 0 ? null : target.substring(hash + 1);
                    var resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                    if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                        broken.add(where + " (no such file)");
                        continue;
                    }
                    if (fragment != null && !fragment.isEmpty()) {
                        if (!resolved.toString().endsWith(".md")) {
                            continue; // a line anchor into source (#L10) is GitHub's, not a heading
                        }
                        var offered = anchorCache.computeIfAbsent(resolved, p -> {
                            try {
                                return anchors(p);
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        if (!offered.contains(fragment)) {
                            broken.add(where + " (no heading with that anchor)");
                        }
                    }
                }
            }
        }
        return broken;
    }

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        assertThat(brokenLinks()).isEmpty();
    }

    @Test
    void theReadmeIsAboutOneScreenAndLinksEveryDocsPage() throws IOException {
        var readme = Files.readAllLines(ROOT.resolve("README.md"));
        assertThat(readme.size()).as("README.md lines").isLessThanOrEqualTo(README_MAX_LINES);
        var text = String.join("\n", readme);
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            assertThat(docs.filter(p -> p.toString().endsWith(".md")).map(p -> "docs/" + p.getFileName()))
                .allSatisfy(page -> assertThat(text).as("the README links " + page).contains("(" + page));
        }
    }

    @Test
    void theSlugsFollowGitHubsRules() {
        assertThat(slug("Resize without a miss storm")).isEqualTo("resize-without-a-miss-storm");
        assertThat(slug("The `local` stack on kind or minikube")).isEqualTo("the-local-stack-on-kind-or-minikube");
        assertThat(slug("Delivery: previews in pull requests, `up` per environment"))
            .isEqualTo("delivery-previews-in-pull-requests-up-per-environment");
        assertThat(slug("MemcachedShardDown")).isEqualTo("memcachedsharddown");
        assertThat(slug("What clients see (hostPort)")).isEqualTo("what-clients-see-hostport");
        assertThat(slug("A [linked](x.md) heading")).isEqualTo("a-linked-heading");
    }
}
