package org.ioreqsim.sim.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What replaying one trace before the seed commit and at it showed: the JSON of {@code diff TRACE
 * --json} field for field, and the console table. Every replayed access is in exactly one transition
 * row: a region, a request kind, its route before and its route now. Routes are the report keys of
 * {@code trace --json}; before the seed the default server's is marked, {@code server-1-0 (default)}.
 *
 * @param file            the trace file
 * @param layout          the layout's name
 * @param seed            the runs' seed (replay draws no random numbers)
 * @param vcpus           vCPUs of the replay domain
 * @param replayed        accesses replayed (in each run)
 * @param before          the run with Xen before the seed and QEMU on the default server
 * @param now             the run with Xen at the seed and QEMU on its own server
 * @param changed         accesses whose handling changed (every row whose change is not {@code same})
 * @param byChange        accesses by change: {@code same}, {@code default-to-server}, {@code default-to-null},
 *                        {@code other}
 * @param reads           replayed reads
 * @param readsCompared   reads that completed in both runs
 * @param valuesChanged   of those, reads whose guest-visible value (low {@code size} bytes) differs
 * @param byKind          per request kind: {@code port-read}, {@code port-write}, {@code mmio-read},
 *                        {@code mmio-write}, {@code pci-config-read}, {@code pci-config-write}
 * @param byRegion        per trace region, most changed first
 */
