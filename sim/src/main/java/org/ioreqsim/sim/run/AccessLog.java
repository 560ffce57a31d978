package org.ioreqsim.sim.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Completions per access template and route, with how many were reads and how many reads the guest saw
 * as all ones (what the null handler answers). Kept only when a run is compared with another
 * ({@code diff}); a plain run does not pay for it.
 */
public final class AccessLog {
    /** Counts of one (template, route): accesses, reads, reads answered with all ones of their size. */
    public record Counts(long accesses, long reads, long allOnesReads) {
    }

    private final Map<String, Map<String, long[]>> counts = new ConcurrentHashMap<>();

    void record(String template, String route, boolean read, boolean allOnes) {
        long[] c = counts.computeIfAbsent(template, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(route, r -> new long[3]);
        synchronized (c) {
            c[0]++;
            if (read) {
                c[1]++;
                if (allOnes) {
                    c[2]++;
                }
            }
        }
    }

    /** Template -> route -> counts, both in key order. */
    public Map<String, Map<String, Counts>> snapshot() {
        Map<String, Map<String, Counts>> out = new TreeMap<>();
        counts.forEach((t, routes) -> {
            Map<String, Counts> m = new LinkedHashMap<>();
            new TreeMap<>(routes).forEach((r, c) -> {
                synchronized (c) {
                    m.put(r, new Counts(c[0], c[1], c[2]));
                }
            });
            out.put(t, m);
        });
        return out;
    }
}
