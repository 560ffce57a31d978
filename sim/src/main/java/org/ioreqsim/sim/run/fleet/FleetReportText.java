package org.ioreqsim.sim.run.fleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The console summary of a {@link FleetReport}, and the lines its HTML page shares. */
public final class FleetReportText {
    /** Host rows in the console (the JSON has every one). */
    private static final int MAX_HOST_ROWS = 20;
    /** Lines of findings, stalled vCPUs, events, lost hosts in the console. */
    private static final int MAX_LINES = 20;

    private FleetReportText() {
    }

    /** The summary lines: label (17 characters) and value. */
    static List<String[]> summary(FleetReport r) {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"fleet", r.shape()});
        long open = r.ioreqs().issued() - r.ioreqs().completed();
        out.add(new String[] {"ioreqs issued", String.format("%,d", r.ioreqs().issued())});
        out.add(new String[] {"ioreqs completed", String.format("%,d%s", r.ioreqs().completed(), open == 0 ? ""
                : String.format("   (%,d still in flight at the end)", open))});
        if (!r.lostHosts().isEmpty()) {
            out.add(new String[] {"HOSTS LOST", r.lostHosts().size() + " host(s) sent no figures (listed below); "
                    + "every figure covers the others"});
        }
        if (r.timing().endedBy().equals("interrupted")) {
            out.add(new String[] {"INTERRUPTED", "the run was stopped (Ctrl-C): every figure covers the run until then"});
        }
        out.add(new String[] {"clock", r.timing().clock().equals("simulated")
                ? "simulated (each host on its own controlled system): a host's figures are the same on any member"
                : "wall-clock (free hosts): figures vary from run to run"});
        out.add(new String[] {"elapsed", String.format("%.3f s   (submitter's clock, starts to the last host's end)",
                r.timing().elapsedSeconds())});
        out.add(new String[] {"throughput", String.format("%,.0f ioreqs/s   (sum of the hosts' steady-state rates; "
                + "overall %,.0f ioreqs/s)", r.throughputPerSec(), r.timing().overallPerSec())});
        out.add(new String[] {"latency (us)", String.format("p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f   "
                        + "(every host's HdrHistogram merged)", r.latencyMicros().p50(), r.latencyMicros().p90(),
                r.latencyMicros().p99(), r.latencyMicros().p999(), r.latencyMicros().max())});
        out.add(new String[] {"buffered writes", String.format("%,d   fell back to sync %,d   lost %,d",
                r.ioreqs().buffered(), r.ioreqs().bufferedFallbackSync(), r.ioreqs().bufferedLost())});
        out.add(new String[] {"control messages", String.format("%,d sent, %,d received (%,d progress), %,.0f/s: "
                + "all that crossed the network", r.network().sent(), r.network().received(), r.network().progress(),
                r.network().perSec())});
        return out;
    }

    static final List<String> MEMBER_COLUMNS = List.of("member", "hosts", "vCPUs", "issued", "completed",
            "ioreqs/s", "p50 us", "p99 us", "max us");
    static final List<String> HOST_COLUMNS = List.of("host", "member", "domains", "vCPUs", "issued", "completed",
            "ioreqs/s", "p50 us", "p99 us", "max us", "ended");

    static List<List<Object>> memberRows(FleetReport r) {
        List<List<Object>> rows = new ArrayList<>();
        r.members().forEach(m -> rows.add(List.of(m.member(), m.hosts(), m.vcpus(), m.issued(), m.completed(),
                m.perSec(), m.p50(), m.p99(), m.max())));
        return rows;
    }

    static List<List<Object>> hostRows(List<FleetReport.HostRow> hosts) {
        List<List<Object>> rows = new ArrayList<>();
        hosts.forEach(h -> rows.add(List.of(h.host(), h.member(), h.domains(), h.vcpus(), h.issued(), h.completed(),
                h.perSec(), h.p50(), h.p99(), h.max(), h.endedBy())));
        return rows;
    }

    /** The console summary. */
    public static String render(FleetReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("ioreq-sim run  seed %d  fleet%n%n", r.seed()));
        summary(r).forEach(l -> sb.append(String.format("  %-17s %s%n", l[0], l[1])));
        String row = "  %-22s %6s %8s %12s %12s %10s %9s %9s %10s%n";
        sb.append(String.format("%n  per member%n")).append(String.format(row, MEMBER_COLUMNS.toArray()));
        memberRows(r).forEach(m -> sb.append(String.format(row, cells(m))));
        List<FleetReport.HostRow> hosts = new ArrayList<>(r.hosts());
        if (hosts.size() > MAX_HOST_ROWS) {
            hosts.sort(Comparator.comparingDouble(FleetReport.HostRow::p99).reversed());
            hosts = hosts.subList(0, MAX_HOST_ROWS);
        }
        String hostRow = "  %-16s %-22s %7s %6s %11s %11s %10s %9s %9s %10s %s%n";
        sb.append(String.format("%n  per host%s%n", r.hosts().size() > MAX_HOST_ROWS ? String.format(
                " (the %d of %,d with the highest p99; --json has all)", MAX_HOST_ROWS, r.hosts().size()) : ""));
        sb.append(String.format(hostRow, HOST_COLUMNS.toArray()));
        hostRows(hosts).forEach(h -> sb.append(String.format(hostRow, cells(h))));
        sb.append(String.format("%n  %-22s %14s %8s%n", "route (all hosts)", "completed", "share"));
        r.ioreqs().byRoute().entrySet().stream().limit(MAX_HOST_ROWS).forEach(e -> sb.append(String.format(
                "  %-22s %,14d %7.1f%%%n", e.getKey(), e.getValue(), 100.0 * e.getValue()
                        / Math.max(1, r.ioreqs().completed()))));
        lines(sb, "hosts lost (no figures)", r.lostHosts());
        lines(sb, "stalled vCPUs", r.stalledVcpus());
        lines(sb, "lifecycle events", r.events());
        lines(sb, "findings", r.findings());
        lines(sb, "emulator failures", r.emulatorFailures());
        return sb.toString();
    }

    private static Object[] cells(List<Object> row) {
        return row.stream().map(c -> c instanceof Long || c instanceof Integer ? String.format("%,d", c)
                : c instanceof Double d ? (d >= 1000 ? String.format("%,.0f", d) : String.format("%.2f", d))
                : String.valueOf(c)).toArray();
    }

    private static void lines(StringBuilder sb, String title, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        sb.append(String.format("%n  %s:%n", title));
        lines.stream().limit(MAX_LINES).forEach(l -> sb.append("    ").append(l).append(System.lineSeparator()));
        if (lines.size() > MAX_LINES) {
            sb.append(String.format("    ... and %,d more (--json has them all)%n", lines.size() - MAX_LINES));
        }
    }
}
