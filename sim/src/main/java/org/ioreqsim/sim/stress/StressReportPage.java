package org.ioreqsim.sim.stress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ioreqsim.sim.report.Charts;
import org.ioreqsim.sim.report.HtmlPage;

/**
 * The HTML pages of {@code stress --report DIR} and {@code replay --report DIR}: the campaign's
 * summary, violations, findings (with a chart of schedules per hazard) and race-scenario coverage; a
 * replay's verdict and its steps.
 */
public final class StressReportPage {
    private StressReportPage() {
    }

    public static String html(StressReport r) {
        HtmlPage page = new HtmlPage("ioreq-sim stress");
        Map<String, Object> summary = new LinkedHashMap<>();
        if (r.interrupted()) {
            summary.put("INTERRUPTED", String.format(java.util.Locale.ROOT, "%,d of %,d schedules finished before "
                    + "Ctrl-C; the figures cover those", r.schedules(), r.asked()));
        }
        if (r.lost() != null) {
            summary.put("LOST", String.format(java.util.Locale.ROOT, "%s; %,d of %,d schedules finished, %,d seeds "
                    + "did not run (%s); the figures cover the finished ones", r.lost().reason(), r.schedules(),
                    r.asked(), r.lost().seeds(), r.lost().describe(20)));
        }
        summary.put("mode", r.mode());
        summary.put("strategy", r.strategy());
        summary.put("seeds", r.firstSeed() + ".." + (r.firstSeed() + r.asked() - 1));
        summary.put("shape", r.config().domains() + " domain(s) x up to " + r.config().vcpus() + " vCPUs, up to "
                + r.config().servers() + " servers, up to " + r.config().ops() + " ops");
        summary.put("fixes", r.config().fixes().isEmpty() ? "none (seed behaviour)" : String.join(", ", r.config().fixes()));
        summary.put("faults", r.config().faults().isEmpty() ? "none" : String.join(", ", r.config().faults()));
        summary.put("schedules/s", r.schedulesPerSec());
        summary.put("steps/s", r.stepsPerSec());
        summary.put("workers", r.workers());
        summary.put("violations", r.violations());
        summary.put("run digest", r.runDigest());
        page.heading("Summary").keyValues(summary);
        if (!r.members().isEmpty()) {
            page.heading("Cluster members");
            List<List<?>> members = new ArrayList<>();
            for (StressReport.MemberEntry m : r.members()) {
                members.add(List.of(m.member(), m.workers(), m.schedules(), m.steps(),
                        String.format(java.util.Locale.ROOT, "%.2f", m.busySeconds()), m.reruns()));
            }
            page.table(List.of("member", "workers", "schedules", "steps", "busy seconds", "seeds re-run"), members);
        }

        page.heading("Violations");
        if (r.violationList().isEmpty()) {
            page.paragraph("none");
        } else {
            List<List<?>> rows = new ArrayList<>();
            for (StressReport.ViolationEntry v : r.violationList()) {
                rows.add(List.of(v.seed(), v.rule(), v.step(), v.detail(), link(v.trace()), text(v.shrunk()),
                        link(v.junit())));
            }
            page.table(List.of("seed", "rule", "step", "detail", "trace", "shrunk", "JUnit test"), rows);
        }

        page.heading("Findings (known Xen hazards, not failures)");
        Map<String, Integer> perHazard = new LinkedHashMap<>();
        List<List<?>> findings = new ArrayList<>();
        Map<String, StressReport.FindingEntry> sorted = new java.util.TreeMap<>(
                org.ioreqsim.sim.NaturalOrder.INSTANCE);
        sorted.putAll(r.findings());
        sorted.forEach((name, f) -> {
                    perHazard.put(name, f.schedules());
                    findings.add(List.of(name, f.schedules(), f.firstSeed(), f.description(), text(f.fixedBy()),
                            link(f.trace())));
                });
        page.chart("schedules per hazard", Charts.bars("Schedules that reached each hazard", "hazard", "schedules",
                perHazard));
        page.table(List.of("hazard", "schedules", "first seed", "what it is", "fixed by", "trace"), findings);

        page.heading("Race scenarios");
        List<List<?>> coverage = new ArrayList<>();
        r.coverage().values().forEach(c -> coverage.add(List.of(c.description(), c.reached() ? "reached" : "not reached",
                c.schedules(), c.reached() ? c.firstSeed() : "")));
        page.table(List.of("scenario", "reached", "schedules", "first seed"), coverage);
        return page.render();
    }

    /** A replay: the verdict, then every step (actor, message) with the model events it caused. */
    public static String html(Map<String, Object> verdict, ScheduleResult r) {
        HtmlPage page = new HtmlPage("ioreq-sim replay " + verdict.get("file"));
        page.heading("Verdict").keyValues(verdict);
        Map<Integer, List<String>> events = Replay.eventsByStep(r);
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < r.steps(); i++) {
            rows.add(List.of(i, r.decisions().get(i), r.details().get(i), String.join("; ", events.getOrDefault(i, List.of()))));
        }
        page.heading("Steps").table(List.of("step", "actor", "message", "model events"), rows, Integer.MAX_VALUE);
        return page.render();
    }

    /** A file the run wrote, as a link that opens it from the page wherever the page is. */
    private static Object link(String path) {
        return path == null ? "" : new org.ioreqsim.sim.report.HtmlPage.Link(path,
                java.nio.file.Path.of(path).toAbsolutePath().toUri().toString());
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
