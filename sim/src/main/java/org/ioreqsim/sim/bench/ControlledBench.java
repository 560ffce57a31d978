package org.ioreqsim.sim.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ioreqsim.sim.stress.StressConfig;
import org.ioreqsim.sim.stress.StressReport;
import org.ioreqsim.sim.stress.StressRunner;

/**
 * Section {@code controlled}: the stress harness's default campaign ({@code ./ioreq-sim stress}: PCT of
 * depth 3 over swarm-drawn programs on 1 domain x up to 2 vCPUs and 2 servers, seed behaviour) on the
 * deterministic scheduler, with one worker per core as the command runs it and with one worker. No
 * traces are written or shrunk, so the figures are the exploration rate alone. One untimed campaign
 * warms the JIT up first.
 */
final class ControlledBench {
    private ControlledBench() {
    }

    static List<Figure> run(BenchPlan plan, Paired.Progress progress) {
        int cores = Runtime.getRuntime().availableProcessors();
        StressConfig cfg = StressConfig.defaults();
        List<Figure> out = new ArrayList<>();
        progress.note("controlled: warm-up");
        campaign(cfg, plan.controlledSeeds(), cores);
        for (int workers : cores > 1 ? List.of(cores, 1) : List.of(1)) {
            List<Double> schedules = new ArrayList<>();
            List<Double> steps = new ArrayList<>();
            double load = Stats.loadAverage();
            long violations = 0;
            for (int r = 0; r < plan.runs(); r++) {
                progress.note("controlled: " + plan.controlledSeeds() + " schedules, " + workers + " worker(s)");
                StressReport rep = campaign(cfg, plan.controlledSeeds(), workers);
                schedules.add(rep.schedulesPerSec());
                steps.add(rep.stepsPerSec());
                violations += rep.violations();
            }
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("scenario", "ioreq-sim stress defaults: " + cfg.strategy() + " d=" + cfg.depth() + ", " + cfg.domains()
                    + " domain x up to " + cfg.vcpus() + " vCPUs, up to " + cfg.servers() + " servers, up to "
                    + cfg.ops() + " ops, swarm, seed behaviour");
            c.put("seeds", "1.." + plan.controlledSeeds());
            c.put("workers", workers);
            c.put("runs", plan.runs());
            c.put("violations", violations);
            c.put("loadAverage", java.util.Map.of("before", load, "after", Stats.loadAverage()));
            String prefix = workers == 1 && cores > 1 ? "controlled.1worker." : "controlled.";
            Map<String, Object> sc = new LinkedHashMap<>(c);
            sc.put("perRun", SyncBench.rounded(schedules));
            sc.put("spread", Stats.spread(schedules));
            out.add(Figure.of(prefix + "schedulesPerSec", Stats.round(Stats.median(schedules), 3), "schedules/s", sc));
            Map<String, Object> st = new LinkedHashMap<>(c);
            st.put("perRun", SyncBench.rounded(steps));
            st.put("spread", Stats.spread(steps));
            out.add(Figure.of(prefix + "stepsPerSec", Stats.round(Stats.median(steps), 3), "steps/s", st));
        }
        return out;
    }

    /** Seeds 1..{@code seeds} of {@code cfg}, no traces, no shrinking. */
    private static StressReport campaign(StressConfig cfg, int seeds, int workers) {
        return StressRunner.run(new StressRunner.Options(cfg, 1, seeds, workers, null, false, false, 0,
                "ioreq-sim bench"), n -> { });
    }
}
