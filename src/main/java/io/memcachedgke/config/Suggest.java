package io.memcachedgke.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean ...?" for a misspelt key or value: the closest allowed one, if it is close enough to be a typo. */
public final class Suggest {
    private Suggest() {}

    /**
     * @return the allowed value closest to {@code given} by edit distance (case ignored), when at most a
     *     third of its length (and at least 1, at most 3) edits away; ties go to the first in {@code allowed}
     */
    public static Optional<String> closest(String given, Collection<String> allowed) {
        int budget = Math.max(1, Math.min(3, given.length() / 3));
        return allowed.stream()
            .filter(a -> !a.equals(given))
            .min(Comparator.comparingInt(a -> distance(given.toLowerCase(), a.toLowerCase())))
            .filter(a -> distance(given.toLowerCase(), a.toLowerCase()) <= budget);
    }

    /** " (did you mean 'x'?)", or nothing. */
    public static String didYouMean(String given, Collection<String> allowed) {
        return closest(given, allowed).map(a -> " (did you mean " + Rule.quote(a) + "?)").orElse("");
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
