package org.ioreqsim.sim.trace;

import java.util.Map;
import java.util.stream.Collectors;

/** The console summary of a {@link TraceReport}: totals, then one row per trace region. */
final class TraceReportTable {
    private TraceReportTable() {
    }

    static String render(TraceReport r) {
        StringBuilder b = new StringBuilder();
        if (r.interrupted()) {
            b.append(String.format("INTERRUPTED: replayed %,d accesses before Ctrl-C; the figures below cover those%n",
                    r.replayed()));
        }
        b.append(String.format("ioreq-sim trace  %s  layout %s  seed %d  %d vCPU(s)%n%n", r.file(), r.layout(),
                r.seed(), r.vcpus()));
        b.append(String.format("  lines %,d = events %,d + other lines %,d%s%n", r.lines(), r.events(), r.otherLines(),
                r.otherLinesByKind().isEmpty() ? "" : "  " + counts(r.otherLinesByKind())));
        b.append(String.format(r.interrupted() ? "  events %,d: replayed %,d before the interruption, device-originated "
                + "(cpu -1) %,d%n" : "  events %,d = replayed %,d + device-originated (cpu -1) %,d%n", r.events(),
                r.replayed(), r.deviceOriginated()));
        b.append(String.format("  reads %,d: compared %,d, answered by Xen's emulators (assumed equal) %,d%n",
                r.reads(), r.readsCompared(), r.readsXenAssumed()));
        b.append(String.format("  value mismatches %,d    buffered writes %,d    elapsed %.3f s%n", r.valueMismatches(),
                r.buffered(), r.elapsedSeconds()));
        b.append(String.format("  routes   %s%n", counts(r.routes())));
        b.append(String.format("  outcomes %s%n", counts(r.outcomes())));
        b.append(String.format("  QEMU listener dm_ops %,d (refused %,d)%n", r.listenerDmOps(), r.listenerFailures()));
        r.listenerErrors().forEach(e -> b.append("    refused: ").append(e).append('\n'));
        if (r.answerMisses() > 0) {
            b.append(String.format("  replay devices asked for a read other than the current one: %,d%n",
                    r.answerMisses()));
        }
        r.layoutNotes().forEach(n -> b.append("  layout: ").append(n).append('\n'));
        for (TraceReport.UnassignedClaim c : r.unassignedClaimed()) {
            b.append(c.space().equals("pci")
                    ? String.format("  layout claims PCI function %s (%s), which the trace shows absent%n", c.start(),
                            c.region())
                    : String.format("  layout claims %s %s-%s (%s), where the trace shows %,d unassigned access(es)%n",
                            c.space(), c.start(), c.end(), c.region(), c.accesses()));
        }
        b.append('\n');
        b.append(String.format("  %-24s %9s %8s %8s %8s %9s %8s  %s%n", "region", "accesses", "reads", "buffered",
                "mismatch", "xen-read", "dev(-1)", "routes"));
        for (Map.Entry<String, TraceReport.RegionReport> e : r.byRegion().entrySet()) {
            TraceReport.RegionReport g = e.getValue();
            b.append(String.format("  %-24s %,9d %,8d %,8d %,8d %,9d %,8d  %s%n", clip(e.getKey()), g.count(),
                    g.reads(), g.buffered(), g.valueMismatches(), g.xenAssumed(), g.deviceOriginated(),
                    counts(g.routes())));
        }
        for (Map.Entry<String, TraceReport.RegionReport> e : r.byRegion().entrySet()) {
            for (TraceReport.Mismatch m : e.getValue().mismatchExamples()) {
                b.append(String.format("  mismatch %s line %d cpu %d: %s size %d recorded %s, sim %s via %s%n",
                        e.getKey(), m.line(), m.cpu(), m.addr(), m.size(), m.recorded(), m.sim(), m.route()));
            }
        }
        return b.toString();
    }

    private static String counts(Map<String, Long> m) {
        return m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + String.format("%,d", e.getValue())).collect(Collectors.joining(", "));
    }

    private static String clip(String s) {
        return s.length() <= 24 ? s : s.substring(0, 23) + "~";
    }
}
