package org.ioreqsim.sim.bench;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The throughput sweep behind the chart: the raw bound and the simulator from 1 to 1,000,000 vCPUs
 * (1x1, 1x10, 1x100, then domains of 100 vCPUs), each point measured in its own JVM.
 */
final class Sweep {
    /** vCPU counts of the sweep, as domains x vCPUs. */
    static final int[][] POINTS = {{1, 1}, {1, 10}, {1, 100}, {10, 100}, {100, 100}, {1000, 100}, {10_000, 100}};

    private Sweep() {
    }

    /** One point, in the child JVM: a warm-up loop of each side, then {@code runs} interleaved pairs; medians. */
    static Map<String, Object> point(Shape shape, Duration duration, Duration warmup, int runs, Config akka) {
        Map<Shape, Paired.Runs> r = Paired.measure(List.of(shape), runs, duration, warmup,
                (s, d) -> RawLoop.run(s, d, akka), (s, d) -> SimLoop.sync(s, d, akka), Paired.Progress.NONE);
        Paired.Runs pr = r.get(shape);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("raw", Stats.median(pr.reference().stream().map(LoopResult::perSecond).toList()));
        out.put("sim", Stats.median(pr.sim().stream().map(LoopResult::perSecond).toList()));
        out.put("ratio", Stats.median(pr.ratios()));
        return out;
    }

    /** Runs every point (fewer repetitions for the large ones), draws the chart, returns the figures. */
    static List<Figure> run(BenchPlan plan, Path chart, Paired.Progress progress) {
        List<Figure> out = new ArrayList<>();
        List<long[]> xs = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        List<Double> sim = new ArrayList<>();
        for (int[] p : POINTS) {
            long n = (long) p[0] * p[1];
            int runs = n >= 100_000 ? 1 : plan.runs();
            // A round trip with n requests in flight takes about n / 2,000,000 s: long enough loops.
            Duration d = plan.duration().toMillis() >= n / 100 ? plan.duration() : Duration.ofMillis(n / 100);
            // Every point warm: the plan's warm-up, and at least one loop's length where a loop is longer.
            Duration warmup = d.compareTo(plan.warmup()) > 0 ? d : plan.warmup();
            progress.note("sweep: " + n + " vCPUs");
            ChildJvm.Outcome o = ChildJvm.run(plan.childHeap(), "sweep", String.valueOf(p[0]), String.valueOf(p[1]),
                    String.valueOf(d.toMillis()), String.valueOf(runs), String.valueOf(warmup.toMillis()));
            Map<String, Object> cfg = new LinkedHashMap<>(Shape.of(p[0], p[1]).describe());
            cfg.put("runs", runs);
            cfg.put("durationSeconds", d.toMillis() / 1000.0);
            cfg.put("warmupSeconds", warmup.toMillis() / 1000.0);
            cfg.put("heap", "-Xmx" + plan.childHeap());
            if (!o.ok()) {
                out.add(Figure.notMeasured("sweep." + n + ".sim.throughput", "ioreqs/s", "failed: " + o.failure()));
                continue;
            }
            double r = ((Number) o.result().get("raw")).doubleValue();
            double s = ((Number) o.result().get("sim")).doubleValue();
            xs.add(new long[] {n});
            raw.add(r);
            sim.add(s);
            out.add(Figure.of("sweep." + n + ".raw.throughput", Math.round(r), "ioreqs/s", cfg));
            out.add(Figure.of("sweep." + n + ".sim.throughput", Math.round(s), "ioreqs/s", cfg));
            out.add(Figure.of("sweep." + n + ".ratio",
                    Stats.round(((Number) o.result().get("ratio")).doubleValue(), 3), "ratio", cfg));
        }
        if (chart != null && !xs.isEmpty()) {
            ThroughputChart.write(chart, xs.stream().map(a -> (double) a[0]).toList(), raw, sim);
        }
        return out;
    }
}