public record TraceDiffReport(String file, String layout, long seed, int vcpus, long replayed, Side before, Side now,
                              long changed, Map<String, Long> byChange, long reads, long readsCompared,
                              long valuesChanged, Map<String, KindSummary> byKind, Map<String, RegionDiff> byRegion) {

    /**
     * One of the two runs.
     *
     * @param xen             the Xen modelled
     * @param emulator        how the QEMU-like emulator ran
     * @param routes          replayed accesses by route
     * @param outcomes        by how they ended
     * @param buffered        writes that went into the buffered ring (depends on timing: see docs/traces.md)
     * @param valueMismatches reads whose value differs from the recorded one ({@code trace}'s comparison)
     * @param listenerDmOps   map/unmap dm_ops of QEMU's listener (none on the default server)
     * @param listenerFailures those Xen refused
     * @param answerMisses    reads a replay device was asked that were not the access being replayed
     * @param elapsedSeconds  wall time of the replay
     */
    public record Side(String xen, String emulator, Map<String, Long> routes, Map<String, Long> outcomes,
                       long buffered, long valueMismatches, long listenerDmOps, long listenerFailures,
                       long answerMisses, double elapsedSeconds) {
    }

    /** One request kind: accesses, how their handling changed, reads and changed values. */
    public record KindSummary(long count, long changed, Map<String, Long> byChange, long reads, long readsCompared,
                              long valuesChanged) {
    }

    /** One region: the same counts, and its transition rows (changed first, then by count). */
    public record RegionDiff(long count, long changed, Map<String, Long> byChange, long reads, long readsCompared,
                             long valuesChanged, List<Transition> transitions) {
    }

    /**
     * A region's accesses of one kind that went from one route to another.
     *
     * @param kind           request kind
     * @param before         route before the seed
     * @param now            route at the seed
     * @param change         {@code same}, {@code default-to-server}, {@code default-to-null} or {@code other}
     * @param count          accesses
     * @param reads          of which reads
     * @param readsCompared  reads that completed in both runs
     * @param valuesChanged  reads whose value differs between the runs
     * @param bufferedBefore writes that went buffered before (stdvga)
     * @param bufferedNow    and now
     * @param examples       the first few changed values
     */
    public record Transition(String kind, String before, String now, String change, long count, long reads,
                             long readsCompared, long valuesChanged, long bufferedBefore, long bufferedNow,
                             List<ValueChange> examples) {
    }

    /** One read whose value changed: what the trace recorded, what the guest got before and now. */
    public record ValueChange(long line, int cpu, String addr, int size, String recorded, String before,
                              String now) {
    }

    static final String XEN_BEFORE = "a5f52c3f (before the seed: legacyDefaultServer)";
    static final String XEN_NOW = "2c257bd6 (the seed: default ioreq server removed)";
    static final String EMULATOR_BEFORE = "QEMU on the default ioreq server (params IOREQ_PFN, BUFIOREQ_PFN, "
            + "BUFIOREQ_EVTCHN; no ranges)";
    static final String EMULATOR_NOW = "QEMU on its own ioreq server (ranges from its memory listener)";

    static TraceDiffReport of(TraceReport before, TraceReport now, Map<String, List<Transition>> rows) {
        Map<String, Long> routesBefore = new TreeMap<>();
        Map<String, Long> routesNow = new TreeMap<>();
        Map<String, Counts> kinds = new LinkedHashMap<>();
        for (TraceDiff.Kind k : TraceDiff.Kind.values()) {
            kinds.put(k.key, new Counts());
        }
        Counts total = new Counts();
        List<Map.Entry<String, Counts>> regions = new ArrayList<>();
        for (Map.Entry<String, List<Transition>> e : rows.entrySet()) {
            Counts region = new Counts();
            for (Transition t : e.getValue()) {
                routesBefore.merge(t.before(), t.count(), Long::sum);
                routesNow.merge(t.now(), t.count(), Long::sum);
                region.add(t);
                kinds.get(t.kind()).add(t);
                total.add(t);
            }
            region.transitions = e.getValue();
            regions.add(Map.entry(e.getKey(), region));
        }
        regions.sort(Comparator.comparingLong((Map.Entry<String, Counts> e) -> -e.getValue().changed)
                .thenComparingLong(e -> -e.getValue().count).thenComparing(Map.Entry::getKey));
        Map<String, RegionDiff> byRegion = new LinkedHashMap<>();
        regions.forEach(e -> byRegion.put(e.getKey(), e.getValue().region()));
        Map<String, KindSummary> byKind = new LinkedHashMap<>();
        kinds.forEach((k, c) -> byKind.put(k, c.kind()));
        return new TraceDiffReport(now.file(), now.layout(), now.seed(), now.vcpus(), now.replayed(),
                side(XEN_BEFORE, EMULATOR_BEFORE, routesBefore, before), side(XEN_NOW, EMULATOR_NOW, routesNow, now),
                total.changed, Counts.frozen(total.byChange), total.reads, total.compared, total.valuesChanged, byKind, byRegion);
    }

    private static Side side(String xen, String emulator, Map<String, Long> routes, TraceReport r) {
        return new Side(xen, emulator, Collections.unmodifiableMap(routes), r.outcomes(), r.buffered(), r.valueMismatches(), r.listenerDmOps(),
                r.listenerFailures(), r.answerMisses(), r.elapsedSeconds());
    }

    /** Sums of transition rows. */
    private static final class Counts {
        long count;
        long changed;
        long reads;
        long compared;
        long valuesChanged;
        final Map<String, Long> byChange = new LinkedHashMap<>();
        List<Transition> transitions = List.of();

        Counts() {
            for (TraceDiff.Change c : TraceDiff.Change.values()) {
                byChange.put(c.key, 0L);
            }
        }

        void add(Transition t) {
            count += t.count();
            if (!t.change().equals(TraceDiff.Change.SAME.key)) {
                changed += t.count();
            }
            byChange.merge(t.change(), t.count(), Long::sum);
            reads += t.reads();
            compared += t.readsCompared();
            valuesChanged += t.valuesChanged();
        }

        KindSummary kind() {
            return new KindSummary(count, changed, frozen(byChange), reads, compared, valuesChanged);
        }

        RegionDiff region() {
            return new RegionDiff(count, changed, frozen(byChange), reads, compared, valuesChanged, transitions);
        }

        static Map<String, Long> frozen(Map<String, Long> m) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(m));
        }
    }

    /** The console table. */
    public String render() {
        return TraceDiffTable.render(this);
    }
}
