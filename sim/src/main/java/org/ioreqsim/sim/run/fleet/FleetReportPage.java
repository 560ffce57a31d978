package org.ioreqsim.sim.run.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ioreqsim.sim.report.Charts;
import org.ioreqsim.sim.report.HtmlPage;
import org.ioreqsim.sim.run.RunReport;

/** The HTML page of a fleet run's {@code --report DIR}: the summary, the members, the hosts, the charts. */
public final class FleetReportPage {
    private FleetReportPage() {
    }

    public static String html(FleetReport r) {
        HtmlPage page = new HtmlPage("ioreq-sim fleet run, seed " + r.seed());
        Map<String, Object> summary = new LinkedHashMap<>();
        FleetReportText.summary(r).forEach(l -> summary.put(l[0], l[1]));
        page.heading("Summary").keyValues(summary);

        page.heading("Members");
        page.paragraph("Each member ran the machines of the hosts it holds; its latencies are its hosts' "
                + "HdrHistograms merged.");
        page.table(FleetReportText.MEMBER_COLUMNS, FleetReportText.memberRows(r));
        Map<String, Long> perMember = new LinkedHashMap<>();
        r.members().forEach(m -> perMember.put(m.member(), m.completed()));
        page.chart("Completions per member", Charts.bars("Completions per member", "member", "completed", perMember));

        page.heading("Hosts");
        page.table(FleetReportText.HOST_COLUMNS, FleetReportText.hostRows(r.hosts()), 200);

        page.heading("Latency").chart("Latency distribution over every host (operations per bucket, microseconds)",
                Charts.bars("Latency histogram", "latency up to (us)", "operations", latencyBars(r)));

        page.heading("Routes");
        List<List<?>> routes = new ArrayList<>();
        r.ioreqs().byRoute().forEach((k, v) -> routes.add(List.of(k, v,
                String.format("%.1f%%", 100.0 * v / Math.max(1, r.ioreqs().completed())))));
        page.paragraph("Completions of every host by where they were handled; a route names a domid and server id "
                + "of its own host, so server-1-0 sums the first guest's first server over the hosts.");
        page.table(List.of("route", "completed", "share"), routes);
        section(page, "Hosts lost", r.lostHosts());
        section(page, "Stalled vCPUs", r.stalledVcpus());
        section(page, "Lifecycle events", r.events());
        section(page, "Findings", r.findings());
        section(page, "Emulator failures", r.emulatorFailures());
        return page.render();
    }

    private static void section(HtmlPage page, String title, List<String> lines) {
        if (!lines.isEmpty()) {
            page.heading(title);
            lines.stream().limit(200).forEach(page::paragraph);
            if (lines.size() > 200) {
                page.paragraph("... and " + (lines.size() - 200) + " more (report.json has them all)");
            }
        }
    }

    private static Map<String, Long> latencyBars(FleetReport r) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (RunReport.LatencyBucket b : r.latencyHistogram()) {
            m.put(b.upToMicros() >= 1000 ? String.format("%.0fms", b.upToMicros() / 1000)
                    : String.format("%.0f", b.upToMicros()), b.count());
        }
        return m;
    }
}
