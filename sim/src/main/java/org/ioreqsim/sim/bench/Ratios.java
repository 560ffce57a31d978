package org.ioreqsim.sim.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every timed ratio of a run, one way: the median of the per-repetition ratios, with their spread (min,
 * median, max) and the machine's load average before and after the measurement, so a reader can see how
 * far one figure can be trusted. A quick run's single short repetition per side gives ratios that swing
 * from a fraction to nearly twice the real one on an idle machine, so {@code --quick} does not print them.
 */
final class Ratios {
    private Ratios() {
    }

    static Figure of(String name, BenchPlan plan, Paired.Runs runs, Map<String, Object> cfg, double loadBefore,
                     String what) {
        if (plan.mode().equals("quick")) {
            return Figure.notMeasured(name, "ratio", "not with --quick (one short run per side does not give a "
                    + "ratio that holds)");
        }
        List<Double> ratios = runs.ratios();
        Map<String, Object> c = new LinkedHashMap<>(cfg);
        c.put("what", what);
        c.put("perRun", SyncBench.rounded(ratios));
        c.put("spread", Stats.spread(ratios));
        c.put("loadAverage", Map.of("before", loadBefore, "after", Stats.loadAverage()));
        return Figure.of(name, Stats.round(Stats.median(ratios), 3), "ratio", c);
    }
}
