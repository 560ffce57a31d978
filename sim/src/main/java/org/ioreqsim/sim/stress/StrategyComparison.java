package org.ioreqsim.sim.stress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.ioreqsim.sim.report.HtmlPage;

/**
 * {@code stress --compare-strategies}: the same seeds and programs under every strategy, and for each
 * named race scenario and hazard how many seeds each strategy needed to reach it: the first seed that
 * did (seeds are tried in order from the first), and how many seeds per hit on average over the run.
 *
 * @param seeds      how many seeds each strategy ran, from {@code firstSeed}
 * @param firstSeed  the first seed
 * @param strategies per strategy, what it reached
 */
public record StrategyComparison(int seeds, long firstSeed, Map<String, PerStrategy> strategies) {

    /**
     * @param strategy        the strategy as configured (e.g. {@code pct(d=3)})
     * @param schedulesPerSec its exploration rate
     * @param violations      schedules that broke a rule
     * @param scenarios       race scenario description -> how it was reached
     * @param findings        hazard name -> how it was reached
     */
    public record PerStrategy(String strategy, double schedulesPerSec, int violations, Map<String, Reach> scenarios,
                              Map<String, Reach> findings) {
    }

    /**
     * @param schedules   schedules that reached it
     * @param seedsNeeded seeds run until the first one reached it (1 = the first seed), or -1 if none did
     * @param seedsPerHit seeds per schedule that reached it ({@code seeds / schedules}), or -1
     */
    public record Reach(int schedules, long seedsNeeded, double seedsPerHit) {
    }

    /** Runs every strategy over {@code seeds} seeds with {@code cfg}'s shape, fixes, faults and depth. */
    public static StrategyComparison run(StressConfig cfg, long firstSeed, int seeds, int workers) {
        Map<String, PerStrategy> out = new LinkedHashMap<>();
        for (String s : StressConfig.STRATEGIES) {
            StressReport r = StressRunner.run(new StressRunner.Options(cfg.withStrategy(s, cfg.depth()), firstSeed, seeds,
                    workers, null, false, false, 0, "ioreq-sim stress --compare-strategies"), n -> { });
            Map<String, Reach> scenarios = new LinkedHashMap<>();
            r.coverage().values().forEach(c -> scenarios.put(c.description(),
                    reach(c.reached() ? c.schedules() : 0, c.firstSeed(), firstSeed, seeds)));
            Map<String, Reach> findings = new LinkedHashMap<>();
            r.findings().forEach((name, f) -> findings.put(name, reach(f.schedules(), f.firstSeed(), firstSeed, seeds)));
            out.put(s, new PerStrategy(r.strategy(), r.schedulesPerSec(), r.violations(), scenarios, findings));
        }
        return new StrategyComparison(seeds, firstSeed, out);
    }

    private static Reach reach(int schedules, long first, long firstSeed, int seeds) {
        return schedules == 0 ? new Reach(0, -1, -1)
                : new Reach(schedules, first - firstSeed + 1, Math.round(10.0 * seeds / schedules) / 10.0);
    }

    /** Rows: scenarios, then hazards; columns: strategies; cells: "seeds needed (1 in K)". */
    List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
        PerStrategy any = strategies.values().iterator().next();
        for (String scenario : any.scenarios().keySet()) {
            rows.add(row(scenario, p -> p.scenarios().get(scenario)));
        }
        TreeSet<String> hazards = new TreeSet<>();
        strategies.values().forEach(p -> hazards.addAll(p.findings().keySet()));
        for (String h : hazards) {
            rows.add(row(h, p -> p.findings().get(h)));
        }
        return rows;
    }

    private List<String> row(String name, java.util.function.Function<PerStrategy, Reach> of) {
        List<String> row = new ArrayList<>();
        row.add(name);
        for (PerStrategy p : strategies.values()) {
            Reach r = of.apply(p);
            row.add(r == null || r.schedules() == 0 ? "not reached"
                    : String.format(Locale.ROOT, "%d (1 in %s)", r.seedsNeeded(), trim(r.seedsPerHit())));
        }
        return row;
    }

    private List<String> header() {
        List<String> h = new ArrayList<>();
        h.add("race scenario / hazard");
        strategies.values().forEach(p -> h.add(p.strategy()));
        return h;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** The console table. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "ioreq-sim stress --compare-strategies: seeds %d..%d under each strategy%n",
                firstSeed, firstSeed + seeds - 1));
        sb.append("seeds needed to first reach each scenario (and on average, 1 in K seeds reach it):")
                .append(System.lineSeparator());
        List<String> header = header();
        List<List<String>> rows = rows();
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        appendRow(sb, header, w);
        for (List<String> r : rows) {
            appendRow(sb, r, w);
        }
        strategies.values().forEach(p -> sb.append(String.format(Locale.ROOT, "%s: %,.1f schedules/s, %d violation(s)%n",
                p.strategy(), p.schedulesPerSec(), p.violations())));
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] w) {
        sb.append(' ');
        for (int i = 0; i < cells.size(); i++) {
            sb.append(' ').append(i == 0 ? pad(cells.get(i), w[i]) : padLeft(cells.get(i), w[i]));
        }
        sb.append(System.lineSeparator());
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }

    private static String padLeft(String s, int w) {
        return " ".repeat(w - s.length()) + s;
    }

    /** The HTML page of {@code --report DIR}. */
    public String html() {
        HtmlPage page = new HtmlPage("ioreq-sim stress --compare-strategies");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("seeds", firstSeed + ".." + (firstSeed + seeds - 1));
        strategies.values().forEach(p -> summary.put(p.strategy(), String.format(Locale.ROOT,
                "%.1f schedules/s, %d violation(s)", p.schedulesPerSec(), p.violations())));
        page.heading("Summary").keyValues(summary);
        page.paragraph("Each cell: the seeds run until the first one reached the scenario, and (1 in K) how many "
                + "seeds per schedule that reached it over the whole run.");
        List<List<?>> rows = new ArrayList<>(rows());
        page.heading("Seeds needed").table(header(), rows);
        return page.render();
    }
}
