package org.ioreqsim.sim.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ioreqsim.ioreq.Route;
import org.ioreqsim.ioreq.Xen;
import org.ioreqsim.ioreq.device.IoDevice;

/**
 * Replays one trace twice in one JVM, first with Xen before the seed commit and QEMU on the default
 * ioreq server, then with Xen at the seed and QEMU on its own server ({@link TraceReplay}), and
 * compares the two access by access: where each was handled before and now, and which reads the guest
 * would have seen with a different value. Accesses are grouped by region, by request kind and by the
 * pair (route before, route now).
 */
public final class TraceDiff {
    /** Examples of changed values kept per row. */
    static final int EXAMPLES = 3;
    /** What marks the default server's route before the seed: {@code server-1-0 (default)}. */
    static final String DEFAULT_SUFFIX = " (default)";

    /** How one access's handling changed. */
    enum Change {
        /** The same handler both times (Xen's internal emulators). */
        SAME("same"),
        /** The default server before, the emulator's own server now: it registered the range. */
        DEFAULT_TO_SERVER("default-to-server"),
        /** The default server before, the null handler now: no server claims it after the seed. */
        DEFAULT_TO_NULL("default-to-null"),
        /** Anything else (an access that did not complete in one of the runs). */
        OTHER("other");

        final String key;

        Change(String key) {
            this.key = key;
        }
    }

    /** The request kinds a row is split by. */
    enum Kind {
        PORT_READ("port-read"), PORT_WRITE("port-write"), MMIO_READ("mmio-read"), MMIO_WRITE("mmio-write"),
        PCI_CONFIG_READ("pci-config-read"), PCI_CONFIG_WRITE("pci-config-write");

        final String key;

        Kind(String key) {
            this.key = key;
        }
    }

    private TraceDiff() {
    }

    /** Replays {@code trace} before and at the seed and compares them. */
    public static TraceDiffReport run(QemuTrace trace, TraceLayout layout, long seed) {
        TraceReplay.Logged before;
        TraceReplay.Logged now;
        try (TraceReplay r = new TraceReplay(trace, layout, seed, true)) {
            before = r.runLogged();
        }
        try (TraceReplay r = new TraceReplay(trace, layout, seed, false)) {
            now = r.runLogged();
        }
        return compare(trace, before, now);
    }

    /** One row being counted: a region's accesses of one kind that went from one route to another. */
    private static final class Row {
        final String region;
        final Kind kind;
        final String before;
        final String now;
        final Change change;
        long count;
        long reads;
        long compared;
        long valuesChanged;
        long bufferedBefore;
        long bufferedNow;
        final List<TraceDiffReport.ValueChange> examples = new ArrayList<>();

        Row(String region, Kind kind, String before, String now, Change change) {
            this.region = region;
            this.kind = kind;
            this.before = before;
            this.now = now;
            this.change = change;
        }

        TraceDiffReport.Transition freeze() {
            return new TraceDiffReport.Transition(kind.key, before, now, change.key, count, reads, compared,
                    valuesChanged, bufferedBefore, bufferedNow, List.copyOf(examples));
        }
    }

