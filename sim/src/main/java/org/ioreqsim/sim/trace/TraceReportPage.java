package org.ioreqsim.sim.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.ioreqsim.sim.report.Charts;
import org.ioreqsim.sim.report.HtmlPage;

/**
 * The HTML pages of {@code trace --report DIR} and {@code diff TRACE --report DIR}: the summary, the
 * charts (accesses per region stacked by route; value mismatches or changed values per region) and the
 * tables. Charts show the most accessed regions; the rest are summed as one bar.
 */
public final class TraceReportPage {
    /** Regions drawn one bar each; the rest are summed in {@link #OTHERS}. */
    static final int MAX_REGIONS = 30;
    static final String OTHERS = "(other regions)";

    private TraceReportPage() {
    }

    public static String html(TraceReport r) {
        HtmlPage page = new HtmlPage("ioreq-sim trace " + r.file());
        Map<String, Object> summary = new LinkedHashMap<>();
        if (r.interrupted()) {
            summary.put("INTERRUPTED", String.format("replayed %,d accesses before Ctrl-C; the figures cover those",
                    r.replayed()));
        }
        summary.put("layout", r.layout());
        summary.put("seed, vCPUs", r.seed() + ", " + r.vcpus());
        summary.put("lines / events / replayed", String.format("%,d / %,d / %,d (device-originated %,d)", r.lines(),
                r.events(), r.replayed(), r.deviceOriginated()));
        summary.put("reads", String.format("%,d: compared %,d, answered by Xen's emulators %,d", r.reads(),
                r.readsCompared(), r.readsXenAssumed()));
        summary.put("value mismatches", r.valueMismatches());
        summary.put("routes", r.routes());
        summary.put("buffered writes", r.buffered());
        summary.put("QEMU listener dm_ops", String.format("%,d (refused %,d)", r.listenerDmOps(),
                r.listenerFailures()));
        summary.put("elapsed", r.elapsedSeconds() + " s");
        if (!r.layoutNotes().isEmpty()) {
            summary.put("layout derived", String.join("; ", r.layoutNotes()));
        }
        if (!r.unassignedClaimed().isEmpty()) {
            summary.put("layout claims what the trace shows unassigned", r.unassignedClaimed().stream()
                    .map(c -> c.region() + " " + c.space() + " " + c.start() + (c.space().equals("pci") ? ""
                            : "-" + c.end() + " (" + c.accesses() + ")")).toList());
        }
        page.heading("Summary").keyValues(summary);

        Map<String, Map<String, Long>> routes = new LinkedHashMap<>();
        r.byRegion().forEach((k, v) -> routes.put(k, v.routes()));
        page.heading("Routes per region").chart("Replayed accesses per region, stacked by where Xen sent them (when one region dwarfs the rest: the totals on a log scale, routes in the table)",
                stacked("Accesses per region by route", routes));
        Map<String, Long> mismatches = new LinkedHashMap<>();
        r.byRegion().forEach((k, v) -> {
            if (v.valueMismatches() > 0) {
                mismatches.put(k, v.valueMismatches());
            }
        });
        page.heading("Value mismatches per region").chart("Reads whose simulated value differs from the recorded one",
                Charts.bars("Value mismatches per region", "region", "reads", mismatches));

        List<List<?>> rows = new ArrayList<>();
        r.byRegion().forEach((k, g) -> rows.add(List.of(k, g.count(), g.reads(), g.buffered(), g.valueMismatches(),
                g.xenAssumed(), g.notCompleted(), g.deviceOriginated(), g.routes())));
        page.heading("Regions").table(List.of("region", "accesses", "reads", "buffered", "mismatches", "xen-read",
                "not completed", "dev(-1)", "routes"), rows);
        List<List<?>> examples = new ArrayList<>();
        r.byRegion().forEach((k, g) -> g.mismatchExamples().forEach(m -> examples.add(List.of(k, m.line(), m.cpu(),
                m.addr(), m.size(), m.recorded(), m.sim(), m.route()))));
        if (!examples.isEmpty()) {
            page.heading("Mismatch examples").table(List.of("region", "line", "cpu", "addr", "size", "recorded", "sim",
                    "route"), examples);
        }
        return page.render();
    }

