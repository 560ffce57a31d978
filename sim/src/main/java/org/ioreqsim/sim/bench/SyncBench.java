package org.ioreqsim.sim.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Section {@code sync}: synchronous ioreqs per second and latency, the raw Akka bound against the
 * simulator on each shape, and their ratio.
 */
final class SyncBench {
    private SyncBench() {
    }

    static List<Figure> run(BenchPlan plan, Paired.Progress progress) {
        double load = Stats.loadAverage();
        Map<Shape, Paired.Runs> all = Paired.measure(plan.syncShapes(), plan.runs(), plan.duration(), plan.warmup(),
                (s, d) -> RawLoop.run(s, d, plan.akka()), (s, d) -> SimLoop.sync(s, d, plan.akka()), progress);
        List<Figure> out = new ArrayList<>();
        all.forEach((shape, runs) -> {
            Map<String, Object> cfg = new LinkedHashMap<>(shape.describe());
            cfg.putAll(plan.loopConfig());
            out.addAll(loopFigures("sync.raw." + shape.name(), "ioreqs/s", runs.reference(), cfg,
                    "the raw Akka bound: client -> router -> server -> client, plain typed actors, no model"));
            Map<String, Object> simCfg = new LinkedHashMap<>(cfg);
            simCfg.put("mix", "serialStatus only (PIO read of the UART's LSR, served by server 0)");
            out.addAll(loopFigures("sync.sim." + shape.name(), "ioreqs/s", runs.sim(), simCfg,
                    "the simulator: vCPU -> domain -> ioreq server -> vCPU, full model"));
            out.add(Ratios.of("sync.ratio." + shape.name(), plan, runs, cfg, load,
                    "simulator / raw bound, ioreqs per second; median of the per-repetition ratios"));
        });
        return out;
    }

    /** Throughput, latency, CPU and allocation medians of one side of a comparison. */
    static List<Figure> loopFigures(String prefix, String unit, List<LoopResult> runs, Map<String, Object> cfg,
                                    String what) {
        Map<String, Object> c = new LinkedHashMap<>(cfg);
        c.put("what", what);
        List<Figure> out = new ArrayList<>();
        Map<String, Object> tc = new LinkedHashMap<>(c);
        tc.put("perRun", rounded(values(runs, LoopResult::perSecond)));
        out.add(Figure.of(prefix + ".throughput", Math.round(med(runs, LoopResult::perSecond)), unit, tc));
        out.add(Figure.of(prefix + ".p50", Stats.round(med(runs, LoopResult::p50Micros), 3), "us", c));
        out.add(Figure.of(prefix + ".p99", Stats.round(med(runs, LoopResult::p99Micros), 3), "us", c));
        out.add(Figure.of(prefix + ".cpuPerOp", Math.round(med(runs, LoopResult::cpuNanosPerOp)), "ns CPU", c));
        out.add(Figure.of(prefix + ".allocPerOp", Math.round(med(runs, LoopResult::bytesPerOp)), "bytes", c));
        return out;
    }

    private static double med(List<LoopResult> runs, ToDoubleFunction<LoopResult> f) {
        return Stats.median(values(runs, f));
    }

    private static List<Double> values(List<LoopResult> runs, ToDoubleFunction<LoopResult> f) {
        List<Double> out = new ArrayList<>();
        runs.forEach(r -> out.add(f.applyAsDouble(r)));
        return out;
    }

    static List<Double> rounded(List<Double> v) {
        List<Double> out = new ArrayList<>();
        v.forEach(x -> out.add(Stats.round(x, 4)));
        return out;
    }
}
