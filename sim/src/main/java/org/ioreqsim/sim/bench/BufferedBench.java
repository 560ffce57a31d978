package org.ioreqsim.sim.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Section {@code buffered}: VGA-window writes that Xen's stdvga sends into the 511-slot buffered ring,
 * through the model's buffered path (vCPU -> domain -> ring -> emulator), against a raw bounded Akka
 * Streams queue of 511 elements fed by the same number of closed-loop producers.
 */
final class BufferedBench {
    private BufferedBench() {
    }

    static List<Figure> run(BenchPlan plan, Paired.Progress progress) {
        Shape shape = plan.bufferedShape();
        double load = Stats.loadAverage();
        Map<Shape, Paired.Runs> all = Paired.measure(List.of(shape), plan.runs(), plan.duration(), plan.warmup(),
                (s, d) -> RawQueueLoop.run(s, d, plan.akka()), (s, d) -> SimLoop.buffered(s, d, plan.akka()),
                progress);
        Paired.Runs runs = all.get(shape);
        Map<String, Object> cfg = new LinkedHashMap<>(shape.describe());
        cfg.putAll(plan.loopConfig());
        List<Figure> out = new ArrayList<>();
        out.addAll(SyncBench.loopFigures("buffered.raw", "writes/s", runs.reference(), cfg,
                "raw reference: producers -> router -> Source.queue(511) -> Sink.foreach; elements consumed"));
        Map<String, Object> simCfg = new LinkedHashMap<>(cfg);
        simCfg.put("mix", "vga only (2-byte writes into 0xA0000..0xBFFFF)");
        out.addAll(SyncBench.loopFigures("buffered.sim", "writes/s", runs.sim(), simCfg,
                "the simulator: writes that went into the buffered ring (a write that finds the ring full "
                        + "falls back to a synchronous ioreq and is not counted)"));
        out.add(Ratios.of("buffered.ratio", plan, runs, cfg, load,
                "simulator buffered writes / raw queue elements per second; median of per-run ratios"));
        return out;
    }
}