    public static String html(TraceDiffReport r) {
        HtmlPage page = new HtmlPage("ioreq-sim diff " + r.file());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("layout, seed, vCPUs", r.layout() + ", " + r.seed() + ", " + r.vcpus());
        summary.put("before", "Xen " + r.before().xen() + "; " + r.before().emulator());
        summary.put("now", "Xen " + r.now().xen() + "; " + r.now().emulator());
        summary.put("replayed", r.replayed());
        summary.put("handling changed", r.changed());
        r.byChange().forEach((k, v) -> summary.put("  " + k, v));
        summary.put("reads (completed in both)", String.format("%,d (%,d)", r.reads(), r.readsCompared()));
        summary.put("reads whose value changed", r.valuesChanged());
        summary.put("routes before", r.before().routes());
        summary.put("routes now", r.now().routes());
        page.heading("Summary").keyValues(summary);

        Map<String, Map<String, Long>> before = new LinkedHashMap<>();
        Map<String, Map<String, Long>> now = new LinkedHashMap<>();
        Map<String, Map<String, Long>> change = new LinkedHashMap<>();
        Map<String, Long> values = new LinkedHashMap<>();
        r.byRegion().forEach((k, d) -> {
            before.put(k, sum(d.transitions(), TraceDiffReport.Transition::before));
            now.put(k, sum(d.transitions(), TraceDiffReport.Transition::now));
            change.put(k, d.byChange());
            if (d.valuesChanged() > 0) {
                values.put(k, d.valuesChanged());
            }
        });
        page.heading("Before and now").chart("Accesses per region by how their handling changed",
                stacked("Accesses per region by change", change));
        page.chart("Before the seed: accesses per region by route", stacked("Before: accesses per region by route",
                before));
        page.chart("At the seed: accesses per region by route", stacked("Now: accesses per region by route", now));
        page.heading("Changed values per region").chart("Reads the guest sees with another value (before: the "
                + "default server's recorded value; now: what the seed answers)",
                Charts.bars("Reads with a changed value per region", "region", "reads", values));

        List<List<?>> kinds = new ArrayList<>();
        r.byKind().forEach((k, s) -> kinds.add(List.of(k, s.count(), s.changed(), s.byChange().get("default-to-null"),
                s.byChange().get("default-to-server"), s.byChange().get("other"), s.reads(), s.valuesChanged())));
        page.heading("By request kind").table(List.of("kind", "accesses", "changed", "to null", "to server", "other",
                "reads", "values changed"), kinds);
        List<List<?>> rows = new ArrayList<>();
        List<List<?>> examples = new ArrayList<>();
        r.byRegion().forEach((k, d) -> d.transitions().forEach(t -> {
            if (!t.change().equals("same")) {
                rows.add(List.of(k, t.kind(), t.before(), t.now(), t.change(), t.count(), t.reads(), t.valuesChanged()));
            }
            t.examples().forEach(x -> examples.add(List.of(k, x.line(), x.cpu(), x.addr(), x.size(), x.recorded(),
                    x.before() + " via " + t.before(), x.now() + " via " + t.now())));
        }));
        page.heading("Changed handling by region").table(List.of("region", "kind", "before", "now", "change",
                "accesses", "reads", "values changed"), rows);
        if (!examples.isEmpty()) {
            page.heading("Changed values").table(List.of("region", "line", "cpu", "addr", "size", "recorded",
                    "before", "now"), examples);
        }
        return page.render();
    }

    private static Map<String, Long> sum(List<TraceDiffReport.Transition> ts,
                                         Function<TraceDiffReport.Transition, String> key) {
        Map<String, Long> m = new TreeMap<>();
        ts.forEach(t -> m.merge(key.apply(t), t.count(), Long::sum));
        return m;
    }

    /**
     * One bar per region (the {@link #MAX_REGIONS} first, the rest summed), stacked by series; series in
     * order of their total, largest first.
     */
    static String stacked(String title, Map<String, Map<String, Long>> byRegion) {
        List<String> regions = new ArrayList<>();
        Map<String, Map<String, Long>> bars = new LinkedHashMap<>();
        byRegion.forEach((region, counts) -> {
            String bar = regions.size() < MAX_REGIONS ? region : OTHERS;
            if (!bar.equals(OTHERS) || !regions.contains(OTHERS)) {
                regions.add(bar);
            }
            counts.forEach((s, n) -> bars.computeIfAbsent(bar, b -> new TreeMap<>()).merge(s, n, Long::sum));
        });
        Map<String, Long> totals = new TreeMap<>();
        bars.values().forEach(m -> m.forEach((s, n) -> totals.merge(s, n, Long::sum)));
        Map<String, List<? extends Number>> series = new LinkedHashMap<>();
        totals.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e -> {
                    List<Long> ys = new ArrayList<>();
                    regions.forEach(region -> ys.add(bars.getOrDefault(region, Map.of()).getOrDefault(e.getKey(), 0L)));
                    series.put(e.getKey(), ys);
                });
        return Charts.stackedBars(title, "region", "accesses", series.isEmpty() ? List.of() : regions, series);
    }
}