    static TraceDiffReport compare(QemuTrace trace, TraceReplay.Logged before, TraceReplay.Logged now) {
        Map<String, Row> rows = new HashMap<>();
        long cf8 = 0;
        for (int i = 0; i < trace.accesses(); i++) {
            TraceAccess a = trace.access(i);
            Kind kind = kind(a, cf8);
            cf8 = latch(a, cf8);
            Route rb = before.log().route(i);
            Route rn = now.log().route(i);
            String lb = label(rb, true);
            String ln = label(rn, false);
            String region = trace.regions().get(trace.regionId(i));
            boolean done = before.log().done(i) && now.log().done(i);
            Change change = change(rn, lb, ln, before.log().done(i), now.log().done(i));
            Row row = rows.computeIfAbsent(region + '\0' + kind + '\0' + lb + '\0' + ln + '\0' + change,
                    k -> new Row(region, kind, lb, ln, change));
            row.count++;
            row.bufferedBefore += before.log().buffered(i) ? 1 : 0;
            row.bufferedNow += now.log().buffered(i) ? 1 : 0;
            if (!a.isRead()) {
                continue;
            }
            row.reads++;
            if (!done) {
                continue;
            }
            row.compared++;
            long vb = IoDevice.truncate(before.log().value(i), a.size());
            long vn = IoDevice.truncate(now.log().value(i), a.size());
            if (vb != vn) {
                row.valuesChanged++;
                if (row.examples.size() < EXAMPLES) {
                    row.examples.add(new TraceDiffReport.ValueChange(a.line(), a.cpu(), TraceReport.hex(a.addr()),
                            a.size(), TraceReport.hex(a.maskedValue()), TraceReport.hex(vb), TraceReport.hex(vn)));
                }
            }
        }
        return TraceDiffReport.of(before.report(), now.report(), group(rows.values()));
    }

    /** The rows by region, each region's rows changed first, then by count. */
    private static Map<String, List<TraceDiffReport.Transition>> group(Iterable<Row> rows) {
        Map<String, List<Row>> byRegion = new TreeMap<>();
        rows.forEach(r -> byRegion.computeIfAbsent(r.region, k -> new ArrayList<>()).add(r));
        Map<String, List<TraceDiffReport.Transition>> out = new LinkedHashMap<>();
        byRegion.forEach((region, list) -> {
            list.sort(Comparator.comparing((Row r) -> r.change == Change.SAME)
                    .thenComparing(r -> -r.count).thenComparing(r -> r.kind).thenComparing(r -> r.before)
                    .thenComparing(r -> r.now));
            out.put(region, list.stream().map(Row::freeze).toList());
        });
        return out;
    }

    /**
     * The kind of an access as Xen sees it: a port access to 0xCFC..0xCFF while CF8 bit 31 is set is a
     * PCI config cycle (section 6, step 3), whether or not a server claims its SBDF.
     */
    static Kind kind(TraceAccess a, long cf8) {
        if (a.isPortIo()) {
            if ((a.addr() & ~3L) == Xen.PCI_CFC && (cf8 & 0x8000_0000L) != 0) {
                return a.isRead() ? Kind.PCI_CONFIG_READ : Kind.PCI_CONFIG_WRITE;
            }
            return a.isRead() ? Kind.PORT_READ : Kind.PORT_WRITE;
        }
        return a.isRead() ? Kind.MMIO_READ : Kind.MMIO_WRITE;
    }

    /** Xen's CF8 latch (section 6.1): only a 4-byte write at 0xCF8 changes it; domain-wide. */
    static long latch(TraceAccess a, long cf8) {
        return a.isPortIo() && !a.isRead() && a.addr() == Xen.PCI_CF8 && a.size() == 4 ? a.maskedValue() : cf8;
    }

    /** A route's report key; before the seed, server 0 is the default server and says so. */
    static String label(Route r, boolean beforeSeed) {
        if (beforeSeed && r.kind() == Route.Kind.SERVER && r.serverId() == Xen.DEFAULT_IOSERVID) {
            return r.key() + DEFAULT_SUFFIX;
        }
        return r.key();
    }

    private static Change change(Route now, String lb, String ln, boolean doneBefore, boolean doneNow) {
        if (lb.equals(ln) && doneBefore == doneNow) {
            return Change.SAME;
        }
        if (!doneBefore || !doneNow) {
            return Change.OTHER;
        }
        boolean wasDefault = lb.endsWith(DEFAULT_SUFFIX);
        if (wasDefault && now.kind() == Route.Kind.SERVER) {
            return Change.DEFAULT_TO_SERVER;
        }
        if (wasDefault && now.kind() == Route.Kind.NULL) {
            return Change.DEFAULT_TO_NULL;
        }
        return Change.OTHER;
    }
}
