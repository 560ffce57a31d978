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
        Warmup warm = warmUp(plan, cfg, cores, progress);
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
            c.put("warmup", warm.describe());
            String prefix = workers == 1 && cores > 1 ? "controlled.1worker." : "controlled.";
            Map<String, Object> sc = new LinkedHashMap<>(c);
            sc.put("perRun", SyncBench.rounded(schedules));
            sc.put("spread", Stats.spread(schedules));
            out.add(Figure.of(prefix + "schedulesPerSec", Stats.round(Stats.median(schedules), 3), "schedules/s", sc));
            Map<String, Object> st = new LinkedHashMap<>(c);
            st.put("perRun", SyncBench.rounded(steps));
            st.put("spread", Stats.spread(steps));
            out.add(Figure.of(prefix + "stepsPerSec", Stats.round(Stats.median(steps), 3), "steps/s", st));
            if (workers == 1) {
                out.addAll(rawRatio(plan, steps));
            }
        }
        return out;
    }

    /**
     * The same number of repetitions of {@link RawControlledLoop} (one driver thread, like one worker),
     * right after the one-worker campaigns, and the ratio of the campaign's steps/s to the loop's.
     */
    private static List<Figure> rawRatio(BenchPlan plan, List<Double> campaignSteps) {
        int runs = plan.runs();
        int messages = plan.controlledSeeds() * RAW_LOOP_MESSAGES_PER_SEED;
        double load = Stats.loadAverage();
        List<Double> raw = RawControlledLoop.measure(runs, messages);
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < raw.size() && r < campaignSteps.size(); r++) {
            ratios.add(campaignSteps.get(r) / raw.get(r));
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("loop", "two typed actors passing one message back and forth on a ControlledSystem, stepped by key "
                + "(enabled keys, first picked, one mailbox run), no model, monitors, digest or strategy");
        c.put("messages", messages);
        c.put("runs", runs);
        c.put("loadAverage", java.util.Map.of("before", load, "after", Stats.loadAverage()));
        Map<String, Object> rc = new LinkedHashMap<>(c);
        rc.put("perRun", SyncBench.rounded(raw));
        rc.put("spread", Stats.spread(raw));
        Map<String, Object> qc = new LinkedHashMap<>(c);
        qc.put("of", "controlled.1worker.stepsPerSec, repetition by repetition");
        qc.put("perRun", SyncBench.rounded(ratios));
        qc.put("spread", Stats.spread(ratios));
        Figure raw1 = Figure.of("controlled.rawLoop.stepsPerSec", Stats.round(Stats.median(raw), 3), "steps/s", rc);
        if (plan.mode().equals("quick")) {
            return List.of(raw1, Figure.notMeasured("controlled.1worker.stepsRatio", "ratio",
                    "not with --quick (one short run per side does not give a ratio that holds)"));
        }
        return List.of(raw1, Figure.of("controlled.1worker.stepsRatio", Stats.round(Stats.median(ratios), 3), "ratio",
                qc));
    }

    /** Raw loop messages per campaign seed: about as many steps as the campaign (about 200 a schedule). */
    private static final int RAW_LOOP_MESSAGES_PER_SEED = 200;

    /**
     * The campaigns run before the measurement, with every worker: the first is what a fresh JVM's
     * {@code stress} gets; the rate rises while the JIT compiles.
     */
    private record Warmup(int workers, int seeds, List<Double> schedulesPerSec, double seconds) {
        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("campaigns", schedulesPerSec.size());
            m.put("seeds", seeds);
            m.put("workers", workers);
            m.put("seconds", Stats.round(seconds, 3));
            m.put("schedulesPerSec", SyncBench.rounded(schedulesPerSec));
            m.put("what", "campaigns back to back until the warm-up time passed; the first is a fresh JVM's");
            return m;
        }
    }

    private static Warmup warmUp(BenchPlan plan, StressConfig cfg, int workers, Paired.Progress progress) {
        long start = System.nanoTime();
        long until = start + plan.controlledWarmup().toNanos();
        List<Double> rates = new ArrayList<>();
        do {
            progress.note("controlled: warm-up campaign " + (rates.size() + 1) + " (" + plan.controlledWarmup().toSeconds()
                    + " s of campaigns)");
            rates.add(campaign(cfg, plan.controlledSeeds(), workers).schedulesPerSec());
        } while (System.nanoTime() < until);
        return new Warmup(workers, plan.controlledSeeds(), rates, (System.nanoTime() - start) / 1e9);
    }

    /** Seeds 1..{@code seeds} of {@code cfg}, no traces, no shrinking. */
    private static StressReport campaign(StressConfig cfg, int seeds, int workers) {
        return StressRunner.run(new StressRunner.Options(cfg, 1, seeds, workers, null, false, false, 0,
                "ioreq-sim bench"), n -> { });
    }
}
