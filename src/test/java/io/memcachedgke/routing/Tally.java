package io.memcachedgke.routing;

import java.util.ArrayList;
import java.util.List;

/** What the clients saw in one phase of a scenario, judged against what each expected. */
final class Tally {
    final String scenario;
    final String phase;
    int keys;
    int gets;
    int hits;
    /** A key written and not deleted, not found. */
    int misses;
    /** A value other than the last one set (every value is unique, so an older one). */
    int stale;
    /** A deleted key found. */
    int resurrected;
    /** A reply that is neither a hit nor NOTFOUND, or a set not STORED. */
    int errors;
    int sets;
    int deletes;
    /** The first few violations, for the assertion message. */
    final List<String> examples = new ArrayList<>();

    Tally(String scenario, String phase) {
        this.scenario = scenario;
        this.phase = phase;
    }

    void example(String text) {
        if (examples.size() < 8) {
            examples.add(text);
        }
    }

    /** The sum of {@code parts} (same scenario), named {@code phase}. */
    static Tally sum(String phase, java.util.List<Tally> parts) {
        var t = new Tally(parts.get(0).scenario, phase);
        for (var p : parts) {
            t.keys = Math.max(t.keys, p.keys);
            t.gets += p.gets;
            t.hits += p.hits;
            t.misses += p.misses;
            t.stale += p.stale;
            t.resurrected += p.resurrected;
            t.errors += p.errors;
            t.sets += p.sets;
            t.deletes += p.deletes;
            p.examples.forEach(t::example);
        }
        return t;
    }

    int violations() {
        return misses + stale + resurrected + errors;
    }

    double missRate() {
        return gets == 0 ? 0 : (double) misses / gets;
    }

    @Override
    public String toString() {
        return scenario + " / " + phase + ": keys " + keys + ", gets " + gets + ", misses " + misses + ", stale " + stale
            + ", resurrected " + resurrected + ", errors " + errors + (examples.isEmpty() ? "" : ", e.g. " + examples);
    }
}
