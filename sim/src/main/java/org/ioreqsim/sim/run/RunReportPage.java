package org.ioreqsim.sim.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ioreqsim.sim.report.Charts;
import org.ioreqsim.sim.report.HtmlPage;

/** The HTML page of {@code run --report DIR}: the summary, the tables, and the charts. */
public final class RunReportPage {
    private RunReportPage() {
    }

    public static String html(RunReport r) {
        HtmlPage page = new HtmlPage("ioreq-sim run, seed " + r.seed());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("scenario", RunReport.shape(r.config()));
        Object options = r.config().get("xenOptions");
        summary.put("Xen options", options instanceof List<?> l && l.isEmpty() ? "none: Xen at the seed commit 2c257bd6"
                : options);
        summary.put("ioreqs issued / completed", String.format("%,d / %,d%s", r.ioreqs().issued(),
                r.ioreqs().completed(), r.inFlightNote()));
        for (String line : r.timingLines()) {
            summary.put(line.substring(0, 18).trim(), line.substring(18).trim());
        }
        summary.put("latency (us)", String.format("p50 %.2f, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f",
                r.latencyMicros().p50(), r.latencyMicros().p90(), r.latencyMicros().p99(), r.latencyMicros().p999(),
                r.latencyMicros().max()));
        summary.put("buffered writes", String.format("%,d (fell back to sync: %,d, lost: %,d)", r.ioreqs().buffered(),
                r.ioreqs().bufferedFallbackSync(), r.ioreqs().bufferedLost()));
        summary.put("event channels", String.format("%,d notifications, %,d coalesced, %,d upcalls",
                r.eventChannel().notifications(), r.eventChannel().coalesced(), r.eventChannel().upcalls()));
        page.heading("Summary").keyValues(summary);

        page.heading("Latency").chart("Latency distribution (operations per bucket, microseconds, log2 buckets)",
                Charts.bars("Latency histogram", "latency up to (us)", "operations", latencyBars(r)));
        page.heading("Throughput over time").chart("Completed operations per second over the run",
                Charts.line("Throughput over time", "seconds", "ioreqs/s",
                        r.timeline().stream().map(RunReport.TimelinePoint::seconds).toList(),
                        r.timeline().stream().map(RunReport.TimelinePoint::perSecond).toList()));

        page.heading("Routes");
        List<List<?>> routes = new ArrayList<>();
        r.ioreqs().byRoute().forEach((k, v) -> routes.add(List.of(k, v,
                String.format("%.1f%%", 100.0 * v / Math.max(1, r.ioreqs().completed())))));
        page.table(List.of("route", "completed", "share"), routes)
                .chart("Completions by route", Charts.bars("Completions by route", "route", "completed",
                        r.ioreqs().byRoute()));

        page.heading("Per-server load");
        List<List<?>> rows = new ArrayList<>();
        List<String> names = new ArrayList<>(r.servers().keySet());
        List<Long> sync = new ArrayList<>();
        List<Long> buffered = new ArrayList<>();
        r.servers().forEach((k, s) -> {
            rows.add(List.of(k, s.requests(), s.pio(), s.mmio(), s.pciConfig(), s.bufferedDelivered(),
                    s.bufferedFallbackSync(), s.ringHighWater(), s.notifications(), s.coalesced(), s.upcallsRaised()));
            sync.add(s.requests());
            buffered.add(s.bufferedDelivered());
        });
        Map<String, List<? extends Number>> series = new LinkedHashMap<>();
        series.put("synchronous", sync);
        series.put("buffered", buffered);
        page.paragraph(RunReport.SERVER_COUNTS);
        page.table(List.of("server", "sync", "pio", "mmio", "pci-cfg", "buffered drained", "fallback", "ring hw",
                "notifications", "coalesced", "upcalls"), rows)
                .chart("Requests per server", Charts.groupedBars("Per-server load", "server", "requests", names,
                        series));
        if (!r.fairness().isEmpty()) {
            page.heading("Fairness");
            page.paragraph("Completed operations per member of each group of identical guests; Jain's index is 1 "
                    + "when every member got the same and 1/n when one got everything.");
            page.table(org.ioreqsim.sim.run.Fairness.COLUMNS, new ArrayList<>(org.ioreqsim.sim.run.Fairness.rows(r.fairness())));
            org.ioreqsim.sim.run.Fairness.notes(r.fairness()).forEach(page::paragraph);
        }
        if (!r.events().isEmpty()) {
            page.heading("Lifecycle events");
            List<List<?>> ev = new ArrayList<>();
            r.events().forEach(e -> ev.add(List.of(e.atSeconds() == null ? "-" : String.format("%.3f", e.atSeconds()),
                    e.trigger(), e.action(), e.target(), e.result())));
            page.table(List.of("fired (s)", "trigger", "event", "target", "result"), ev);
        }
        if (!r.stalledVcpus().isEmpty()) {
            page.heading("Stalled vCPUs");
            page.paragraph("The run ended with " + r.stalledVcpus().size() + " vCPU(s) that can make no progress:");
            r.stalledVcpus().forEach(page::paragraph);
        }
        if (!r.findings().isEmpty()) {
            page.heading("Findings");
            r.findings().forEach(page::paragraph);
        }
        if (!r.emulatorFailures().isEmpty()) {
            page.heading("Emulator failures");
            r.emulatorFailures().forEach(page::paragraph);
        }
        return page.render();
    }

    private static Map<String, Long> latencyBars(RunReport r) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (RunReport.LatencyBucket b : r.latencyHistogram()) {
            m.put(b.upToMicros() >= 1000 ? String.format("%.0fms", b.upToMicros() / 1000)
                    : String.format("%.0f", b.upToMicros()), b.count());
        }
        return m;
    }
}
