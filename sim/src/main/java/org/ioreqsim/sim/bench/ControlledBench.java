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
 * traces are written or shrunk, so the figures are the exploration rate alone. Untimed campaigns warm
 * the JIT up first, until it has settled (see {@link #settled}).
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
            List<Double> jit = new ArrayList<>();
            for (int r = 0; r < plan.runs(); r++) {
                progress.note("controlled: " + plan.controlledSeeds() + " schedules, " + workers + " worker(s)");
                Timed t = timedCampaign(cfg, plan.controlledSeeds(), workers);
                schedules.add(t.report().schedulesPerSec());
                steps.add(t.report().stepsPerSec());
                violations += t.report().violations();
                jit.add(t.jitShare());
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
            c.put("jitShare", Map.of("perRun", SyncBench.rounded(jit), "what", "JIT compiler time during each"
                    + " measured campaign, as a share of its wall time (1.0: one core compiling throughout)"));
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
    private record Warmup(int workers, int seeds, List<Double> schedulesPerSec, List<Double> jitShare,
                          double seconds, boolean settled) {
        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("campaigns", schedulesPerSec.size());
            m.put("seeds", seeds);
            m.put("workers", workers);
            m.put("seconds", Stats.round(seconds, 3));
            m.put("schedulesPerSec", SyncBench.rounded(schedulesPerSec));
            m.put("jitShare", SyncBench.rounded(jitShare));
            m.put("settled", settled);
            m.put("what", "campaigns back to back for at least the warm-up time, until the JIT compiled for less"
                    + " than " + Math.round(SETTLED_JIT_SHARE * 100) + "% of the last " + SETTLED_CAMPAIGNS
                    + " campaigns' wall time (or the warm-up limit passed: settled false); the first is a fresh"
                    + " JVM's");
            return m;
        }
    }

    /** The JIT has settled when it compiled for less than this share of the last campaigns' wall time. */
    static final double SETTLED_JIT_SHARE = 0.15;
    /** ... over this many campaigns. */
    static final int SETTLED_CAMPAIGNS = 5;

    /**
     * Whether the JIT has settled over the last {@link #SETTLED_CAMPAIGNS} campaigns: on 2 cores the
     * compiler takes one of them for 40 s or more, so a campaign measured before would be run on one core
     * and partly interpreted code. Where the JVM does not report compile time, whether the time passed.
     */
    static boolean settled(List<Timed> recent) {
        if (recent.size() < SETTLED_CAMPAIGNS) {
            return false;
        }
        double jit = 0;
        double wall = 0;
        for (Timed t : recent.subList(recent.size() - SETTLED_CAMPAIGNS, recent.size())) {
            if (t.jitMillis() < 0) {
                return true;
            }
            jit += t.jitMillis();
            wall += t.wallMillis();
        }
        return jit < SETTLED_JIT_SHARE * wall;
    }

    private static Warmup warmUp(BenchPlan plan, StressConfig cfg, int workers, Paired.Progress progress) {
        long start = System.nanoTime();
        long least = start + plan.controlledWarmup().toNanos();
        long most = start + Math.max(plan.controlledWarmup().toNanos(), plan.controlledWarmupLimit().toNanos());
        List<Timed> done = new ArrayList<>();
        boolean settled;
        do {
            progress.note("controlled: warm-up campaign " + (done.size() + 1) + " (until the JIT settles, "
                    + plan.controlledWarmup().toSeconds() + " to " + plan.controlledWarmupLimit().toSeconds() + " s)");
            done.add(timedCampaign(cfg, plan.controlledSeeds(), workers));
            settled = settled(done);
        } while (System.nanoTime() < most && (System.nanoTime() < least || !settled));
        return new Warmup(workers, plan.controlledSeeds(), done.stream().map(t -> t.report().schedulesPerSec()).toList(),
                done.stream().map(Timed::jitShare).toList(), (System.nanoTime() - start) / 1e9, settled);
    }

    /** A campaign with its wall time and the JIT's compile time meanwhile (-1 where the JVM does not say). */
    record Timed(StressReport report, double wallMillis, long jitMillis) {
        double jitShare() {
            return jitMillis < 0 ? -1 : jitMillis / Math.max(wallMillis, 1e-9);
        }
    }

    private static Timed timedCampaign(StressConfig cfg, int seeds, int workers) {
        long jit = CpuClock.jitMillis();
        long t0 = System.nanoTime();
        StressReport rep = campaign(cfg, seeds, workers);
        double wall = (System.nanoTime() - t0) / 1e6;
        long jitAfter = CpuClock.jitMillis();
        return new Timed(rep, wall, jit < 0 || jitAfter < 0 ? -1 : jitAfter - jit);
    }

    /** Seeds 1..{@code seeds} of {@code cfg}, no traces, no shrinking. */
    private static StressReport campaign(StressConfig cfg, int seeds, int workers) {
        return StressRunner.run(new StressRunner.Options(cfg, 1, seeds, workers, null, false, false, 0,
                "ioreq-sim bench"), n -> { });
    }
}
