package org.ioreqsim.sim.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ioreqsim.sim.report.Charts;
import org.ioreqsim.sim.report.HtmlPage;

/** The HTML page of {@code diff SCENARIO --report DIR}: every access template before and now, and a chart. */
public final class ScenarioDiffPage {
    private ScenarioDiffPage() {
    }

    public static String html(ScenarioDiff.Report r) {
        HtmlPage page = new HtmlPage("ioreq-sim diff, seed " + r.seed());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("accesses per vCPU, each run", String.format("%,d", r.requestsPerVcpu()));
        summary.put("before", "Xen before the seed commit, each guest's first emulator on the default ioreq server");
        summary.put("now", "Xen at the seed commit 2c257bd6, no default server");
        summary.put("accesses that changed handling", String.format("%,d", r.changedAccesses()));
        page.heading("Summary").keyValues(summary);

        List<List<?>> rows = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Long> same = new ArrayList<>();
        List<Long> changed = new ArrayList<>();
        for (ScenarioDiff.Row row : r.rows()) {
            long n = row.now().values().stream().mapToLong(Long::longValue).sum();
            rows.add(List.of(row.access(), row.change(), row.before(), row.now(),
                    row.readsBefore(), row.allOnesReadsBefore(), row.readsNow(), row.allOnesReadsNow()));
            names.add(row.access());
            same.add(row.change().equals("same") ? n : 0);
            changed.add(row.change().equals("same") ? 0 : n);
        }
        Map<String, List<? extends Number>> series = new LinkedHashMap<>();
        series.put("handled as before", same);
        series.put("handling changed", changed);
        page.heading("Access templates").table(List.of("access", "change", "before", "now", "reads before",
                "all ones before", "reads now", "all ones now"), rows)
                .chart("Accesses per template, by whether their handling changed", Charts.stackedBars(
                        "Accesses by change", "access template", "accesses", names, series));
        if (!r.events().isEmpty()) {
            List<List<?>> ev = new ArrayList<>();
            r.events().forEach(e -> ev.add(List.of(e.action(), e.target(), e.before(), e.now())));
            page.heading("Lifecycle events whose result differs").table(List.of("event", "target", "before", "now"), ev);
        }
        return page.render();
    }
}
